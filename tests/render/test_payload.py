from __future__ import annotations

import json
import re
from html import unescape

import numpy as np
import pytest

from mkdocs_attention import load, parse_fence, render_figure
from mkdocs_attention.codec import (
    U8,
    U16,
    U32,
    decode_logits,
    decode_weights,
    encode_weights,
    encoding_for,
    quantized,
)
from mkdocs_attention.render.payload import attribute_json, payload_weights
from tests.helpers import payload as payload_of


def convert(body: str, header: str = "") -> str:
    spec = parse_fence(body, header)
    return render_figure(spec, load(spec), "attn-x")


@pytest.mark.parametrize("enc", [U16, U8, U32], ids=lambda e: e.name)
def test_round_trip_within_half_a_step(enc) -> None:
    rng = np.random.default_rng(0)
    w = rng.dirichlet(np.ones(17), size=(2, 3, 17))
    back = decode_weights(encode_weights(w, enc), w.shape, enc)
    assert np.max(np.abs(back - w)) <= 0.5 / enc.scale + 1e-15
    assert np.array_equal(back, quantized(w, enc))  # what the reader gets is what ``quantized`` says


def test_exact_values_survive() -> None:
    w = np.array([0.0, 1.0, 0.5, 0.25])
    assert decode_weights(encode_weights(w), (4,)).tolist() == [
        0.0,
        1.0,
        32768 / U16.scale,
        16384 / U16.scale,
    ]
    assert decode_weights(encode_weights(w, U8), (4,), U8).tolist() == [0.0, 1.0, 0.5, 0.25]


def test_two_decimal_weights_decode_exactly_and_cost_one_byte() -> None:
    w = np.array([0.05, 0.45, 0.4, 0.1, 0.01, 0.99, 0.33, 0.67])
    data = encode_weights(w, U8)
    assert len(data) == 12  # base64: 4 characters per 3 values
    assert decode_weights(data, w.shape, U8).tolist() == w.tolist()


@pytest.mark.parametrize("precision", range(7))
def test_the_encoding_keeps_half_of_the_last_shown_decimal(precision: int) -> None:
    enc = encoding_for(precision)
    assert 0.5 / enc.scale <= 0.5 * 10.0**-precision
    w = np.random.default_rng(precision).dirichlet(np.ones(9), size=9)
    back = decode_weights(encode_weights(w, enc), w.shape, enc)
    assert np.max(np.abs(back - w)) <= 0.5 * 10.0**-precision


def test_payload_in_figure_decodes_to_the_weights() -> None:
    spec = parse_fence("text: The quick brown fox.\nheads: 2\ndim: 8")
    att = load(spec)
    p = payload_of(render_figure(spec, att, "attn-x"))
    # the worked-math panel shows three decimals of each weight: 16 bits
    assert p["v"] == 4 and p["enc"] == "u16le-b64" and p["scale"] == 65535
    assert p["tokens"] == ["The", "quick", "brown", "fox", "."]
    assert p["heads"] == ["Head 1", "Head 2"] and p["layers"] == ["Layer 1"]
    w = payload_weights(p)
    assert w.shape == (1, 2, 5, 5)
    assert np.max(np.abs(w - att.weights)) <= 0.5 / p["scale"] + 1e-15
    assert len(p["geo"]["cx"]) == 5
    assert p["stroke"] > 0
    # the toy model's logits are float32 values: they travel exactly in four bytes each
    assert p["math"]["dtype"] == "f4" and len(p["math"]["logits"]) == 4 * 2 * 5 * 5 * 4 // 3 + 2
    logits = decode_logits(p["math"]["logits"], 2, 5, "f4")
    assert logits.dtype == np.float64 and np.array_equal(logits, att.math.logits)


@pytest.mark.parametrize(
    ("scores", "dtype"),
    [
        ("[[0.5, 2], [-1.25, 4]]", "f4"),
        ("[[0.3, 2], [1e-9, 4]]", "f8"),
        ("[[1.0e+300, 0], [0, -1.0e+300]]", "f8"),
    ],
)
@pytest.mark.filterwarnings("error")  # a score beyond float32's range is no reason for a warning
def test_hand_written_scores_travel_exactly(scores: str, dtype: str) -> None:
    """Short binary fractions fit four bytes; 0.3 or 1e-9 do not, and keep all eight."""
    spec = parse_fence(f"tokens: [a, b]\nscores: {scores}")
    p = payload_of(render_figure(spec, load(spec), "attn-x"))
    assert p["math"]["dtype"] == dtype
    logits = decode_logits(p["math"]["logits"], 1, 2, dtype)
    assert np.array_equal(logits[0], np.array(json.loads(scores), dtype=np.float64))


def test_hostile_text_stays_inside_the_attribute() -> None:
    spec = parse_fence("""tokens: ["'><script>alert(1)</script>", "&amp;", '"']""")
    html = render_figure(spec, load(spec), "attn-x")
    assert "<script>" not in html
    assert payload_of(html)["tokens"] == ["'><script>alert(1)</script>", "&amp;", '"']


@pytest.mark.parametrize(("header", "enc"), [("", U8), ("{precision=1}", U8), ("{precision=3}", U16)])
def test_hand_written_weights_take_one_byte_up_to_two_decimals(header: str, enc) -> None:
    body = "tokens: [a, b, c]\nweights: [[1, 0, 0], [0.45, 0.55, 0], [0.123, 0.456, 0.421]]"
    html = convert(body, header)
    p = payload_of(html)
    assert (p["enc"], p["scale"]) == (enc.name, enc.scale)
    w = payload_weights(p)[0, 0]
    if enc is U8:
        assert w[1].tolist() == [0.45, 0.55, 0.0]
    else:
        assert np.allclose(w[1], [0.45, 0.55, 0], atol=1e-5)
    assert np.max(np.abs(w[2] - [0.123, 0.456, 0.421])) <= 0.5 / enc.scale + 1e-15
    # the fallback table shows the weights the script decodes
    if enc is U8 and header == "":
        assert "<td>0.46</td>" in html


def test_big_toy_figures_without_the_math_panel_take_one_byte() -> None:
    html = convert("text: " + " ".join(f"w{i}" for i in range(70)))
    p = payload_of(html)
    assert "math" not in p and p["enc"] == "u8-b64"
    assert len(p["w"]) == 4 * -(-70 * 70 // 3)


@pytest.mark.parametrize(
    "body",
    [
        "text: The quick brown fox\nheads: 2",  # worked math: "q·k", "√16"
        "text: " + "word " * 40,  # a long sentence: its name is cut with "…"
        "tokens: [a, b]\nscores: [[1, 2], [3, 4]]\ntemperature: 0.5",  # "×"
    ],
)
def test_a_figure_over_ascii_tokens_is_ascii_and_reads_the_same(body: str) -> None:
    # One character beyond ASCII makes Python hold the whole page at two bytes per character.
    html = convert(body)
    assert html.isascii()
    payload = json.loads(unescape(re.search(r"data-attn='([^']*)'", html).group(1)))
    spec = parse_fence(body, "")
    math = load(spec).math
    assert (payload["math"]["label"], payload["math"]["by"]) == (math.label, math.by)
    if "word" in body:
        assert unescape(re.search(r'<span class="attn-name"[^>]*>([^<]*)<', html).group(1)).endswith("word …")


def test_tokens_beyond_ascii_are_written_as_they_are() -> None:
    html = convert("tokens: [café, 猫]\nweights: [[1, 0], [0.5, 0.5]]")
    assert ">café</text>" in html and ">猫</th>" in html


def test_attribute_json_is_sorted_compact_json_with_nothing_an_html_rewriter_could_change() -> None:
    text = attribute_json({"tokens": ["'><b>", "&amp;", "&copy 2024", "√"], "a": 1.5})
    assert (
        text
        == '{"a":1.5,"tokens":["\\u0027\\u003e\\u003cb\\u003e","\\u0026amp;","\\u0026copy 2024","\\u221a"]}'
    )
    assert not set("&<>'") & set(text)  # a minifier that decodes entities finds none
    assert json.loads(text) == {"a": 1.5, "tokens": ["'><b>", "&amp;", "&copy 2024", "√"]}


@pytest.mark.parametrize("bad", [float("nan"), [1.0, float("inf")], {"x": -float("inf")}])
def test_attribute_json_refuses_what_is_not_json(bad) -> None:
    with pytest.raises(ValueError):
        attribute_json(bad)


def test_a_model_writings_payload_carries_its_causal_rows_and_steps() -> None:
    """``steps``: the lower triangle of each head, row by row, decodes to the figure's weights;
    the steps' predictions travel as given; the data table lists every step."""
    from mkdocs_attention.attention import Attention, Generation
    from mkdocs_attention.render import render_figure
    from mkdocs_attention.render.steps import lower_triangle

    rng = np.random.default_rng(3)
    n, prompt = 6, 3
    raw = np.tril(rng.random((2, 3, n, n)) + 0.01)
    weights = raw / raw.sum(-1, keepdims=True)
    top = tuple(((f"w{s}", 0.5), ("x", 0.25)) for s in range(n - prompt + 1))
    attention = Attention(
        tokens=("a", "b", "c", "w0", "w1", "w2"),
        weights=weights,
        head_names=("Head 0", "Head 1", "Head 2"),
        layer_names=("Layer 0", "Layer 1"),
        generation=Generation(prompt=prompt, top=top, chosen=(0.5, 0.5, 0.5)),
    )
    spec = parse_fence("model: ./m\ntext: a b c\ngenerate: 3")
    html = render_figure(spec, attention, "w")
    p = payload_of(html)
    assert p["steps"] == {"prompt": 3, "chosen": [0.5, 0.5, 0.5], "top": [[list(t) for t in s] for s in top]}
    assert len(decode_weights(p["w"], (2 * 3 * n * (n + 1) // 2,), U8)) == lower_triangle(weights).size
    np.testing.assert_allclose(payload_weights(p), quantized(weights, U8))
    table = html[html.index('<table class="attn-table attn-steps-table">') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 4  # steps 0 … 3
    assert (
        "<td>c</td><td>w0 (0.500)</td><td>w0 0.500, x 0.250</td>" in table
    )  # step 0 reads the prompt's last
    assert '<div class="attn-steps" data-search-exclude></div>' in html
