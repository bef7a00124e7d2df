"""The ``data-attn`` payload: what the reader-side script needs, compact and versioned.

Format v3 (see docs/reference.md; v2 always sent the worked-math logits as float64, v1 as nested
JSON numbers).
Weights ``[L, H, N, N]`` travel quantised, base64 in ``"w"``, with ``"enc"`` and ``"scale"``
saying how (a weight is ``integer / scale``):

- ``u8-b64``, scale 100: one byte per weight, the weight rounded to two decimals. Used when the
  figure shows at most two decimals (``precision`` ≤ 2, no worked-math panel): the payload then
  carries exactly what a reader sees, at 1⅓ bytes per value (nested JSON floats cost ~22).
- ``u16le-b64``, scale 65535: little-endian 16-bit, within 7.7e-6 of the weight, 2⅔ bytes per
  value. Used for three or four decimals, and by the build cache.
- ``u32le-b64``, scale 2³²−1: little-endian 32-bit, for five or six decimals.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

import numpy as np

from ..attention import Attention

VERSION = 3


@dataclass(frozen=True)
class Encoding:
    """A quantisation of ``[0, 1]`` weights to unsigned integers ``round(w * scale)``."""

    name: str
    scale: int
    dtype: str


U16 = Encoding("u16le-b64", 65535, "<u2")
U8 = Encoding("u8-b64", 100, "u1")
U32 = Encoding("u32le-b64", 2**32 - 1, "<u4")
ENCODINGS = {e.name: e for e in (U16, U8, U32)}
#: The u16 scale, kept for callers that predate per-figure encodings.
SCALE = U16.scale
#: Above this many tokens the worked-math panel is left out (its logits would dominate the page).
MAX_MATH_TOKENS = 64
#: Decimals the worked-math panel shows for a softmax weight (attn.js: max(precision, 3)).
MATH_DECIMALS = 3


def encoding_for(decimals: int) -> Encoding:
    """The smallest encoding whose error (half a step) is within half of the last shown decimal."""
    return U8 if decimals <= 2 else U16 if decimals <= 4 else U32


def has_math(attention: Attention) -> bool:
    """Whether the figure gets the worked-math panel (and so its logits)."""
    return attention.math is not None and attention.n <= MAX_MATH_TOKENS


def figure_encoding(attention: Attention, precision: int) -> Encoding:
    """The encoding of one figure: decided by the most decimals any of its panels shows."""
    return encoding_for(max(precision, MATH_DECIMALS) if has_math(attention) else precision)


def math_json(attention: Attention) -> str | None:
    """The worked-math panel's part of the payload (``attribute_json`` of its dict), or None
    when the figure has no panel."""
    m = attention.math
    if m is None or not has_math(attention):
        return None
    dtype = m.dtype or logits_dtype(m.logits)
    return (f'{{"by":{_string(m.by)},"causal":{"true" if m.causal else "false"},'
            f'"divisor":{attribute_json(round(m.divisor, 12))},"dtype":{_string(dtype)},'
            f'"label":{_string(m.label)},"logits":"{encode_logits(m.logits, dtype)}"}}')


def encode_weights(weights: np.ndarray, enc: Encoding = U16) -> str:
    """Quantise ``[0, 1]`` weights to ``enc`` integers and base64 them (row-major)."""
    return encode_steps(quantize(weights, enc), enc)


def encode_steps(steps: np.ndarray, enc: Encoding) -> str:
    """``quantize``'s integers as ``enc`` stores them, base64 (row-major)."""
    return base64.b64encode(steps.astype(enc.dtype).tobytes()).decode("ascii")


def logits_dtype(logits: np.ndarray) -> str:
    """``"f4"`` when every logit is a float32 value (the toy model's, whole or short binary
    fractions as in hand-written scores), else ``"f8"``: either way the page carries them exactly."""
    with np.errstate(over="ignore"):  # a score beyond float32's range becomes inf: not equal
        return "f4" if np.array_equal(logits.astype(np.float32), logits) else "f8"


def encode_logits(logits: np.ndarray, dtype: str = "f8") -> str:
    """The worked-math logits ``[H, N, N]`` exactly, as base64 of little-endian ``dtype`` floats:
    5⅓ (f4) or 10⅔ (f8) bytes per value, and ~20× faster to write than JSON numbers."""
    return base64.b64encode(np.ascontiguousarray(logits, dtype="<" + dtype).tobytes()).decode("ascii")


def decode_logits(data: str, heads: int, n: int, dtype: str = "f8") -> np.ndarray:
    """Inverse of ``encode_logits``, as float64."""
    raw = np.frombuffer(base64.b64decode(data), dtype="<" + dtype)
    return raw.astype(np.float64).reshape(heads, n, n)


def decode_weights(data: str, shape: tuple[int, ...], enc: Encoding = U16) -> np.ndarray:
    """Inverse of ``encode_weights`` (used by the build cache, tests and benchmarks)."""
    q = np.frombuffer(base64.b64decode(data), dtype=enc.dtype)
    return (q.astype(np.float64) / enc.scale).reshape(shape)


def payload_weights(payload: dict[str, Any]) -> np.ndarray:
    """The ``[L, H, N, N]`` weights of a parsed payload, decoded as its ``enc`` says."""
    n = len(payload["tokens"])
    shape = (len(payload["layers"]), len(payload["heads"]), n, n)
    return decode_weights(payload["w"], shape, ENCODINGS[payload.get("enc", U16.name)])


def quantize(weights: np.ndarray, enc: Encoding = U16) -> np.ndarray:
    """``round(w * scale)`` of each weight clipped to ``[0, 1]``: the integers the page carries
    (as floats)."""
    return np.rint(np.minimum(np.maximum(weights, 0.0), 1.0) * enc.scale)  # np.clip, without its wrappers


def quantized(weights: np.ndarray, enc: Encoding = U16) -> np.ndarray:
    """The weights exactly as a reader (or, with ``U16``, the build cache) gets them back."""
    return quantize(weights, enc) / enc.scale


def payload_json(attention: Attention, enc: Encoding, steps: np.ndarray, *, view: str, direction: str,
                 precision: int, stroke: float, geo: dict[str, Any], math: str | None = None,
                 threshold: float = 0.0, top_k: int | None = None) -> str:
    """Everything the widget needs, as ``attribute_json`` writes it (keys in order): tokens, names,
    weights (``steps``: ``quantize``'s integers in the encoding ``figure_encoding`` chose), the
    view's settings and geometry, and ``math_json``. Written out key by key: a
    dict through the general writer cost more than the rest of the payload."""
    head = (f'{{"direction":{_string(direction)},"enc":{_string(enc.name)},"geo":{attribute_json(geo)},'
            f'"heads":{_names(attention.head_names)},"layers":{_names(attention.layer_names)}')
    return "".join([
        head,
        "" if math is None else f',"math":{math}',
        f',"precision":{int(precision)},"scale":{enc.scale},"stroke":{attribute_json(stroke)}',
        f',"threshold":{attribute_json(threshold)}' if threshold else "",
        f',"tokens":[{",".join(map(_string, attention.tokens))}]',
        "" if top_k is None else f',"top_k":{int(top_k)}',
        f',"v":{VERSION},"view":{_string(view)},"w":"{encode_steps(steps, enc)}"}}',
    ])


class Raw(str):
    """JSON text written ahead of time, copied as it is by ``attribute_json``: base64, which
    has nothing to escape, is most of a payload's bytes."""


def attribute_json(value: Any) -> str:
    """``value`` as compact, key-ordered JSON, ASCII (``√`` is ``\\u221a``), ready for a
    single-quoted HTML attribute: ``&'<>`` escaped as HTML (only strings can hold them).

    The same text as ``json.dumps(value, sort_keys=True, separators=(",", ":"))`` with those four
    characters then escaped; same bytes for the same figure everywhere. ASCII keeps an ASCII page
    ASCII: Python then holds the page's text at one byte per character, and MkDocs copies, scans
    and encodes it faster. Written here rather than by ``json``: its encoder scans every byte
    of the base64 for characters to escape, and the result had to be scanned again for HTML.
    """
    t = type(value)
    if t is Raw:
        return value
    if t is str:
        return _string(value)
    if t is float and math.isfinite(value):
        return float.__repr__(value)
    if t is int:
        return int.__repr__(value)
    if t is dict:
        return "{" + ",".join([f"{_string(k)}:{attribute_json(value[k])}" for k in sorted(value)]) + "}"
    if t is list or t is tuple:
        kinds = set(map(type, value))
        if kinds == {str}:  # tokens, names
            return "[" + ",".join(map(_string, value)) + "]"
        if kinds == {float} and math.isfinite(math.fsum(value)):  # coordinates
            return "[" + ",".join(map(float.__repr__, value)) + "]"
        return "[" + ",".join(map(attribute_json, value)) + "]"
    if t is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    return _html_escape(_ENCODER.encode(value))  # numpy scalars; NaN and infinities raise


def json_numbers(written: list[str]) -> Raw:
    """A JSON list of numbers already written for the SVG by ``svg.num`` (at most two decimals, no
    exponent): the bytes ``json`` writes for the same numbers rounded to two decimals, ``150.0``
    for ``150``. Float ``repr`` costs about a microsecond a number, most of a payload's time."""
    return Raw("[" + ",".join(map(json_number, written)) + "]")


def json_number(written: str) -> Raw:
    """One number of ``json_numbers``."""
    return Raw(written if "." in written else written + ".0")


@lru_cache(maxsize=256)  # a course's figures share a few sets of head and layer names
def _names(names: tuple[str, ...]) -> Raw:
    return Raw("[" + ",".join(map(_string, names)) + "]")


@lru_cache(maxsize=16384)  # a course repeats its tokens and names
def _string(text: str) -> str:
    return _html_escape(encode_basestring_ascii(text))


def _html_escape(json_text: str) -> str:
    if "&" in json_text or "'" in json_text or "<" in json_text or ">" in json_text:
        return (json_text.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
                .replace(">", "&gt;"))
    return json_text


#: For values ``attribute_json`` does not write itself (``allow_nan=False``: NaN is not JSON).
_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), sort_keys=True, allow_nan=False)
