"""``weighting: alti`` (Ferrando et al., 2022): each token's output of an attention block split
into what each input token adds, T_i(x_j), checked against the models' own blocks (post-LN BERT
and MiniLM, pre-LN GPT-2 and Llama), against a plain loop over the paper's formula, and on the
figure's ALTI entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mkdocs_attention.cache import Cache
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.sources.alti import alti, layer_mixing, layer_terms
from mkdocs_attention.spec import parse_fence
from tests.helpers import ROOT, requires_hf
from tests.tiny_models import make_bart, weighting_models

pytestmark = requires_hf

MINILM = ROOT / "example_site" / "models" / "all-MiniLM-L6-v2"
TEXT = "the quick brown fox jumps over the lazy dog"
#: Half of the last shown decimal (precision 2).
HALF = 0.005
#: The module of each layer whose output (post-LN) or input (pre-LN) is the block's y.
OUTPUTS = {
    "bert": (r"layer\.(\d+)\.attention\.output\.LayerNorm$", "output"),
    "minilm": (r"layer\.(\d+)\.attention\.output\.LayerNorm$", "output"),
    "gpt2": (r"\bh\.(\d+)\.ln_2$", "input"),
    "llama": (r"layers\.(\d+)\.post_attention_layernorm$", "input"),
    "qwen2": (r"layers\.(\d+)\.post_attention_layernorm$", "input"),
    "repeats": (r"layers\.(\d+)\.post_attention_layernorm$", "input"),
}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return weighting_models(tmp_path_factory.mktemp("alti"))


def model_for(models: dict[str, Path], name: str) -> Path:
    if name not in models:
        pytest.skip(f"the {name} model is not in example_site/models (make real-model)")
    return models[name]


def float64_run(folder: Path, name: str, text: str = TEXT) -> tuple[Any, np.ndarray, list[np.ndarray], Any]:
    """A float64 forward pass: what ALTI captures, the attention (L, H, N, N), each block's
    output y as the model computes it (hooked), and the model."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from mkdocs_attention.sources.value_norms import capture

    model = AutoModel.from_pretrained(folder, attn_implementation="eager", dtype=torch.float64).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    pattern, side = OUTPUTS[name]
    ys: dict[int, np.ndarray] = {}
    hooks = []
    for module_name, module in model.named_modules():
        m = re.search(pattern, module_name)
        if m is None:
            continue
        li = int(m.group(1))
        if side == "output":
            hooks.append(
                module.register_forward_hook(lambda mod, a, out, li=li: ys.__setitem__(li, out[0].numpy()))
            )
        else:
            hooks.append(
                module.register_forward_pre_hook(lambda mod, a, li=li: ys.__setitem__(li, a[0][0].numpy()))
            )
    with capture(model, "the model", "alti") as got, torch.no_grad():
        out = model(**tokenizer(text, return_tensors="pt"), output_attentions=True)
    for h in hooks:
        h.remove()
    attentions = np.stack([a[0].numpy() for a in out.attentions])
    return got[0], attentions, [ys[li] for li in sorted(ys)], model


@pytest.mark.parametrize("name", ["bert", "gpt2", "llama", "qwen2", "minilm", "repeats"])
def test_what_each_token_adds_sums_to_the_blocks_output(models: dict[str, Path], name: str) -> None:
    """Σ_j T_i(x_j) + bias is the block's output: the LayerNorm's (post-LN) or the residual
    stream after the attention (pre-LN), for every token of every layer."""
    captured, attentions, ys, _ = float64_run(model_for(models, name), name)
    n = attentions.shape[-1]
    worst = 0.0
    for li, y in enumerate(ys):
        terms, bias = layer_terms(captured, attentions[li], li, slice(0, n))
        worst = max(worst, float(np.abs(terms.sum(1) + bias - y).max()))
        assert terms.shape == (n, n, y.shape[-1])
    assert worst < 1e-9, worst
    assert (captured.norms_after is None) == (name not in ("bert", "minilm"))  # pre-LN: the norm inside f


def plain(tensor: Any) -> np.ndarray:
    return np.asarray(tensor.detach().numpy())


def loop_reference(folder: Path, text: str) -> np.ndarray:
    """The paper's formula for a BERT-style (post-LN) encoder, one query, key and head at a time,
    from the model's own weights and hidden states; rolled out over every layer."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(folder, attn_implementation="eager", dtype=torch.float64).eval()
    with torch.no_grad():
        out = model(
            **AutoTokenizer.from_pretrained(folder)(text, return_tensors="pt"),
            output_attentions=True,
            output_hidden_states=True,
        )
    heads = model.config.num_attention_heads
    whole = None
    for li, layer in enumerate(model.encoder.layer):
        x = out.hidden_states[li][0].numpy()
        alpha = out.attentions[li][0].numpy()
        wv, bv = plain(layer.attention.self.value.weight), plain(layer.attention.self.value.bias)
        wo, bo = plain(layer.attention.output.dense.weight), plain(layer.attention.output.dense.bias)
        norm = layer.attention.output.LayerNorm
        gamma, beta, eps = plain(norm.weight), plain(norm.bias), norm.eps
        n, width = x.shape
        d = width // heads
        c = np.zeros((n, n))
        for i in range(n):
            parts = []
            for j in range(n):
                part = x[j].copy() if i == j else np.zeros(width)
                for h in range(heads):
                    v = x[j] @ wv[h * d : (h + 1) * d].T + bv[h * d : (h + 1) * d]
                    part += alpha[h, i, j] * (v @ wo[:, h * d : (h + 1) * d].T)
                parts.append(part)
            before_norm = sum(parts) + bo
            sigma = np.sqrt(before_norm.var() + eps)
            y = (before_norm - before_norm.mean()) / sigma * gamma + beta
            for j in range(n):
                t = (parts[j] - parts[j].mean()) / sigma * gamma
                c[i, j] = max(0.0, np.abs(y).sum() - np.abs(y - t).sum())
            c[i] /= c[i].sum()
        whole = c if whole is None else c @ whole
    assert whole is not None
    return whole


def test_alti_equals_a_loop_over_the_papers_formula(models: dict[str, Path]) -> None:
    folder = model_for(models, "minilm")
    text = "the cat sat on the mat"
    expected = loop_reference(folder, text)
    captured, attentions, _, _ = float64_run(folder, "minilm", text)
    got = alti(captured, attentions, list(range(len(attentions))))
    assert np.abs(got - expected).max() < 1e-9
    shown = load(parse_fence(f"model: {folder}\ntext: {text}\nweighting: alti"), LoadEnv(project_dir=folder))
    assert shown.layer_names[-1] == "ALTI" and shown.rollout
    assert np.abs(shown.weights[-1] - expected).max() < HALF / 10  # every head holds it
    assert np.abs(expected - np.eye(len(expected))).max() > 0.1  # tokens do mix: the test could fail


@pytest.mark.parametrize("name", ["bert", "gpt2", "llama", "qwen2", "minilm", "repeats"])
def test_each_layers_shares_are_non_negative_and_sum_to_one(models: dict[str, Path], name: str) -> None:
    captured, attentions, _, _ = float64_run(model_for(models, name), name)
    for li in range(len(attentions)):
        c = layer_mixing(captured, attentions[li], li)
        assert c.min() >= 0 and np.allclose(c.sum(-1), 1.0)
        if name not in ("bert", "minilm"):  # causal: nothing comes from a later token
            assert np.triu(c, 1).max() == 0


def test_blocks_of_queries_give_the_same_matrix(
    models: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long texts are worked out a few queries at a time; the matrix is the same."""
    import mkdocs_attention.sources.value_norms as value_norms

    captured, attentions, _, _ = float64_run(models["llama"], "llama")
    whole = alti(captured, attentions, [0, 1])
    monkeypatch.setattr(value_norms, "BLOCK_BYTES", 1)  # one query at a time
    assert np.abs(alti(captured, attentions, [0, 1]) - whole).max() < 1e-15


def test_on_the_real_encoder_cls_and_sep_make_up_little(models: dict[str, Path]) -> None:
    """The classic lesson: heads park weight on [CLS] and [SEP], but what those tokens add to
    the others' representations is small."""
    folder = model_for(models, "minilm")
    att = load(parse_fence(f"model: {folder}\ntext: {TEXT}\nweighting: alti"), LoadEnv(project_dir=folder))
    special = [i for i, t in enumerate(att.tokens) if t in ("[CLS]", "[SEP]")]
    words = [i for i in range(att.n) if i not in special]
    on_special_attention = att.weights[:-1][..., special].sum(-1).mean()
    on_special_alti = att.weights[-1, 0][np.ix_(words, special)].sum(-1).mean()
    assert on_special_attention > 0.3 and on_special_alti < on_special_attention / 4, (
        on_special_attention,
        on_special_alti,
    )
    assert "ALTI (Ferrando et al., 2022)" in (att.note or "")


def test_the_alti_entry_follows_the_layers_shown_and_the_tokens_kept(
    models: dict[str, Path], tmp_path: Path
) -> None:
    folder = models["llama"]
    env = LoadEnv(project_dir=folder)
    one = load(parse_fence(f"model: {folder}\ntext: {TEXT}\nweighting: alti\nlayer: 1"), env)
    both = load(parse_fence(f"model: {folder}\ntext: {TEXT}\nweighting: alti"), env)
    assert one.layer_names == ("Layer 1", "ALTI") and both.layer_names == ("Layer 0", "Layer 1", "ALTI")
    captured, attentions, _, _ = float64_run(folder, "llama")
    assert np.abs(one.weights[-1, 0] - alti(captured, attentions, [1])).max() < HALF / 10
    assert np.abs(one.weights[-1, 0] - both.weights[-1, 0]).max() > 0.01  # one layer, not two
    bert = models["bert"]
    hidden = load(
        parse_fence(f"model: {bert}\ntext: {TEXT}\nweighting: alti\nhide_special: true"),
        LoadEnv(project_dir=bert),
    )
    assert "[CLS]" not in hidden.tokens and np.allclose(hidden.weights[-1].sum(-1), 1.0, atol=1e-3)
    # From the build cache: the same entry, still a whole-model one.
    cached_env = LoadEnv(project_dir=folder, cache=Cache(tmp_path / "cache"))
    fence = parse_fence(f"model: {folder}\ntext: {TEXT}\nweighting: alti")
    cold = load(fence, cached_env)
    warm = load(fence, LoadEnv(project_dir=folder, cache=Cache(tmp_path / "cache")))
    assert warm.rollout and warm.layer_names == cold.layer_names
    assert np.array_equal(warm.weights, cold.weights)


def test_what_alti_cannot_weigh_is_refused(models: dict[str, Path], tmp_path: Path) -> None:
    bart = make_bart(tmp_path / "bart")
    with pytest.raises(
        AttentionError, match=r"'weighting: alti' reads .*'bart' model, whose modules it does not know"
    ):
        load(parse_fence(f"model: {bart}\ntext: the cat\nweighting: alti"), LoadEnv(project_dir=tmp_path))
    with pytest.raises(AttentionError, match=r"'weighting: alti' reads a model's .*it needs 'model'"):
        parse_fence("file: w.npy\ntokens: [a, b]\nweighting: alti")
    with pytest.raises(AttentionError, match=r"'weighting: alti' and 'rollout' .*choose one"):
        parse_fence(f"model: {models['gpt2']}\ntext: the cat\nweighting: alti\nrollout: true")
    with pytest.raises(AttentionError, match=r"'generate' cannot go with 'weighting'"):
        parse_fence(f"model: {models['gpt2']}\ntext: the cat\nweighting: alti\ngenerate: 3")
