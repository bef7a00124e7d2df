from __future__ import annotations

import json
import re
from html import unescape

import numpy as np

from mkdocs_attention import load, parse_fence, render_figure
from mkdocs_attention.render.payload import SCALE, decode_weights, encode_weights


def test_round_trip_within_half_a_quantum() -> None:
    rng = np.random.default_rng(0)
    w = rng.dirichlet(np.ones(17), size=(2, 3, 17))
    back = decode_weights(encode_weights(w), w.shape)
    assert np.max(np.abs(back - w)) <= 0.5 / SCALE + 1e-15


def test_exact_values_survive() -> None:
    w = np.array([0.0, 1.0, 0.5, 0.25])
    assert decode_weights(encode_weights(w), (4,)).tolist() == [0.0, 1.0, 32768 / SCALE, 16384 / SCALE]


def payload_of(html: str) -> dict:
    raw = re.search(r"data-attn='([^']*)'", html).group(1)
    return json.loads(unescape(raw))


def test_payload_in_figure_decodes_to_the_weights() -> None:
    spec = parse_fence("text: The quick brown fox.\nheads: 2\ndim: 8")
    att = load(spec)
    p = payload_of(render_figure(spec, att, "attn-x"))
    assert p["v"] == 1 and p["enc"] == "u16le-b64"
    assert p["tokens"] == ["The", "quick", "brown", "fox", "."]
    assert p["heads"] == ["Head 1", "Head 2"] and p["layers"] == ["Layer 1"]
    w = decode_weights(p["w"], (1, 2, 5, 5))
    assert np.max(np.abs(w - att.weights)) <= 0.5 / SCALE + 1e-15
    assert len(p["geo"]["cx"]) == 5
    assert p["stroke"] > 0


def test_hostile_text_stays_inside_the_attribute() -> None:
    spec = parse_fence("""tokens: ["'><script>alert(1)</script>", "&amp;", '"']""")
    html = render_figure(spec, load(spec), "attn-x")
    assert "<script>" not in html
    assert payload_of(html)["tokens"] == ["'><script>alert(1)</script>", "&amp;", '"']
