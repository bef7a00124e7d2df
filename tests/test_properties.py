"""Property-based tests: any tokens and matrices render faithfully or raise AttentionError."""

from __future__ import annotations

import markdown
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_attention import AttentionError, load, parse_fence, render_figure
from mkdocs_attention.hosts.markdown_extension import AttentionExtension
from mkdocs_attention.render.payload import payload_weights
from mkdocs_attention.spec import build_spec
from tests.helpers import payload

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: Any visible text (control characters, the byte-order mark and non-characters are refused:
#: tests/test_spec.py and the hostile corpus check how).
token = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufeff\ufffe\uffff"),
    min_size=1,
    max_size=8,
)


@st.composite
def tokens_and_weights(draw: st.DrawFn) -> tuple[list[str], list[list[list[float]]]]:
    n = draw(st.integers(1, 10))
    heads = draw(st.integers(1, 3))
    toks = draw(st.lists(token, min_size=n, max_size=n))
    raw = draw(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=heads * n * n, max_size=heads * n * n))
    m = np.array(raw, dtype=np.float64).reshape(heads, n, n) + 1e-9
    m = m / m.sum(-1, keepdims=True)
    return toks, m.tolist()


@SETTINGS
@given(tokens_and_weights())
def test_any_tokens_and_weights_round_trip(case: tuple[list[str], list]) -> None:
    toks, weights = case
    spec = build_spec({"tokens": toks, "weights": weights})
    html = render_figure(spec, load(spec), "attn-p")
    p = payload(html)
    assert p["tokens"] == toks
    n, h = len(toks), len(weights)
    back = payload_weights(p)
    assert back.shape == (1, h, n, n)
    assert np.max(np.abs(back[0] - np.array(weights))) <= 0.5 / p["scale"] + 1e-12


@SETTINGS
@given(st.text(max_size=200), st.text(alphabet=st.sampled_from(list("{}=\"' abcdhs2xyz-._")), max_size=30))
def test_any_fence_parses_or_raises_attention_error(body: str, header: str) -> None:
    try:
        spec = parse_fence(body, header)
    except AttentionError as exc:
        assert exc.message  # an author-facing message, never an empty one
        return
    assert render_figure(spec, load(spec), "attn-p").startswith('<figure class="attn" id="attn-p"')


yaml_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 600),
    st.floats(allow_nan=True),
    st.text(max_size=10),
    st.lists(st.integers(-1, 3), max_size=4),
    st.lists(st.lists(st.floats(-1, 2), max_size=3), max_size=3),
)
keys = st.sampled_from(
    [
        "text",
        "tokens",
        "weights",
        "heads",
        "dim",
        "seed",
        "causal",
        "view",
        "direction",
        "precision",
        "title",
        "caption",
        "model",
        "txt",
    ]
)


@SETTINGS
@given(st.dictionaries(keys, yaml_value, max_size=6))
def test_any_option_mapping_builds_or_raises_attention_error(options: dict) -> None:
    try:
        spec = build_spec(options)
        html = render_figure(spec, load(spec), "attn-p")
    except AttentionError as exc:
        assert exc.message
    else:
        assert html.startswith('<figure class="attn" id="attn-p"')


@SETTINGS
@given(st.text(max_size=120))
def test_markdown_conversion_never_raises_and_never_drops_a_fence(body: str) -> None:
    body = body.replace("`", "'").replace("~", "-")  # keep the fence itself intact
    html = markdown.markdown(
        f"Before.\n\n```attention\n{body}\n```\n\nAfter.", extensions=["fenced_code", AttentionExtension()]
    )
    assert html.count('<figure class="attn"') + html.count('class="attn-error"') == 1
    assert "<p>Before.</p>" in html and "<p>After.</p>" in html
