"""Real Hugging Face loading code on tiny models the tests build and save themselves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mkdocs_attention.cache import Cache
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.sources.hf import run_model
from mkdocs_attention.spec import build_spec
from tests.helpers import requires_hf
from tests.tiny_models import make_bert, make_gpt2, reference_attentions

pytestmark = requires_hf

FOX = "The quick brown fox jumps over the lazy dog."


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("models")
    return {"bert": make_bert(root / "tiny-bert"), "gpt2": make_gpt2(root / "tiny-gpt2")}


def test_bert_matches_the_models_own_attentions(models: dict[str, Path]) -> None:
    att = load(build_spec({"model": str(models["bert"]), "text": FOX}))
    pieces, _, _, ref = reference_attentions(models["bert"], FOX)
    assert pieces[0] == "[CLS]" and pieces[-1] == "[SEP]" and "[UNK]" not in pieces
    assert att.tokens == (
        "[CLS]",
        "the",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "the",
        "lazy",
        "dog",
        ".",
        "[SEP]",
    )
    assert att.weights.shape == ref.shape == (2, 2, 12, 12)
    np.testing.assert_allclose(att.weights, ref, rtol=0, atol=0.5 / 65535 + 1e-12)  # quantised as cached
    assert att.layer_names == ("Layer 0", "Layer 1") and att.head_names == ("Head 0", "Head 1")
    exact = run_model(build_spec({"model": str(models["bert"]), "text": FOX}), str(models["bert"]), LoadEnv())
    np.testing.assert_allclose(exact.weights, ref, rtol=0, atol=1e-9)  # before encoding


def test_gpt2_is_causal_and_pieces_are_readable(models: dict[str, Path]) -> None:
    att = load(build_spec({"model": str(models["gpt2"]), "text": FOX, "causal": True, "layer": 1}))
    pieces, _, _, ref = reference_attentions(models["gpt2"], FOX)
    assert pieces[1] == "Ġquick"
    assert att.tokens == ("The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".")
    np.testing.assert_allclose(att.weights, ref[[1]], rtol=0, atol=0.5 / 65535 + 1e-12)
    assert att.layer_names == ("Layer 1",)


def test_hide_special_renormalises_and_says_so(models: dict[str, Path]) -> None:
    att = load(build_spec({"model": str(models["bert"]), "text": FOX, "hide_special": True, "head": 1}))
    _, ids, special, ref = reference_attentions(models["bert"], FOX)
    keep = [i for i, t in enumerate(ids) if t not in special]
    expected = ref[:, [1]][:, :, keep][:, :, :, keep]
    expected = expected / expected.sum(-1, keepdims=True)
    np.testing.assert_allclose(att.weights, expected, rtol=0, atol=0.5 / 65535 + 1e-12)
    assert att.tokens[0] == "the" and "[SEP]" not in att.tokens
    assert "Special tokens hidden" in att.note


def test_local_paths_resolve_against_the_project(models: dict[str, Path]) -> None:
    env = LoadEnv(project_dir=models["bert"].parent)
    assert load(build_spec({"model": "./tiny-bert", "text": "a cat"}), env).tokens == (
        "[CLS]",
        "a",
        "cat",
        "[SEP]",
    )


def test_bad_model_and_bad_selection(models: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(AttentionError, match=r"model '.*nothing-here' cannot be loaded"):
        load(build_spec({"model": str(tmp_path / "nothing-here"), "text": "a"}))
    with pytest.raises(AttentionError, match=r"layer 5 does not exist: model '.*' has 2 layers"):
        load(build_spec({"model": str(models["bert"]), "text": "a", "layer": 5}))


def test_cache_serves_the_second_request(models: dict[str, Path], tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    spec = build_spec({"model": str(models["gpt2"]), "text": FOX})
    first = load(spec, LoadEnv(cache=cache))
    files = list((tmp_path / "cache").glob("*.json"))
    assert len(files) == 1 and cache.misses == 1
    again = load(spec, LoadEnv(cache=Cache(tmp_path / "cache")))  # a fresh build reads the file
    assert again.tokens == first.tokens
    np.testing.assert_array_equal(again.weights, first.weights)


def test_a_text_longer_than_the_models_positions_is_refused_in_words(models: dict[str, Path]) -> None:
    with pytest.raises(AttentionError, match=r"more than the 128 positions the model has"):
        load(build_spec({"model": str(models["bert"]), "text": "the cat sat " * 60}))
