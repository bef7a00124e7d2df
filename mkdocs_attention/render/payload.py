"""The ``data-attn`` payload: what the reader-side script needs, compact and versioned.

Format v1 (see docs/reference.md): weights ``[L, H, N, N]`` quantised to unsigned 16-bit
integers ``round(w * 65535)``, little-endian, base64 in ``"w"``. That keeps every weight to
within 7.7e-6 (well past the 4 decimals shown in ``data-weight``) at 2⅔ bytes per value,
against ~22 for nested JSON floats.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

from ..attention import Attention

VERSION = 1
SCALE = 65535


def encode_weights(weights: np.ndarray) -> str:
    """Quantise ``[0, 1]`` weights to u16 little-endian and base64 them (row-major)."""
    q = np.rint(np.clip(weights, 0.0, 1.0) * SCALE).astype("<u2")
    return base64.b64encode(q.tobytes()).decode("ascii")


def decode_weights(data: str, shape: tuple[int, ...]) -> np.ndarray:
    """Inverse of ``encode_weights`` (used by tests and benchmarks)."""
    q = np.frombuffer(base64.b64decode(data), dtype="<u2")
    return (q.astype(np.float64) / SCALE).reshape(shape)


def quantized(weights: np.ndarray) -> np.ndarray:
    """The weights exactly as a reader (or the build cache) gets them back."""
    return np.rint(np.clip(weights, 0.0, 1.0) * SCALE) / SCALE


def build_payload(attention: Attention, **extra: Any) -> dict[str, Any]:
    """Everything the widget needs: tokens, names, weights and view settings in ``extra``."""
    return {
        "v": VERSION,
        "tokens": list(attention.tokens),
        "layers": list(attention.layer_names),
        "heads": list(attention.head_names),
        "enc": "u16le-b64",
        "scale": SCALE,
        "w": encode_weights(attention.weights),
        **extra,
    }


def dumps(payload: dict[str, Any]) -> str:
    """Compact, key-ordered JSON so the same figure gives the same bytes everywhere."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                      allow_nan=False)
