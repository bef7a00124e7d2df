"""The ``data-attn`` payload: what the reader-side script needs, compact and versioned.

Format v3 (see docs/reference.md): tokens (and, for cross-attention, the keys' ``key_tokens``),
head and layer names, the weights ``[L, H, M, N]``
quantised and base64'd as ``codec`` describes (``"enc"``, ``"scale"``, ``"w"``), the view's
settings and geometry, for the worked-math panel the logits, and for a value-norm figure the
norms (its ``w`` is then the attention, which the script weighs). The figure's encoding is the
smallest that keeps every decimal it shows exact: with ``precision`` ≤ 2 and no worked-math panel
the page carries exactly what a reader sees, at 1⅓ bytes a value.

Written as ``json.dumps(..., sort_keys=True, separators=(",", ":"))`` (ASCII) with ``&'<>`` as
JSON escapes, ready for a single-quoted HTML attribute: the same bytes for the same figure
everywhere, and nothing an HTML rewriter could change.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from ..attention import Attention
from ..codec import (
    ENCODINGS,
    U16,
    Encoding,
    decode_weights,
    encode_logits,
    encode_steps,
    encoding_for,
    logits_dtype,
    quantize,
)
from ..spec import Spec
from .steps import from_lower_triangle, lower_triangle, steps_part

VERSION = 4
#: Above this many tokens the worked-math panel is left out (its logits would dominate the page).
MAX_MATH_TOKENS = 64
#: Decimals the worked-math panel shows for a softmax weight (attn.js: max(precision, 3)).
MATH_DECIMALS = 3


def has_math(attention: Attention) -> bool:
    """Whether the figure gets the worked-math panel (and so its logits)."""
    return attention.math is not None and attention.n <= MAX_MATH_TOKENS


def figure_encoding(attention: Attention, precision: int) -> Encoding:
    """The encoding of one figure: decided by the most decimals any of its panels shows. A
    value-norm figure carries α in 16-bit steps, as the cache does: the script multiplies it by
    the norms, and a step of the shown decimals would be a step of that product."""
    if attention.values is not None:
        return U16
    return encoding_for(max(precision, MATH_DECIMALS) if has_math(attention) else precision)


def weighting_part(spec: Spec, attention: Attention) -> dict[str, Any] | None:
    """A value-norm figure's norms ‖f_h(x_j)‖ (L, H, N; float32, base64), the weighting shown
    first and, with every head shown, the weights of its last head, "Heads together" (L, M, N;
    16-bit steps); its ``w`` is then the attention α, which the script multiplies by the norms.
    A flow or ALTI figure's part names its last layer's entry: its buttons switch to it and back."""
    if attention.values is None:
        if spec.weighting in ("flow", "alti") and attention.rollout:  # its last layer's entry
            return {"entry": spec.weighting, "shown": "attention"}
        return None
    part: dict[str, Any] = {"norms": encode_logits(attention.values.norms, "f4"), "shown": "value-norm"}
    if attention.values.together is not None:  # the last head's weights, "Heads together"
        part["together"] = encode_steps(quantize(attention.values.together, U16), U16)
    return part


def math_part(attention: Attention) -> dict[str, Any] | None:
    """The worked-math panel's part of the payload, or None when the figure has no panel."""
    m = attention.math
    if m is None or not has_math(attention):
        return None
    dtype = m.dtype or logits_dtype(m.logits)
    return {
        "by": m.by,
        "causal": m.causal,
        "divisor": round(m.divisor, 12),
        "dtype": dtype,
        "label": m.label,
        "logits": encode_logits(m.logits, dtype),
    }


def payload_dict(
    spec: Spec,
    attention: Attention,
    enc: Encoding,
    steps: np.ndarray,
    *,
    stroke: float,
    geo: dict[str, Any],
    math: dict[str, Any] | None = None,
    overview: dict[str, Any] | None = None,
    compare: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything the widget needs (``attribute_json`` writes it for the figure): the fence's
    settings from ``spec``, the weights from ``attention`` as ``steps`` (``codec.quantize``'s
    integers in ``enc``, the encoding ``figure_encoding`` chose), and what the renderer worked
    out (the widest edge, the view's geometry, the panels)."""
    if attention.values is not None:  # the page carries α, which the script weighs
        steps = quantize(attention.values.attention, enc)
    payload: dict[str, Any] = {
        "direction": spec.direction,
        "enc": enc.name,
        "geo": geo,
        "heads": list(attention.head_names),
        "layers": list(attention.layer_names),
        "precision": spec.precision,
        "scale": enc.scale,
        "stroke": stroke,
        "tokens": list(attention.tokens),
        "v": VERSION,
        "view": spec.view,
        "w": encode_steps(steps if attention.generation is None else lower_triangle(steps), enc),
    }
    weighting = weighting_part(spec, attention)
    if weighting is not None:
        payload["weighting"] = weighting
    if attention.generation is not None:
        payload["steps"] = steps_part(attention.generation)
    if math is not None:
        payload["math"] = math
    if spec.threshold:
        payload["threshold"] = spec.threshold
    if spec.top_k is not None:
        payload["top_k"] = spec.top_k
    if attention.key_tokens is not None:
        payload["key_tokens"] = list(attention.key_tokens)
    if attention.rollout:
        payload["rollout"] = True
    if overview is not None:
        payload["overview"] = overview
    if spec.sync is not None:
        payload["sync"] = spec.sync
    if compare is not None:
        payload["compare"] = compare
    return payload


def attribute_json(value: Any) -> str:
    """``value`` as compact, key-ordered, ASCII JSON for a single-quoted HTML attribute, with
    ``&<>'`` written as JSON escapes (``\\u0026``…): they can only stand in strings, and the
    attribute then holds no character an HTML rewriter (a minifier, say) could decode or
    re-encode, so the script reads exactly what was written."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026").replace("'", "\\u0027").replace("<", "\\u003c").replace(">", "\\u003e")
    )


def payload_weights(payload: dict[str, Any]) -> np.ndarray:
    """The ``[L, H, M, N]`` weights of a parsed payload, decoded as its ``enc`` says."""
    keys = payload.get("key_tokens", payload["tokens"])
    shape = (len(payload["layers"]), len(payload["heads"]), len(payload["tokens"]), len(keys))
    enc = ENCODINGS[payload.get("enc", U16.name)]
    if "steps" in payload:  # causal: each row's keys up to the query
        n = shape[-1]
        packed = decode_weights(payload["w"], (*shape[:2], n * (n + 1) // 2), enc)
        return from_lower_triangle(packed, n)
    return decode_weights(payload["w"], shape, enc)
