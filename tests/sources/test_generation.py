"""``generate``: a causal model writes after its text, and the figure steps through it.

The truth is the model's own ``generate(..., output_attentions=True, output_logits=True)`` in
float64: each step's row of the figure is that step's attention (step 0: the prompt's square
causal matrix; then one new query over every key so far), greedy tokens are the argmax of the
step's logits, and probabilities are softmax(logits / temperature). Models: a tiny GPT-2, a tiny
Llama with grouped-query heads (both built here) and the model trained for the course.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mkdocs_attention.cache import Cache
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.sources.generation import SHOWN_NEXT
from mkdocs_attention.spec import parse_fence
from tests.helpers import ROOT, requires_hf
from tests.tiny_models import make_bart, make_bert, make_gpt2, make_llama

pytestmark = requires_hf

TRAINED = ROOT / "example_site" / "models" / "repeats-2l"
#: Half of the last shown decimal (precision 2), as every model test allows.
HALF = 0.005
PROMPTS = {
    "gpt2": "The quick brown fox",
    "llama": "The quick brown fox",
    "trained": "fox river blue seven bread north owl song fox river",
}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("writers")
    return {
        "gpt2": make_gpt2(root / "gpt2", writes=True),
        "llama": make_llama(root / "llama", writes=True),
        "trained": TRAINED,
    }


def reference(folder: Path, text: str, count: int, seed: int = 0, **sampling: Any) -> Any:
    """The model's own generate() in float64: sequence, per-step attentions and logits."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(
        folder, attn_implementation="eager", dtype=torch.float64
    ).eval()
    settings = GenerationConfig(
        max_new_tokens=count,
        min_new_tokens=count,
        do_sample=bool(sampling),
        eos_token_id=None,
        pad_token_id=0,
        top_p=None,
        **(sampling or {"temperature": None, "top_k": None}),
    )
    torch.manual_seed(seed)
    with torch.no_grad():
        out = model.generate(
            **tokenizer(text, return_tensors="pt"),
            generation_config=settings,
            output_attentions=True,
            output_logits=True,
            return_dict_in_generate=True,
        )
    return out


def figure(folder: Path, text: str, generate: str) -> Any:
    return load(
        parse_fence(f"model: {folder}\ntext: {text}\ngenerate: {generate}"), LoadEnv(project_dir=folder)
    )


@pytest.mark.parametrize("family", ["gpt2", "llama", "trained"])
def test_each_step_is_the_models_own_attention_and_prediction(models: dict[str, Path], family: str) -> None:
    folder, text = models[family], PROMPTS[family]
    attention = figure(folder, text, "5")
    out = reference(folder, text, 5)
    sequence = out.sequences[0].tolist()
    g = attention.generation
    assert g is not None and g.written == 5 and g.prompt + 5 == len(sequence) == attention.n
    prompt = g.prompt
    # Step 0 reads the prompt: the square causal matrix of its tokens.
    step0 = np.stack([a[0].numpy() for a in out.attentions[0]])
    assert np.abs(attention.weights[:, :, :prompt, :prompt] - step0).max() <= HALF
    # Step s reads one new token over the prompt and everything written before it.
    for s in range(1, 5):
        row = np.stack([a[0, :, 0].numpy() for a in out.attentions[s]])
        assert row.shape[-1] == prompt + s
        assert np.abs(attention.weights[:, :, prompt - 1 + s, : prompt + s] - row).max() <= HALF
        assert np.all(attention.weights[:, :, prompt - 1 + s, prompt + s :] == 0)
    for s in range(5):
        logits = out.logits[s][0].numpy()
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        assert sequence[prompt + s] == int(logits.argmax())  # greedy: the most likely
        assert abs(g.chosen[s] - probs[sequence[prompt + s]]) <= 1e-4
        best = np.argsort(-probs, kind="stable")[:SHOWN_NEXT]
        assert [p for _, p in g.top[s]] == pytest.approx(probs[best].tolist(), abs=1e-4)
        assert g.top[s][0][1] == pytest.approx(g.chosen[s], abs=1e-9)


def test_the_trained_model_copies_the_run_it_has_seen(models: dict[str, Path]) -> None:
    """As the course's lecture says: after "… fox river" it writes the run on, each token with a
    probability above 0.98, and its induction head (Layer 1, Head 0) attends from each new query
    to the token after that query's first copy."""
    attention = figure(models["trained"], PROMPTS["trained"], "6")
    t, g = attention.tokens, attention.generation
    assert g is not None
    assert t[g.prompt :] == ("blue", "seven", "bread", "north", "owl", "song")
    assert min(g.chosen) > 0.98
    for s in range(1, 7):
        query = g.prompt - 1 + s
        first = t.index(t[query])
        assert attention.weights[1, 0, query].argmax() == first + 1


def test_sampling_follows_its_seed_and_temperature(models: dict[str, Path]) -> None:
    folder, text = models["gpt2"], PROMPTS["gpt2"]
    one = figure(folder, text, "{tokens: 6, temperature: 1.5, seed: 1}")
    again = figure(folder, text, "{tokens: 6, temperature: 1.5, seed: 1}")
    other = figure(folder, text, "{tokens: 6, temperature: 1.5, seed: 2}")
    assert one.tokens == again.tokens and one.tokens != other.tokens
    assert one.note == "The model wrote the last 6 tokens, each sampled at temperature 1.5 (seed 1)."
    out = reference(folder, text, 6, seed=1, temperature=1.5)
    g = one.generation
    assert g is not None
    for s in range(6):
        scaled = out.logits[s][0].numpy() / 1.5
        probs = np.exp(scaled - scaled.max())
        probs /= probs.sum()
        assert abs(g.chosen[s] - probs[int(out.sequences[0][g.prompt + s])]) <= 1e-4
    pooled = figure(folder, text, "{tokens: 4, temperature: 1.0, top_k: 1, seed: 7}")
    greedy = figure(folder, text, "4")
    assert pooled.tokens == greedy.tokens  # from the single most likely: greedy
    assert pooled.note == (
        "The model wrote the last 4 tokens, each sampled at temperature 1 from the 1 most likely "
        "(seed 7). The probabilities shown are over the whole vocabulary."
    )


def test_the_result_is_cached_with_its_steps(models: dict[str, Path], tmp_path: Path) -> None:
    spec = parse_fence(f"model: {models['trained']}\ntext: {PROMPTS['trained']}\ngenerate: 3")
    cache = Cache(tmp_path)
    fresh = load(spec, LoadEnv(project_dir=tmp_path, cache=cache))
    again = load(spec, LoadEnv(project_dir=tmp_path, cache=Cache(tmp_path)))
    assert again.generation == fresh.generation and again.tokens == fresh.tokens
    np.testing.assert_array_equal(again.weights, fresh.weights)


def test_the_stacking_identity_in_float64() -> None:
    """Why one pass gives every step: with a key-value cache, the new query at step s attends
    over the cached keys, and its row equals row s of one causal pass over the whole text."""
    rng = np.random.default_rng(0)
    n, d = 9, 4
    x = rng.normal(size=(n, 6))
    wq, wk = rng.normal(size=(6, d)), rng.normal(size=(6, d))
    q, k = x @ wq, x @ wk
    scores = q @ k.T / np.sqrt(d) + np.triu(np.full((n, n), -np.inf), 1)
    one_pass = np.exp(scores - scores.max(-1, keepdims=True))
    one_pass /= one_pass.sum(-1, keepdims=True)
    cached: list[np.ndarray] = []
    for i in range(n):
        cached.append(k[i])  # the cache grows by the new token's key
        s = np.array(cached) @ q[i] / np.sqrt(d)
        row = np.exp(s - s.max())
        assert np.abs(row / row.sum() - one_pass[i, : i + 1]).max() < 1e-12


def test_what_cannot_write_is_refused(tmp_path: Path) -> None:
    bert = make_bert(tmp_path / "bert")
    with pytest.raises(
        AttentionError, match=r"'generate' needs a model that writes text.*saved as 'BertModel'"
    ):
        figure(bert, "the fox", "3")
    bart = make_bart(tmp_path / "bart")
    with pytest.raises(
        AttentionError, match=r"is an encoder-decoder model: show its decoder with 'part: decoder'"
    ):
        figure(bart, "the fox", "3")
    gpt2 = make_gpt2(tmp_path / "gpt2", writes=True)
    spec = parse_fence(f"model: {gpt2}\ntext: the fox\ngenerate: 100")
    with pytest.raises(AttentionError, match=r"the text and what it writes: .*64"):
        load(spec, LoadEnv(project_dir=tmp_path, max_tokens=64))


def test_a_notebook_shows_the_same_figure_as_a_page(models: dict[str, Path]) -> None:
    """``show(model=…, text=…, generate=…)`` gives the figure a fence gives, and lists the steps part."""
    from mkdocs_attention import show
    from mkdocs_attention.convert import Place, convert_fence

    folder = str(models["trained"])
    shown_figure = show(text=PROMPTS["trained"], model=folder, generate={"tokens": 3})
    body = f"generate:\n  tokens: 3\nmodel: {folder}\ntext: {PROMPTS['trained']}\n"
    page = convert_fence(body, {}, Place("<notebook>", None, LoadEnv(project_dir=Path.cwd())), set())
    assert page.error is None and "steps" in shown_figure.parts
    figure_html = shown_figure._repr_html_()
    assert page.html.split("data-attn='")[1].split("'")[0] in figure_html


def test_the_file_form_gives_the_models_figure(models: dict[str, Path], tmp_path: Path) -> None:
    """A teacher saves the writing (weights, tokens, steps) and the site builds it without the
    model: the figure carries the same weights and steps."""
    import dataclasses
    import json

    from mkdocs_attention.render import render_figure
    from tests.helpers import payload

    spec = parse_fence(f"model: {models['trained']}\ntext: {PROMPTS['trained']}\ngenerate: 4")
    written = load(spec, LoadEnv(project_dir=tmp_path))
    assert written.generation is not None
    data = {
        "attention": written.weights.tolist(),
        "tokens": list(written.tokens),
        "generation": json.loads(json.dumps(dataclasses.asdict(written.generation))),
    }
    (tmp_path / "writing.json").write_text(json.dumps(data), encoding="utf-8")
    from_file = parse_fence("file: writing.json")
    read = load(from_file, LoadEnv(docs_dir=tmp_path, base_dir=tmp_path))
    by_model, by_file = (
        payload(render_figure(spec, written, "w")),
        payload(render_figure(from_file, read, "w")),
    )
    assert by_file["w"] == by_model["w"] and by_file["steps"] == by_model["steps"]
    assert by_file["tokens"] == by_model["tokens"]


def test_an_rst_directive_writes_as_the_fence_does(tmp_path: Path) -> None:
    """``.. attention-map::`` with ``:generate: 3`` in reStructuredText: the MkDocs fence's figure,
    byte for byte (the course's MyST page is compared in the Sphinx tests)."""
    from tests.hosts.test_sphinx_extension import CONF, figures, sphinx_build, write_project

    rst = (
        "Writing\n=======\n\n.. attention-map::\n   :model: ./models/repeats-2l\n   :generate: 3\n"
        f"   :id: w\n\n   text: {PROMPTS['trained']}\n"
    )
    conf = CONF + f"attention_project_dir = {str(TRAINED.parent.parent)!r}\n"
    src = write_project(tmp_path, {"index.rst": rst}, conf)
    result = sphinx_build(src, tmp_path / "html", "-W", "-b", "html")
    assert result.returncode == 0, result.stderr
    by_sphinx = figures((tmp_path / "html" / "index.html").read_text(encoding="utf-8"))
    from mkdocs_attention.convert import Place, convert_fence

    body = f"id: w\nmodel: ./models/repeats-2l\ngenerate: 3\ntext: {PROMPTS['trained']}\n"
    env = LoadEnv(project_dir=TRAINED.parent.parent)
    page = convert_fence(body, {}, Place("index.md", None, env), set()).html
    assert by_sphinx == figures(page) and len(by_sphinx) == 1 and '"steps":' in by_sphinx[0]


def test_a_notebook_shows_a_generate_result(models: dict[str, Path]) -> None:
    """``show(generated=out, tokenizer=tok)`` on the notebook's own ``generate()`` result: each
    step's row is that step's attention, the steps its logits' softmax; the last token written
    has no row (the model never read it), so the figure ends one token before it."""
    from transformers import AutoTokenizer

    from mkdocs_attention import show
    from mkdocs_attention.render.payload import payload_weights
    from tests.helpers import payload

    folder = models["llama"]
    out = reference(folder, PROMPTS["llama"], 4)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    figure = show(generated=out, tokenizer=tokenizer)
    p = payload(figure._repr_html_())
    prompt = out.attentions[0][0].shape[-1]
    assert len(p["tokens"]) == prompt + 3 and p["steps"]["prompt"] == prompt and len(p["steps"]["top"]) == 4
    w = payload_weights(p)
    for s in range(4):
        row = np.stack([a[0, :, -1].numpy() for a in out.attentions[s]])
        assert np.abs(w[:, :, prompt - 1 + s, : prompt + s] - row).max() <= HALF
        logits = out.logits[s][0].numpy()
        probs = np.exp(logits - logits.max())
        probs /= probs.sum()
        assert p["steps"]["top"][s][0][1] == pytest.approx(probs.max(), abs=1e-4)
    assert "steps" in figure.parts
    with pytest.raises(AttentionError, match="output_logits=True"):
        show(generated=type("Out", (), {"attentions": out.attentions, "logits": None})(), tokenizer=tokenizer)
