"""Attention flow (Abnar & Zuidema, 2020): equal to networkx's max-flow on the same layered graph,
rows summing to 1, and the figure's Flow entry with its limits."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mkdocs_attention import AttentionError, load, parse_fence, render_figure
from mkdocs_attention.numerics import MAX_FLOW_CELLS, attention_flow, causal_mask, softmax
from mkdocs_attention.render.figure import render
from tests.helpers import payload


def reference(w: np.ndarray) -> np.ndarray:
    """The paper's construction, written independently: networkx's maximum flow from each token
    at the top to each input token, through layers whose edges are each layer's head mean mixed
    half-and-half with the identity (rows renormalised); rows rescaled to sum to 1."""
    nx = pytest.importorskip("networkx", reason="the reference max-flow is networkx's")
    layers, _, n, _ = w.shape
    graph = nx.DiGraph()
    for lower in range(layers):
        mixed = 0.5 * w[lower].mean(axis=0) + 0.5 * np.eye(n)
        mixed = mixed / mixed.sum(axis=1, keepdims=True)
        for a in range(n):
            for b in range(n):
                graph.add_edge((lower + 1, a), (lower, b), capacity=float(mixed[a, b]))
    flows = np.array(
        [[nx.maximum_flow_value(graph, (layers, i), (0, j)) for j in range(n)] for i in range(n)]
    )
    return flows / flows.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("causal", [False, True])
def test_flow_equals_networkx_and_its_rows_sum_to_one(seed: int, causal: bool) -> None:
    rng = np.random.default_rng(seed)
    layers, heads, n = int(rng.integers(2, 5)), int(rng.integers(1, 4)), int(rng.integers(2, 8))
    w = softmax(rng.normal(0, 3, (layers, heads, n, n)), causal_mask(n) if causal else None)
    got = attention_flow(w)
    assert np.abs(got - reference(w)).max() < 1e-12
    assert np.allclose(got.sum(axis=1), 1.0) and (got >= 0).all()
    if causal:  # nothing flows down to a later token
        assert np.abs(got[causal_mask(n)]).max() < 1e-12


def test_a_figure_with_flow_has_its_entry_and_says_what_it_is(tmp_path, monkeypatch) -> None:
    w = softmax(np.random.default_rng(5).normal(0, 2, (3, 2, 4, 4)))
    np.save(tmp_path / "w.npy", w)
    monkeypatch.chdir(tmp_path)
    spec = parse_fence("file: w.npy\ntokens: [a, b, c, d]\nweighting: flow")
    attention = load(spec)
    assert attention.layer_names == ("Layer 0", "Layer 1", "Layer 2", "Flow")
    np.testing.assert_array_equal(attention.weights[3], attention_flow(w)[None].repeat(2, 0))
    html = render_figure(spec, attention, "attn-f")
    assert "Flow (Abnar &amp; Zuidema, 2020)" in html
    # The no-JS table lists the Flow entry once, as it does rollout.
    assert re.findall(r'<th scope="row">(Flow[^<]*)</th>', html) == ["Flow"]
    # The reader switches between the layers and the entry (the weighting part does it).
    assert payload(html)["weighting"] == {"entry": "flow", "shown": "attention"}
    assert re.findall(r'class="attn-weighting" data-weighting="(\w+)" aria-pressed="(\w+)">(\w+)<', html) == [
        ("attention", "true", "Attention"),
        ("flow", "false", "Flow"),
    ]
    assert "weighting" in render(spec, attention, "attn-f").parts
    assert "math.css" not in render(spec, attention, "attn-f").parts  # no worked math here


def test_what_flow_cannot_weigh_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    np.save(tmp_path / "w.npy", softmax(np.zeros((2, 1, 3, 3))))
    with pytest.raises(AttentionError, match=r"'weighting: flow' needs at least 2 layers; this figure has 1"):
        load(parse_fence("file: w.npy\ntokens: [a, b, c]\nweighting: flow\nlayer: 1"))
    with pytest.raises(AttentionError, match=r"'weighting: flow' and 'rollout' .* choose one"):
        parse_fence("file: w.npy\ntokens: [a, b, c]\nweighting: flow\nrollout: true")
    with pytest.raises(AttentionError, match=r"'weighting' does not go with 'compare'"):
        parse_fence("file: w.npy\ntokens: [a, b, c]\nweighting: flow\ncompare: {file: w.npy}")
    with pytest.raises(AttentionError, match=r"'weighting' applies to .*only"):
        parse_fence("text: the cat sat\nweighting: flow")
    # Above the size it computes in a build: 7 layers of 24 tokens.
    n = 24
    np.save(tmp_path / "big.npy", softmax(np.zeros((7, 1, n, n))))
    assert 7 * n * n > MAX_FLOW_CELLS >= 6 * n * n
    tokens = ", ".join(f"t{i}" for i in range(n))
    with pytest.raises(AttentionError, match=r"7 layers of 24 tokens is more than .*6 layers of 24 tokens"):
        load(parse_fence(f"file: big.npy\ntokens: [{tokens}]\nweighting: flow"))


def test_a_notebooks_show_gives_the_same_flow_entry() -> None:
    from mkdocs_attention import show

    w = softmax(np.random.default_rng(1).normal(0, 2, (3, 2, 4, 4)))
    html = show(attentions=w, tokens=list("abcd"), weighting="flow").html
    assert re.findall(r'<th scope="row">(Flow[^<]*)</th>', html) == ["Flow"]
    # The reader switches between the layers and the entry (the weighting part does it).
    assert payload(html)["weighting"] == {"entry": "flow", "shown": "attention"}
    assert re.findall(r'class="attn-weighting" data-weighting="(\w+)" aria-pressed="(\w+)">(\w+)<', html) == [
        ("attention", "true", "Attention"),
        ("flow", "false", "Flow"),
    ]
    with pytest.raises(AttentionError, match=r"'weighting: value-norm' .* it needs 'model'"):
        show(attentions=w, tokens=list("abcd"), weighting="value-norm")
