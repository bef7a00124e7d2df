"""How weights and logits travel as bytes: quantised to integers, then base64.

Shared by the page payload (``render.payload``) and the build cache (``cache``), so neither
imports the other. A weight in ``[0, 1]`` is carried as ``round(w * scale)`` in one of three
encodings (a weight is then ``integer / scale``):

- ``u8-b64``, scale 100: one byte a weight, the weight rounded to two decimals.
- ``u16le-b64``, scale 65535: within 7.7e-6 of the weight; also the build cache's encoding.
- ``u32le-b64``, scale 2³²−1: for five or six decimals.

Logits (the worked-math panel) travel exactly, as little-endian float32 or float64.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Encoding:
    """A quantisation of ``[0, 1]`` weights to unsigned integers ``round(w * scale)``."""

    name: str
    scale: int
    dtype: str


U8 = Encoding("u8-b64", 100, "u1")
U16 = Encoding("u16le-b64", 65535, "<u2")
U32 = Encoding("u32le-b64", 2**32 - 1, "<u4")
ENCODINGS = {e.name: e for e in (U8, U16, U32)}


def encoding_for(decimals: int) -> Encoding:
    """The smallest encoding whose error (half a step) is within half of the last shown decimal."""
    return U8 if decimals <= 2 else U16 if decimals <= 4 else U32


def quantize(weights: np.ndarray, enc: Encoding = U16) -> np.ndarray:
    """``round(w * scale)`` of each weight clipped to ``[0, 1]``, as floats: the integers carried."""
    return np.rint(np.clip(weights, 0.0, 1.0) * enc.scale)


def quantized(weights: np.ndarray, enc: Encoding = U16) -> np.ndarray:
    """The weights exactly as a reader (or, with ``U16``, the build cache) gets them back."""
    return quantize(weights, enc) / enc.scale


def encode_steps(steps: np.ndarray, enc: Encoding) -> str:
    """``quantize``'s integers as ``enc`` stores them, base64 (row-major)."""
    return base64.b64encode(steps.astype(enc.dtype).tobytes()).decode("ascii")


def encode_weights(weights: np.ndarray, enc: Encoding = U16) -> str:
    """Quantise ``[0, 1]`` weights to ``enc`` integers and base64 them (row-major)."""
    return encode_steps(quantize(weights, enc), enc)


def decode_weights(data: str, shape: tuple[int, ...], enc: Encoding = U16) -> np.ndarray:
    """Inverse of ``encode_weights``, as float64 of ``shape``."""
    q = np.frombuffer(base64.b64decode(data), dtype=enc.dtype)
    return (q.astype(np.float64) / enc.scale).reshape(shape)


def logits_dtype(logits: np.ndarray) -> str:
    """``"f4"`` when every logit is a float32 value (the toy model's, whole or short binary
    fractions as in hand-written scores), else ``"f8"``: either way they travel exactly."""
    with np.errstate(over="ignore"):  # a score beyond float32's range becomes inf: not equal
        return "f4" if np.array_equal(logits.astype(np.float32), logits) else "f8"


def encode_logits(logits: np.ndarray, dtype: str = "f8") -> str:
    """Logits exactly, as base64 of little-endian ``dtype`` floats."""
    return base64.b64encode(np.ascontiguousarray(logits, dtype="<" + dtype).tobytes()).decode("ascii")


def decode_logits(data: str, heads: int, n: int, dtype: str = "f8") -> np.ndarray:
    """Inverse of ``encode_logits``, as float64 ``(heads, n, n)``."""
    raw = np.frombuffer(base64.b64decode(data), dtype="<" + dtype)
    return raw.astype(np.float64).reshape(heads, n, n)


def decode_norms(data: str, shape: tuple[int, ...]) -> np.ndarray:
    """Value norms (L, H, N) of a weights ``shape`` (L, H, M, N), stored by ``encode_logits`` as
    float32, as float64."""
    layers, heads, _, keys = shape
    raw = np.frombuffer(base64.b64decode(data), dtype="<f4")
    return raw.astype(np.float64).reshape(layers, heads, keys)
