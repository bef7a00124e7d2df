"""The small causal model the project trains (example_site/models/train_repeats.py, committed as
example_site/models/repeats-2l): it loads like any local model, its weights are its own
``output_attentions`` in float64, the course's cache holds them, and the head probes find the
previous-token and induction heads the course names."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mkdocs_attention import load, parse_fence
from mkdocs_attention.cache import Cache
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.numerics import HEAD_STATS
from mkdocs_attention.sources import LoadEnv
from tests.helpers import ROOT, model_attentions, requires_hf

COURSE = ROOT / "example_site"
MODEL = COURSE / "models" / "repeats-2l"
pytestmark = requires_hf
FENCE = re.search(
    r"```attention\n(model: \./models/repeats-2l\n.*?)```", (COURSE / "docs" / "heads.md").read_text(), re.S
)


@pytest.fixture(scope="module")
def fresh():  # type: ignore[no-untyped-def]
    assert FENCE, "the course page has no fence of the trained model"
    spec = parse_fence(FENCE.group(1))
    return spec, load(spec, LoadEnv(project_dir=COURSE))


def test_the_committed_model_is_small_and_loads_as_a_local_model() -> None:
    size = sum(f.stat().st_size for f in MODEL.iterdir())
    assert size <= 2_000_000
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= {f.name for f in MODEL.iterdir()}


def test_the_weights_are_the_models_own_and_the_cache_holds_them(fresh) -> None:  # type: ignore[no-untyped-def]
    spec, attention = fresh
    want = model_attentions(MODEL, spec.text)
    assert attention.weights.shape == want.shape == (2, 4, 17, 17)
    assert attention.tokens[:3] == ("<s>", "fox", "river")
    assert np.abs(attention.weights - want).max() <= 0.5 * 10**-spec.precision
    cached = load(spec, LoadEnv(project_dir=COURSE, cache=Cache(COURSE / ".attention-cache")))
    np.testing.assert_array_equal(cached.weights, attention.weights)


def test_the_previous_token_and_induction_heads_are_found(fresh) -> None:  # type: ignore[no-untyped-def]
    """As heads.md says: Layer 0, Head 0 on previous 0.87; Layer 1, Head 0 induction 0.94; each
    the strongest of its kind."""
    _, attention = fresh
    stats = {s.name: s.of(attention.weights, attention.tokens) for s in HEAD_STATS}
    assert np.unravel_index(stats["previous"].argmax(), (2, 4)) == (0, 0) and stats["previous"][0, 0] > 0.85
    assert np.unravel_index(stats["induction"].argmax(), (2, 4)) == (1, 0) and stats["induction"][1, 0] > 0.9
    # the second "blue" (position 11) attends most to the first "seven" (position 4)
    assert attention.tokens[11] == "blue" and attention.tokens[4] == "seven"
    assert attention.weights[1, 0, 11].argmax() == 4


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_repeated_probe_finds_the_same_heads(seed: int) -> None:
    """``probe: repeated``: <s>, then 12 distinct words, then the same 12; the weights are the
    model's own on exactly those tokens, and the probes find the heads the course names."""
    from transformers import AutoTokenizer

    spec = parse_fence(f"model: ./models/repeats-2l\nprobe: {{repeated: 12, seed: {seed}}}")
    attention = load(spec, LoadEnv(project_dir=COURSE))
    tokens = attention.tokens
    assert len(tokens) == 25 and tokens[0] == "<s>" and tokens[1:13] == tokens[13:]
    assert len(set(tokens[1:13])) == 12 and "<unk>" not in tokens
    assert (
        attention.note
        == f"A probe: after <s>, 12 random tokens of the vocabulary (seed {seed}), then the same tokens again."
    )
    ids = AutoTokenizer.from_pretrained(MODEL).convert_tokens_to_ids(list(tokens))
    want = model_attentions(MODEL, ids)
    assert np.abs(attention.weights - want).max() <= 0.5 * 10**-spec.precision
    stats = {s.name: s.of(attention.weights, tokens) for s in HEAD_STATS}
    assert np.unravel_index(stats["previous"].argmax(), (2, 4)) == (0, 0)
    assert np.unravel_index(stats["induction"].argmax(), (2, 4)) == (1, 0) and stats["induction"][1, 0] > 0.9


def test_probes_with_other_seeds_draw_other_tokens_and_the_same_seed_the_same() -> None:
    def drawn(seed: int) -> tuple[str, ...]:
        return load(
            parse_fence(f"model: ./models/repeats-2l\nprobe: {{repeated: 6, seed: {seed}}}"),
            LoadEnv(project_dir=COURSE),
        ).tokens

    assert drawn(4) == drawn(4) != drawn(5)


def test_a_probe_longer_than_the_vocabulary_says_so() -> None:
    spec = parse_fence("model: ./models/repeats-2l\nprobe: {repeated: 200}")
    with pytest.raises(
        AttentionError, match=r"asks for 200 distinct tokens, but the vocabulary has only 105"
    ):
        load(spec, LoadEnv(project_dir=COURSE))
