"""A real pretrained transformer, all-MiniLM-L6-v2 (6 layers × 12 heads), as the example course
runs it: the product's weights are the model's own ``output_attentions`` in float64, and the
course's committed cache holds what the model gives. ``make real-model`` (run by ``make test``)
installs and extracts it; without it these tests skip."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mkdocs_attention import load, parse_fence
from mkdocs_attention.cache import Cache
from mkdocs_attention.codec import U16
from mkdocs_attention.numerics import HEAD_STATS
from mkdocs_attention.sources import LoadEnv
from tests.helpers import ROOT, model_attentions, requires_hf

COURSE = ROOT / "example_site"
MODEL = COURSE / "models" / "all-MiniLM-L6-v2"
pytestmark = [
    requires_hf,
    pytest.mark.skipif(not (MODEL / "model.safetensors").is_file(), reason="run `make real-model`"),
]
#: The course's fence of the real model (example_site/docs/heads.md), read from the page.
FENCE = re.search(
    r"```attention\n(model: \./models/all-MiniLM-L6-v2\n.*?)```",
    (COURSE / "docs" / "heads.md").read_text(),
    re.S,
)


@pytest.fixture(scope="module")
def fresh():  # type: ignore[no-untyped-def]
    """The course's fence run on the model now (no cache), and its spec."""
    assert FENCE, "the course page has no fence of the real model"
    spec = parse_fence(FENCE.group(1))
    return spec, load(spec, LoadEnv(project_dir=COURSE))


def test_the_weights_are_the_models_own_within_half_the_last_shown_decimal(fresh) -> None:  # type: ignore[no-untyped-def]
    spec, attention = fresh
    want = model_attentions(MODEL, spec.text)
    assert attention.weights.shape == want.shape == (6, 12, 15, 15)
    assert attention.tokens[0] == "[CLS]" and attention.tokens[-1] == "[SEP]"
    assert np.abs(attention.weights - want).max() <= 0.5 * 10**-spec.precision


def assert_the_cache_holds(cached: np.ndarray, fresh: np.ndarray) -> None:
    """The cache is the model's result on this machine but for weights one 16-bit step apart:
    PyTorch's float32 kernels differ by CPU (in their last bits), and a weight within those bits
    of a step's boundary rounds to the other step (29 of 16,200 on an AMD EPYC, against the
    machine that wrote the cache). A stale entry (another text, model or version) is far off.
    The course builds from the cache, so its pages are the same bytes everywhere."""
    steps = np.rint(np.abs(cached - fresh) * U16.scale)
    assert steps.max() <= 1  # at most one step, where a rounding boundary was crossed
    assert np.count_nonzero(steps) <= 0.01 * steps.size


def test_the_courses_committed_cache_holds_what_the_model_gives(fresh) -> None:  # type: ignore[no-untyped-def]
    spec, attention = fresh
    cached = load(spec, LoadEnv(project_dir=COURSE, cache=Cache(COURSE / ".attention-cache")))
    assert cached.tokens == attention.tokens
    assert_the_cache_holds(cached.weights, attention.weights)


def test_the_heads_the_course_names_are_there(fresh) -> None:  # type: ignore[no-untyped-def]
    """Layer 0, Head 2 looks at the previous token; Layer 4, Head 5 is a [CLS] sink; Layer 1,
    Head 8 looks at the next token (as heads.md says)."""
    _, attention = fresh
    stats = {s.name: s.of(attention.weights, attention.tokens) for s in HEAD_STATS}
    assert stats["previous"][0, 2] >= 0.995 and np.unravel_index(stats["previous"].argmax(), (6, 12)) == (
        0,
        2,
    )
    assert stats["first"][4, 5] >= 0.895 and np.unravel_index(stats["first"].argmax(), (6, 12)) == (4, 5)
    w = attention.weights[1, 8]
    assert np.diagonal(w, 1).mean() > 0.6  # on the next token


def test_whole_words_of_the_real_encoder() -> None:
    """``merge: words`` on word pieces (token ##ization, un ##bel ##ie ##va ##bly): the words are
    the text's, and the weights are the loop reference of the model's own float64 attentions."""
    from tests.test_head_stats import merge_reference

    text = "Tokenization splits unbelievably long words."
    spec = parse_fence(f"model: ./models/all-MiniLM-L6-v2\ntext: {text}\nmerge: words")
    attention = load(spec, LoadEnv(project_dir=COURSE))
    assert attention.tokens == (
        "[CLS]",
        "tokenization",
        "splits",
        "unbelievably",
        "long",
        "words",
        ".",
        "[SEP]",
    )
    groups = [0, 1, 1, 2, 3, 3, 3, 3, 3, 4, 5, 6, 7]  # the pieces' words
    want = model_attentions(MODEL, text)
    for li in range(6):
        for hi in range(12):
            got = attention.weights[li, hi]
            assert np.abs(got - merge_reference(want[li, hi], groups)).max() <= 0.5 * 10**-spec.precision
    assert "Word pieces joined into words" in (attention.note or "")


def test_the_five_minute_pages_heads_are_as_it_says() -> None:
    """self-attention.md: the figure's four heads are the model's own (and the cache's), and
    what the page says of them holds: Layer 0, Head 2 puts 1.00 on the previous token; in
    Layer 5, Head 3 "dog" puts 0.73 on "fox" (on first 0.41); Layer 0, Head 3 has the most
    entropy of the four, 3.18 bits."""
    found = re.search(
        r"```attention\n(model: \./models/all-MiniLM-L6-v2\n.*?)```",
        (COURSE / "docs" / "self-attention.md").read_text(),
        re.S,
    )
    assert found, "the five-minute page has no fence of the real model"
    spec = parse_fence(found.group(1))
    attention = load(spec, LoadEnv(project_dir=COURSE))
    assert attention.layer_names == ("Layer 0", "Layer 5") and attention.weights.shape[:2] == (2, 2)
    want = model_attentions(MODEL, spec.text)[[0, 5]][:, [2, 3]]
    assert np.abs(attention.weights - want).max() <= 0.5 * 10**-spec.precision
    cached = load(spec, LoadEnv(project_dir=COURSE, cache=Cache(COURSE / ".attention-cache")))
    assert_the_cache_holds(cached.weights, attention.weights)
    t, w = cached.tokens, cached.weights  # what the page shows
    stats = {s.name: s.of(w, t) for s in HEAD_STATS}
    assert round(float(stats["previous"][0, 0]), 2) == 1.00
    assert round(float(w[1, 1, t.index("dog"), t.index("fox")]), 2) == 0.73
    assert round(float(stats["first"][1, 1]), 2) == 0.41
    assert np.unravel_index(stats["entropy"].argmax(), (2, 2)) == (0, 1)
    assert round(float(stats["entropy"][0, 1]), 2) == 3.18


def test_the_explanation_pages_lessons_are_as_it_says() -> None:
    """beyond-weights.md: its three fences (layer 4's attention, the same weighted by value norms,
    and ALTI over all six layers) are in the committed cache as the model gives them, and what the
    page says of them holds on the cached weights, which are what it shows."""
    fences = re.findall(
        r"```attention\n(model: \./models/all-MiniLM-L6-v2\n.*?)```",
        (COURSE / "docs" / "beyond-weights.md").read_text(),
        re.S,
    )
    assert len(fences) == 3, "the page has three fences of the real model"
    shown = []
    for fence in fences:
        spec = parse_fence(fence)
        cached = load(spec, LoadEnv(project_dir=COURSE, cache=Cache(COURSE / ".attention-cache")))
        assert_the_cache_holds(cached.weights, load(spec, LoadEnv(project_dir=COURSE)).weights)
        shown.append(cached)
    attention, norms, alti = shown
    t = attention.tokens
    special = [0, len(t) - 1]
    first = {name: next(s for s in HEAD_STATS if s.name == "first").of(a.weights, t)[0] for name, a in
             (("attention", attention), ("value-norm", norms))}  # fmt: skip
    # "above a half in nine of the twelve heads, and 0.90 in Head 5" … "from 0.90 to 0.25"
    assert int((first["attention"] > 0.5).sum()) == 9
    assert round(float(first["attention"][5]), 2) == 0.90 and round(float(first["value-norm"][5]), 2) == 0.25
    # "the layer's share on [CLS] and [SEP] falls from 0.63 to 0.15"
    assert round(float(attention.weights[..., special].sum(-1).mean()), 2) == 0.63
    assert round(float(norms.weights[:, :12][..., special].sum(-1).mean()), 2) == 0.15
    assert norms.head_names[-1] == "Heads together"
    # "Heads 3, 4 and 11: their widest arc goes to animal, where the plain weights pointed at [CLS]"
    it, animal = t.index("it"), t.index("animal")
    for head in (3, 4, 11):
        assert norms.weights[0, head, it].argmax() == animal and attention.weights[0, head, it].argmax() == 0
    # "Heads together": "it" takes most from "animal" (0.24); the specials give 0.10 of what the
    # layer moves, and 0.63 of the heads' mean weight.
    together = norms.weights[0, -1]
    assert together[it].argmax() == animal and round(float(together[it, animal]), 2) == 0.24
    assert round(float(together[:, special].sum(-1).mean()), 2) == 0.10
    assert norms.values is not None
    assert round(float(norms.values.attention[0, -1][:, special].sum(-1).mean()), 2) == 0.63
    # ALTI: "it" is itself 0.17, "animal" 0.29, then "tired" 0.12; specials 0.03 of a word
    # against 0.51 of the heads' weight; each word keeps 0.39 of itself on average.
    assert alti.layer_names[-1] == "ALTI" and alti.rollout
    c = alti.weights[-1, 0]
    row = {tok: round(float(v), 2) for tok, v in zip(t, c[it], strict=True)}
    assert (row["it"], row["animal"], row["tired"]) == (0.17, 0.29, 0.12)
    assert sorted(row.values())[-3:] == [0.12, 0.17, 0.29]
    words = list(range(1, len(t) - 1))
    assert round(float(c[np.ix_(words, special)].sum(-1).mean()), 2) == 0.03
    assert round(float(alti.weights[:-1][..., special].sum(-1).mean()), 2) == 0.51
    assert round(float(np.diagonal(c)[words].mean()), 2) == 0.39
