"""Today's decoder-only families (issue 21): a tiny Llama and a tiny Qwen2, both with grouped-query
attention (4 query heads over 2 key/value heads) and rotary positions, built and saved by the tests.

Each fence goes the way an author's does (YAML body → ``parse_fence`` → ``load``) and the figure
must equal the model's own eager ``output_attentions``, every layer and head.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mkdocs_attention.attention import Attention
from mkdocs_attention.convert import Place, convert_fence
from mkdocs_attention.numerics import rollout
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.sources.hf import run_model
from mkdocs_attention.spec import parse_fence
from tests.helpers import requires_hf
from tests.tiny_models import make_llama, make_qwen2, reference_attentions

pytestmark = requires_hf

FOX = "The quick brown fox jumps over the lazy dog."
#: As in test_hf.py: the figure is quantised to 16 bits as the build cache stores it.
QUANTISED = 0.5 / 65535 + 1e-12
FAMILIES = ("llama", "qwen2")
#: The tokenizer's pieces of FOX: Llama puts a BOS token first and marks word starts with "▁";
#: Qwen2 has no BOS and marks them with "Ġ" (byte-level BPE, as GPT-2).
PIECES = {
    "llama": ["<s>", "▁The", "▁quick", "▁brown", "▁fox", "▁jumps", "▁over", "▁the", "▁lazy", "▁dog", "."],
    "qwen2": ["The", "Ġquick", "Ġbrown", "Ġfox", "Ġjumps", "Ġover", "Ġthe", "Ġlazy", "Ġdog", "."],
}
WORDS = ("The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".")
BOS = {"llama": ("<s>",), "qwen2": ()}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("decoders")
    return {"llama": make_llama(root / "tiny-llama"), "qwen2": make_qwen2(root / "tiny-qwen2")}


@pytest.fixture(scope="module")
def own(models: dict[str, Path]) -> dict[str, Any]:
    """Each model's own (pieces, ids, special ids, attentions) for FOX."""
    return {family: reference_attentions(path, FOX) for family, path in models.items()}


def fence(path: Path, text: str = FOX, extra: str = "") -> Attention:
    """The figure of a fence body ``model: <path>`` / ``text: ...`` (plus ``extra`` YAML lines)."""
    return load(parse_fence(f"model: {path}\ntext: {text}\n{extra}"))


@pytest.mark.parametrize("family", FAMILIES)
def test_every_layer_and_head_equals_the_models_own_attentions(
    models: dict[str, Path], own: dict[str, Any], family: str
) -> None:
    path = models[family]
    att = fence(path, extra="causal: true\n")
    pieces, _, _, ref = own[family]
    n = len(pieces)
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    assert config["model_type"] == family and config["rope_parameters"]["rope_type"] == "default"  # rotary
    assert (config["num_attention_heads"], config["num_key_value_heads"]) == (4, 2)  # grouped-query
    # The 4 query heads are shown, not the 2 key/value heads they share.
    assert ref.shape == (config["num_hidden_layers"], config["num_attention_heads"], n, n) == (2, 4, n, n)
    assert att.weights.shape == ref.shape
    assert att.layer_names == ("Layer 0", "Layer 1")
    assert att.head_names == ("Head 0", "Head 1", "Head 2", "Head 3")
    np.testing.assert_allclose(att.weights, ref, rtol=0, atol=QUANTISED)
    exact = run_model(parse_fence(f"model: {path}\ntext: {FOX}"), str(path), LoadEnv())
    np.testing.assert_allclose(exact.weights, ref, rtol=0, atol=1e-9)  # before quantising
    # The comparison means something: every two heads of a layer (also two query heads sharing a
    # key/value head, 0 and 1) differ by far more than the tolerance, so a swapped or repeated head fails.
    for layer in ref:
        for i in range(4):
            for j in range(i + 1, 4):
                assert np.abs(layer[i] - layer[j]).max() > 0.1, (i, j)


@pytest.mark.parametrize("family", FAMILIES)
def test_causal_is_accepted_and_later_tokens_get_exactly_zero(
    models: dict[str, Path], own: dict[str, Any], family: str
) -> None:
    att = fence(models[family], extra="causal: true\n")
    _, _, _, ref = own[family]
    later = np.triu(np.ones(att.weights.shape[-2:], dtype=bool), 1)
    assert (ref[..., later] == 0).all() and (ref[..., ~later] > 0).all()  # the model masks later tokens only
    assert (att.weights[..., later] == 0).all()  # exactly 0 in the figure too
    np.testing.assert_allclose(att.weights.sum(-1), 1, rtol=0, atol=att.weights.shape[-1] * QUANTISED)


@pytest.mark.parametrize("family", FAMILIES)
def test_tokens_are_the_tokenizers_pieces_made_readable(
    models: dict[str, Path], own: dict[str, Any], family: str
) -> None:
    att = fence(models[family])
    pieces, ids, special, _ = own[family]
    assert pieces == PIECES[family]  # real pieces of the words: no unknowns, no single bytes
    assert att.tokens == (*BOS[family], *WORDS)
    assert len(att.tokens) == len(ids)  # one shown token per model position, BOS included
    assert (ids[0] in special) == (family == "llama")
    # A word outside the vocabulary falls apart into letters; its lone word-start piece ("▁", "Ġ")
    # is shown as "␣", not dropped.
    hid = ("The", "dog", "␣", "h", "i", "d", ".")
    assert fence(models[family], "The dog hid.").tokens == (*BOS[family], *hid)


def test_hide_special_drops_llamas_bos_and_renormalises(models: dict[str, Path], own: dict[str, Any]) -> None:
    att = fence(models["llama"], extra="hide_special: true\ncausal: true\n")
    _, _, _, ref = own["llama"]
    expected = ref[:, :, 1:, 1:] / ref[:, :, 1:, 1:].sum(-1, keepdims=True)
    assert att.tokens == WORDS
    np.testing.assert_allclose(att.weights, expected, rtol=0, atol=QUANTISED)


@pytest.mark.parametrize("family", FAMILIES)
def test_layer_and_head_pick_the_right_slices(
    models: dict[str, Path], own: dict[str, Any], family: str
) -> None:
    path = models[family]
    _, _, _, ref = own[family]
    att = fence(path, extra="layer: 1\nhead: [3, 0]\n")
    assert att.layer_names == ("Layer 1",) and att.head_names == ("Head 3", "Head 0")
    np.testing.assert_allclose(att.weights, ref[[1]][:, [3, 0]], rtol=0, atol=QUANTISED)
    att = fence(path, extra="head: 2\n")
    assert att.layer_names == ("Layer 0", "Layer 1") and att.head_names == ("Head 2",)
    np.testing.assert_allclose(att.weights, ref[:, [2]], rtol=0, atol=QUANTISED)


@pytest.mark.parametrize("family", FAMILIES)
def test_rollout_on_selected_heads(models: dict[str, Path], own: dict[str, Any], family: str) -> None:
    path = models[family]
    _, _, _, ref = own[family]
    att = fence(path, extra="layer: [0, 1]\nhead: [1, 2]\nrollout: true\ncausal: true\n")
    assert att.rollout and att.layer_names == ("Layer 0", "Layer 1", "Rollout")
    assert att.head_names == ("Head 1", "Head 2")
    np.testing.assert_allclose(att.weights[:2], ref[:, [1, 2]], rtol=0, atol=QUANTISED)
    rolled = att.weights[2]
    np.testing.assert_allclose(rolled.sum(-1), 1, rtol=0, atol=1e-12)  # rows sum to 1
    np.testing.assert_array_equal(rolled[0], rolled[1])  # the same in every head
    np.testing.assert_allclose(
        rolled[0], rollout(ref[:, [1, 2]]), rtol=0, atol=4 * QUANTISED
    )  # of quantised maps
    assert (np.triu(rolled[0], 1) == 0).all()  # a causal model's rollout stays causal


@pytest.mark.parametrize("family", FAMILIES)
def test_a_page_fence_renders_the_figure(models: dict[str, Path], family: str) -> None:
    outcome = convert_fence(f"model: {models[family]}\ntext: {FOX}\ncausal: true\n", "", Place(), set())
    assert outcome.error is None, outcome.error
    assert "fox" in outcome.html
    assert models[family] / "model.safetensors" in outcome.reads


@pytest.mark.parametrize("family", FAMILIES)
def test_merge_words_joins_sentencepiece_and_byte_level_pieces_and_stays_causal(
    models: dict[str, Path], family: str
) -> None:
    """ "hid" falls apart into four pieces ("▁"/"Ġ", h, i, d): ``merge: words`` shows it as one
    word with the full stop the text's spaces leave on it, its row the mean of its pieces' and
    its column their sum; no word looks ahead."""
    from tests.test_head_stats import merge_reference

    pieces = fence(models[family], "The dog hid.")
    words = fence(models[family], "The dog hid.", "merge: words")
    assert words.tokens == (*BOS[family], "The", "dog", "hid.")
    bos = len(BOS[family])
    groups = [*range(bos), bos, bos + 1, *[bos + 2] * 5]
    assert len(groups) == len(pieces.tokens)
    for li, hi in np.ndindex(*words.weights.shape[:2]):
        want = merge_reference(pieces.weights[li, hi], groups)
        assert np.abs(words.weights[li, hi] - want).max() <= 2 * QUANTISED
    n = len(words.tokens)
    assert np.all(words.weights[..., np.triu_indices(n, 1)[0], np.triu_indices(n, 1)[1]] == 0)
