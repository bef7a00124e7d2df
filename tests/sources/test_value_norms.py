"""``weighting: value-norm`` (Kobayashi et al., 2020): each weight times the size of what its key
sends through the head, ‖α f(x)‖, on tiny BERT, GPT-2 and Llama models (Llama with grouped-query
heads) and the real MiniLM encoder, checked against the models' own attention blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mkdocs_attention import render_figure
from mkdocs_attention.cache import Cache
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.numerics import value_weighted
from mkdocs_attention.render.payload import payload_weights
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.spec import parse_fence
from tests.helpers import ROOT, payload, requires_hf
from tests.tiny_models import make_bart, weighting_models

pytestmark = requires_hf

MINILM = ROOT / "example_site" / "models" / "all-MiniLM-L6-v2"
TEXT = "the quick brown fox jumps over the lazy dog"
#: Half of the last shown decimal (precision 2).
HALF = 0.005


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return weighting_models(tmp_path_factory.mktemp("value-norm"))


def float64_model(folder: Path) -> tuple[Any, Any]:
    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(folder, attn_implementation="eager", dtype=torch.float64).eval()
    return AutoTokenizer.from_pretrained(folder), model


def run_with_outputs(model: Any, tokenizer: Any, text: str) -> tuple[Any, list[np.ndarray], Any]:
    """The forward pass with the value norms captured and each layer's W_O output hooked."""
    import torch

    from mkdocs_attention.sources.value_norms import _by_layer, capture, family_of

    outputs: dict[int, np.ndarray] = {}
    family = family_of(model, "the model")
    hooks = [
        m.register_forward_hook(lambda mod, a, out, li=li: outputs.__setitem__(li, out[0].double().numpy()))
        for li, m in enumerate(_by_layer(model, family.output))
    ]
    with capture(model, "the model") as got, torch.no_grad():
        out = model(**tokenizer(text, return_tensors="pt"), output_attentions=True)
    for h in hooks:
        h.remove()
    return got[0], [outputs[li] for li in sorted(outputs)], out


@pytest.mark.parametrize("name", ["bert", "gpt2", "llama", "qwen2", "minilm", "repeats"])
def test_the_heads_transported_values_sum_to_the_blocks_output(models: dict[str, Path], name: str) -> None:
    """Σ_h Σ_j α_ij f_h(x_j) + b_O is what the model's attention block puts out, every token."""
    if name not in models:
        pytest.skip(f"the {name} model is not in example_site/models (make real-model)")
    tokenizer, model = float64_model(models[name])
    captured, block_out, out = run_with_outputs(model, tokenizer, TEXT)
    worst = 0.0
    for li, alpha in enumerate(out.attentions):
        a = alpha[0].numpy()  # (H, N, N)
        f = captured.transported(li)  # (H, N, width)
        mine = np.einsum("hij,hjw->iw", a, f) + captured.biases[li]
        worst = max(worst, float(np.abs(mine - block_out[li]).max()))
    assert worst < 1e-9, worst
    if name in ("llama", "qwen2"):
        assert captured.kv_heads < model.config.num_attention_heads  # grouped-query heads


def test_rescaling_the_values_changes_no_norm(models: dict[str, Path]) -> None:
    """V × c and W_O ÷ c: the same block, the same norms (the norm is of what arrives, not of
    the value vector)."""
    import torch

    tokenizer, model = float64_model(models["bert"])
    before = run_with_outputs(model, tokenizer, TEXT)[0].norms()
    with torch.no_grad():
        for layer in model.encoder.layer:
            layer.attention.self.value.weight.mul_(7.0)
            layer.attention.self.value.bias.mul_(7.0)
            layer.attention.output.dense.weight.div_(7.0)
    after = run_with_outputs(model, tokenizer, TEXT)[0].norms()
    assert np.abs(before - after).max() < 1e-12
    assert np.ptp(before) > 0.01  # the norms differ from key to key: the test could fail


@pytest.mark.parametrize("name", ["bert", "gpt2", "llama"])
def test_the_figure_shows_each_weight_times_its_keys_norm(models: dict[str, Path], name: str) -> None:
    folder = models[name]
    env = LoadEnv(project_dir=folder)
    shown = load(parse_fence(f"model: {folder}\ntext: {TEXT}\nweighting: value-norm"), env)
    plain = load(parse_fence(f"model: {folder}\ntext: {TEXT}"), env)
    tokenizer, model = float64_model(folder)
    captured, _, out = run_with_outputs(model, tokenizer, TEXT)
    alpha = np.stack([a[0].numpy() for a in out.attentions])
    sizes = alpha * captured.norms()[:, :, None, :]
    expected = sizes / sizes.sum(-1, keepdims=True)
    assert np.abs(shown.weights[:, :-1] - expected).max() < HALF / 10
    assert np.allclose(shown.weights.sum(-1), 1.0, atol=1e-3)
    assert np.abs(shown.weights[:, :-1] - plain.weights).max() > 0.01  # not the attention itself
    # The last head, "Heads together": the size of what the whole layer moves, ‖Σ_h α f_h(x_j)‖.
    assert shown.head_names == (*plain.head_names, "Heads together")
    layer = np.linalg.norm(
        np.stack(
            [np.einsum("hij,hjw->ijw", alpha[li], captured.transported(li)) for li in range(len(alpha))]
        ),
        axis=-1,
    )
    assert np.abs(shown.weights[:, -1] - layer / layer.sum(-1, keepdims=True)).max() < HALF / 10
    assert np.abs(shown.weights[:, -1] - expected.mean(1)).max() > 0.01  # no mean of the heads'
    one = load(parse_fence(f"model: {folder}\ntext: {TEXT}\nweighting: value-norm\nhead: 1"), env)
    assert one.head_names == ("Head 1",)  # a head chosen: no layer-wide one
    assert shown.tokens == plain.tokens
    assert "value norms" in (shown.note or "")


def test_on_the_real_encoder_cls_and_sep_lose_most_of_their_weight(models: dict[str, Path]) -> None:
    """The lesson of the paper on a real BERT-style encoder: heads that look at [CLS] and [SEP]
    read short vectors there, so their share falls once the norms count."""
    if "minilm" not in models:
        pytest.skip("the MiniLM model is not in example_site/models (make real-model)")
    env = LoadEnv(project_dir=MINILM)
    att = load(parse_fence(f"model: {MINILM}\ntext: {TEXT}"), env)
    norm = load(parse_fence(f"model: {MINILM}\ntext: {TEXT}\nweighting: value-norm"), env)
    special = [i for i, t in enumerate(att.tokens) if t in ("[CLS]", "[SEP]")]
    assert len(special) == 2
    on_special = att.weights[..., special].sum(-1).mean()
    on_special_norm = norm.weights[..., special].sum(-1).mean()
    assert on_special > 0.3 and on_special_norm < on_special / 2, (on_special, on_special_norm)


def test_what_value_norms_cannot_weigh_is_refused(models: dict[str, Path], tmp_path: Path) -> None:
    bart = make_bart(tmp_path / "bart")
    with pytest.raises(AttentionError, match=r"value-norm.*'bart' model, whose modules it does not know"):
        load(
            parse_fence(f"model: {bart}\ntext: the cat\nweighting: value-norm"), LoadEnv(project_dir=tmp_path)
        )
    gpt2 = models["gpt2"]
    with pytest.raises(AttentionError, match=r"'generate' cannot go with 'weighting'"):
        parse_fence(f"model: {gpt2}\ntext: the cat\nweighting: value-norm\ngenerate: 3")
    with pytest.raises(
        AttentionError, match=r"'weighting' must be one of attention, value-norm, flow, alti, not 'alit'"
    ):
        parse_fence(f"model: {gpt2}\ntext: the cat\nweighting: alit")
    with pytest.raises(AttentionError, match=r"'weighting' .*model"):
        parse_fence("text: the cat sat\nweighting: value-norm")
    with pytest.raises(AttentionError, match=r"'weighting: value-norm' reads a model's .*it needs 'model'"):
        parse_fence("file: w.npy\ntokens: [a, b]\nweighting: value-norm")


def test_the_page_carries_the_attention_and_the_norms(models: dict[str, Path], tmp_path: Path) -> None:
    """A value-norm figure's payload holds α (its ``w``) and each key's norm, from which the
    script weighs (and the reader may switch back to α); the figure is the same bytes from a
    cold build and from the cache. Where a figure has no one norm per key (whole words, a
    rollout entry), the page carries the weighted weights alone."""
    import base64

    folder = models["bert"]
    fence = f"model: {folder}\ntext: {TEXT}\nweighting: value-norm\nlayer: 1"
    cold = render_figure(
        parse_fence(fence), load(parse_fence(fence), LoadEnv(project_dir=folder, cache=Cache(tmp_path))), "f"
    )
    warm_attention = load(parse_fence(fence), LoadEnv(project_dir=folder, cache=Cache(tmp_path)))
    assert render_figure(parse_fence(fence), warm_attention, "f") == cold
    p = payload(cold)
    assert p["weighting"]["shown"] == "value-norm" and p["enc"] == "u16le-b64"
    plain = load(parse_fence(f"model: {folder}\ntext: {TEXT}\nlayer: 1"), LoadEnv(project_dir=folder))
    alpha = payload_weights(p)  # α of the two heads, and their mean for "Heads together"
    assert np.abs(alpha[:, :2] - plain.weights).max() <= 1 / 65535  # to the 16-bit step
    assert np.abs(alpha[:, 2] - plain.weights.mean(1)).max() <= 1 / 65535
    norms = np.frombuffer(base64.b64decode(p["weighting"]["norms"]), "<f4").reshape(1, 3, -1)
    tokenizer, model = float64_model(folder)
    want = run_with_outputs(model, tokenizer, TEXT)[0].norms()[1:2]
    assert np.abs(norms[:, :2] - want).max() <= 1e-6 * np.abs(want).max()
    weighed = value_weighted(alpha, norms)
    assert np.abs(warm_attention.weights[:, :2] - weighed[:, :2]).max() <= 1 / 65535
    together = np.frombuffer(base64.b64decode(p["weighting"]["together"]), "<u2").reshape(1, 11, 11) / 65535
    assert np.array_equal(warm_attention.weights[:, 2], together)
    for other in ("merge: words", "rollout: true"):
        html = render_figure(
            parse_fence(f"{fence}\n{other}".replace("\nlayer: 1", "")),
            load(parse_fence(f"{fence}\n{other}".replace("\nlayer: 1", "")), LoadEnv(project_dir=folder)),
            "g",
        )
        assert "weighting" not in payload(html) and 'class="attn-weighting"' not in html, other
    assert 'class="attn-weighting" data-weighting="attention"' in cold
