"""The per-head summaries against a plain float64 reference written with loops."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mkdocs_attention import load, parse_fence, render_figure
from mkdocs_attention.numerics import HEAD_STATS, causal_mask, softmax


def reference(w: np.ndarray, tokens: tuple[str, ...] | None = None) -> dict[str, float]:
    """One head's (N, N) weights, summarised row by row with Python floats; the probes of
    repeated ``tokens`` (all different when not given) over the queries that have a repeat."""
    n = len(w)
    tokens = tokens if tokens is not None else tuple(f"t{i}" for i in range(n))
    rows = [[float(x) for x in row] for row in w]
    entropy = sum(-sum(p * math.log2(p) for p in row if p > 0) for row in rows) / n
    previous = sum(rows[i][i - 1] for i in range(1, n)) / (n - 1) if n > 1 else 0.0
    first = sum(row[0] for row in rows) / n
    itself = sum(rows[i][i] for i in range(n)) / n
    distance = sum(sum(p * abs(i - j) for j, p in enumerate(row)) for i, row in enumerate(rows)) / n
    probes = {}
    for name, shift in (("duplicate", 0), ("induction", 1)):
        # Keys j ≤ i whose token j - shift is an earlier copy (before i) of query i's token.
        keys = [
            [j for j in range(shift, i + 1) if j - shift < i and tokens[j - shift] == tokens[i]]
            for i in range(n)
        ]
        scored = [i for i in range(n) if keys[i]]
        probes[name] = sum(sum(rows[i][j] for j in keys[i]) for i in scored) / len(scored) if scored else 0.0
    return {
        "entropy": entropy,
        "previous": previous,
        "first": first,
        "self": itself,
        "distance": distance,
        **probes,
    }


def random_weights(seed: int, causal: bool, min_layers: int) -> np.ndarray:
    """Softmax weights of a random shape (1–4 layers from ``min_layers``, 1–3 heads, 1–11 tokens)."""
    rng = np.random.default_rng(seed)
    layers, heads, n = int(rng.integers(min_layers, 5)), int(rng.integers(1, 4)), int(rng.integers(1, 12))
    return softmax(rng.normal(0, 3, (layers, heads, n, n)), causal_mask(n) if causal else None)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("causal", [False, True])
def test_every_summary_equals_the_reference(seed: int, causal: bool) -> None:
    w = random_weights(seed, causal, min_layers=1)
    layers, heads = w.shape[:2]
    # Tokens from three letters: most sentences of them repeat some, a few none.
    tokens = tuple("abc"[k] for k in np.random.default_rng(seed + 100).integers(0, 3, w.shape[-1]))
    for stat in HEAD_STATS:
        got = stat.of(w, tokens)
        assert got.shape == (layers, heads)
        for li in range(layers):
            for hi in range(heads):
                assert got[li, hi] == pytest.approx(reference(w[li, hi], tokens)[stat.name], abs=1e-12)


def test_known_heads() -> None:
    n = 5
    eye, uniform = np.eye(n), np.full((n, n), 1 / n)
    previous = np.eye(n, k=-1)
    previous[0, 0] = 1
    stats = {s.name: s.of(np.stack([eye, uniform, previous])[None], tuple("abcde")) for s in HEAD_STATS}
    assert stats["self"][0].tolist() == [1.0, pytest.approx(0.2), pytest.approx(0.2)]
    assert stats["entropy"][0].tolist() == [0.0, pytest.approx(math.log2(5)), 0.0]
    assert stats["previous"][0, 2] == 1.0 and stats["distance"][0, 0] == 0.0
    assert stats["distance"][0, 2] == pytest.approx(0.8)  # four queries one token back, one on itself


def test_the_figure_lists_each_head_in_its_table() -> None:
    spec = parse_fence("text: The cat sat on the mat.\nheads: 4")
    html = render_figure(spec, load(spec), "attn-x")
    table = html[html.index('<table class="attn-table attn-head-stats">') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 4 and "entropy (bits)" in table
    single = parse_fence("The cat sat.")
    assert "attn-head-stats" not in render_figure(single, load(single), "attn-y")


def rollout_reference(w: np.ndarray) -> np.ndarray:
    """Abnar & Zuidema's rollout with Python loops: Ã = norm(0.5·mean_h A + 0.5·I), R = Ã_L…Ã_1."""
    layers, heads, n, _ = w.shape
    r = [[float(i == j) for j in range(n)] for i in range(n)]
    for li in range(layers):
        a = [
            [
                0.5 * sum(float(w[li, h, i, j]) for h in range(heads)) / heads + 0.5 * (i == j)
                for j in range(n)
            ]
            for i in range(n)
        ]
        a = [[x / sum(row) for x in row] for row in a]
        r = [[sum(a[i][k] * r[k][j] for k in range(n)) for j in range(n)] for i in range(n)]
    return np.array(r)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("causal", [False, True])
def test_rollout_equals_the_reference_and_its_rows_sum_to_one(seed: int, causal: bool) -> None:
    from mkdocs_attention.numerics import rollout

    w = random_weights(seed, causal, min_layers=2)
    n = w.shape[-1]
    got = rollout(w)
    assert np.allclose(got, rollout_reference(w), atol=1e-12, rtol=0)
    assert np.allclose(got.sum(-1), 1.0, atol=1e-12)
    if causal:
        assert np.all(got[causal_mask(n)] == 0)


def test_a_figure_with_rollout_has_its_layer_and_says_what_it_is(tmp_path, monkeypatch) -> None:
    from mkdocs_attention import AttentionError, show
    from mkdocs_attention.numerics import rollout

    w = softmax(np.random.default_rng(3).normal(0, 2, (3, 2, 4, 4)))
    np.save(tmp_path / "w.npy", w)
    monkeypatch.chdir(tmp_path)
    spec = parse_fence("file: w.npy\ntokens: [a, b, c, d]\nrollout: true")
    attention = load(spec)
    assert attention.layer_names == ("Layer 0", "Layer 1", "Layer 2", "Rollout") and attention.rollout
    assert np.allclose(attention.weights[3], rollout(w)[None].repeat(2, 0))
    html = render_figure(spec, attention, "attn-r")
    assert '"rollout":true' in html and "Abnar &amp; Zuidema" in html
    assert "Rollout" in show(attentions=w, tokens=list("abcd"), rollout=True).html
    with pytest.raises(AttentionError, match=r"'rollout' needs at least 2 layers; this figure has 1"):
        load(parse_fence("file: w.npy\ntokens: [a, b, c, d]\nrollout: true\nlayer: 1"))
    with pytest.raises(AttentionError, match=r"'rollout'"):
        parse_fence("The cat sat.\n") and load(parse_fence("text: The cat sat.\nrollout: true"))


def table_rows(html: str) -> dict[str, list[float]]:
    """The "each head at a glance" table: each row's name and its numbers, as shown."""
    import re
    from html import unescape

    table = html[html.index('<table class="attn-table attn-head-stats">') :]
    table = table[: table.index("</table>")]
    return {
        unescape(name): [float(x) for x in re.findall(r"<td>([^<]*)</td>", cells)]
        for name, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table)
    }


def test_the_summaries_shown_are_the_weights_as_computed_not_as_rounded(tmp_path, monkeypatch) -> None:
    """Dirichlet rows have many small weights: rounded to the shown 0.01 first, head 0's
    entropy read 2.24 bits where the file's weights give 2.27. Every number shown is within half
    its last decimal of the float64 value, and heads sort by those."""
    rng = np.random.default_rng(0)
    w = rng.dirichlet(np.ones(12) * 0.5, size=(3, 4, 12))
    np.save(tmp_path / "w.npy", w)
    monkeypatch.chdir(tmp_path)
    spec = parse_fence(
        "file: w.npy\ntokens: [" + ", ".join(f"t{i}" for i in range(12)) + "]\nsort_heads: entropy"
    )
    html = render_figure(spec, load(spec), "attn-d")
    rows = table_rows(html)
    assert len(rows) == 12
    for li in range(3):
        for hi in range(4):
            shown = rows[f"Layer {li}, Head {hi}"]
            want = reference(w[li, hi])
            stats = [s for s in HEAD_STATS if s.name not in ("duplicate", "induction")]  # no repeats
            for stat, got in zip(stats, shown, strict=True):
                assert abs(got - want[stat.name]) <= 0.5 * 10**-stat.decimals + 1e-12, (li, hi, stat.name)
    import json
    import re
    from html import unescape

    payload = json.loads(unescape(re.search(r"data-attn='([^']*)'", html).group(1)))
    entropies = np.array([[reference(w[li, hi])["entropy"] for hi in range(4)] for li in range(3)])
    assert payload["overview"]["order"] == np.argsort(entropies, axis=1, kind="stable").tolist()


def test_the_rollout_layer_has_one_row(tmp_path, monkeypatch) -> None:
    w = softmax(np.random.default_rng(5).normal(0, 2, (2, 3, 4, 4)))
    np.save(tmp_path / "w.npy", w)
    monkeypatch.chdir(tmp_path)
    spec = parse_fence("file: w.npy\ntokens: [a, b, c, d]\nrollout: true")
    rows = table_rows(render_figure(spec, load(spec), "attn-r"))
    from mkdocs_attention.numerics import rollout

    assert list(rows) == [f"Layer {li}, Head {hi}" for li in range(2) for hi in range(3)] + ["Rollout"]
    assert abs(rows["Rollout"][0] - reference(rollout(w))["entropy"]) <= 0.005 + 1e-12


def merge_reference(w: np.ndarray, groups: list[int]) -> np.ndarray:
    """Whole words with Python loops: to a word the sum over its pieces, from a word the mean."""
    words = max(groups) + 1
    out = np.zeros((words, words))
    for a in range(words):
        rows = [i for i, g in enumerate(groups) if g == a]
        for b in range(words):
            cols = [j for j, g in enumerate(groups) if g == b]
            out[a, b] = sum(float(w[i, j]) for i in rows for j in cols) / len(rows)
    return out


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("causal", [False, True])
def test_merged_words_equal_the_reference_sum_to_one_and_stay_causal(seed: int, causal: bool) -> None:
    from mkdocs_attention.numerics import merge_pieces

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    groups = np.cumsum(np.r_[0, rng.random(n - 1) < 0.6]).astype(int)  # words of 1 or more pieces
    w = softmax(rng.normal(0, 2, (2, 3, n, n)), causal_mask(n) if causal else None)
    got = merge_pieces(w, groups)
    for li in range(2):
        for hi in range(3):
            assert np.allclose(got[li, hi], merge_reference(w[li, hi], groups.tolist()), atol=1e-12)
    assert np.allclose(got.sum(-1), 1.0, atol=1e-12)
    if causal:
        assert np.all(got[..., causal_mask(int(groups.max()) + 1)] == 0)


def test_probes_of_repeated_tokens_score_their_own_patterns_one_and_others_zero() -> None:
    """On "A B C A B C": a duplicate-token head (each token on its earlier copy) and an induction
    head (each on the token after that copy) score exactly 1 on their probe and 0 on the other;
    a sentence without a repeat has neither column."""
    from mkdocs_attention.numerics import head_stats, repeats

    tokens = tuple("ABCABC")
    n = len(tokens)
    duplicate, induction = np.eye(n), np.eye(n)  # queries without a repeat keep to themselves
    for i in range(3, n):
        duplicate[i] = np.eye(n)[i - 3]
        induction[i] = np.eye(n)[i - 2]  # "A B C A" → B
    stats = {s.name: s.of(np.stack([duplicate, induction])[None], tokens) for s in HEAD_STATS}
    assert stats["duplicate"][0].tolist() == [1.0, 0.0]
    assert stats["induction"][0].tolist() == [0.0, 1.0]
    assert repeats(tokens, 1)[3].tolist() == [False, True, False, False, False, False]
    assert [s.name for s in head_stats(False, tuple("ABC"))][-1] == "distance"
    assert [s.name for s in head_stats(False, tokens)][-2:] == ["duplicate", "induction"]
