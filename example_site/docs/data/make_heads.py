"""Build heads.npz for the lecture "What the heads do" (example_site/docs/heads.md).

No model is downloaded: every head is an illustrative pattern written here by hand, in the style of
the heads reported for real encoders (Clark et al., 2019, "What Does BERT Look At?"; Voita et al.,
2019; Xiao et al., 2023 on attention sinks), plus a little noise from a fixed seed. The same numpy
gives the same file: ``python example_site/docs/data/make_heads.py``.

The array is (layers, heads, N, N) = (4, 6, 12, 12), float32, in whole hundredths (what a figure
shows at its default precision), every row summing to 1; the tokens go in the file beside it.
Bidirectional (encoder-style): a token may look ahead, so every token can look at the final full
stop.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rounding import hundredths  # beside this script

TOKENS = ["The", "cat", "that", "chased", "the", "mouse", "all", "day", "was", "very", "tired", "."]
N = len(TOKENS)
FIRST, STOP = 0, N - 1
AT = {t: i for i, t in enumerate(TOKENS)}  # each word's position ("The" is 0, "the" is 4)

rng = np.random.default_rng(2024)
POS = np.arange(N)


def one_hot(cols: np.ndarray) -> np.ndarray:
    """Each query i puts all its weight on key cols[i]."""
    out = np.zeros((N, N))
    out[POS, cols] = 1.0
    return out


PREVIOUS = one_hot(np.maximum(POS - 1, 0))  # the first token has no previous one: itself
NEXT = one_hot(np.minimum(POS + 1, N - 1))  # the last has no next one: itself
SELF = np.eye(N)
SINK = one_hot(np.full(N, FIRST))  # the first token, the "attention sink"
PERIOD = one_hot(np.full(N, STOP))  # the sentence's final punctuation
UNIFORM = np.full((N, N), 1.0 / N)


def local(width: float) -> np.ndarray:
    """A soft window around each query: weight falls off with distance."""
    w = np.exp(-((POS[:, None] - POS[None, :]) ** 2) / (2 * width**2))
    return w / w.sum(1, keepdims=True)


def noise(sharpness: float) -> np.ndarray:
    """Rows of random weights (fixed seed): small sharpness is nearly flat, large is speckled."""
    logits = sharpness * rng.standard_normal((N, N))
    w = np.exp(logits - logits.max(1, keepdims=True))
    return w / w.sum(1, keepdims=True)


def links(pairs: dict[tuple[str, str], float], rest: np.ndarray) -> np.ndarray:
    """A "semantic" head: query → key with the given weight; what a row has left goes to ``rest``
    (real heads with a narrow job park their unused weight on the sink)."""
    out = rest.copy()
    for (query, key), weight in pairs.items():
        q, k = AT[query], AT[key]
        out[q] *= 1.0 - weight
        out[q, k] += weight
    return out


def mix(*parts: tuple[float, np.ndarray]) -> np.ndarray:
    return sum(share * pattern for share, pattern in parts)


LAYERS = [
    # Layer 0: positional. Neighbours, itself, or everything alike.
    [
        mix((0.94, PREVIOUS), (0.06, noise(3.0))),  # previous token
        mix((0.8, UNIFORM), (0.2, noise(0.5))),  # broad
        mix((0.88, SELF), (0.12, local(1.0))),  # itself
        mix((0.9, NEXT), (0.1, noise(3.0))),  # next token
        mix((0.9, local(1.2)), (0.1, noise(3.0))),  # a soft local window
        mix((0.6, noise(2.5)), (0.4, UNIFORM)),  # noisy
    ],
    # Layer 1: still positional, a little mixed.
    [
        mix((0.85, UNIFORM), (0.15, noise(0.5))),  # broad
        mix((0.8, local(2.0)), (0.2, SINK)),  # a wide window, some sink
        mix((0.55, PREVIOUS), (0.4, SELF), (0.05, noise(3.0))),  # previous and itself
        mix((0.9, PREVIOUS), (0.1, noise(3.0))),  # previous token
        mix((0.7, noise(2.5)), (0.3, SINK)),  # noisy
        mix((0.47, NEXT), (0.47, PREVIOUS), (0.06, noise(3.0))),  # both neighbours
    ],
    # Layer 2: semantic heads, each parking its spare weight on the first token.
    [
        links(
            {
                ("chased", "mouse"): 0.8,
                ("mouse", "chased"): 0.75,  # verb ↔ object
                ("day", "chased"): 0.4,
            },
            mix((0.9, SINK), (0.1, noise(3.0))),
        ),
        links(
            {
                ("was", "cat"): 0.85,
                ("cat", "was"): 0.75,
                ("that", "cat"): 0.7,  # subject ↔ verb
                ("chased", "cat"): 0.6,
                ("tired", "cat"): 0.5,
            },
            mix((0.9, SINK), (0.1, noise(3.0))),
        ),
        links(
            {
                ("cat", "The"): 0.75,
                ("mouse", "the"): 0.8,
                ("day", "all"): 0.75,  # word ← its modifier
                ("tired", "very"): 0.8,
            },
            mix((0.9, SINK), (0.1, noise(3.0))),
        ),
        mix((0.9, PERIOD), (0.1, noise(3.0))),  # final punctuation
        mix((0.85, UNIFORM), (0.15, noise(0.5))),  # broad
        mix((0.35, SINK), (0.3, PERIOD), (0.35, noise(2.0))),  # noisy, two anchors
    ],
    # Layer 3: late; most heads rest on the sink.
    [
        mix((0.96, SINK), (0.04, noise(3.0))),  # sink
        mix((0.6, SINK), (0.35, SELF), (0.05, noise(3.0))),  # sink and itself
        mix((0.6, PERIOD), (0.32, SINK), (0.08, noise(3.0))),  # final punctuation, some sink
        mix((0.9, UNIFORM), (0.1, noise(0.5))),  # broad
        mix((0.85, SINK), (0.15, noise(2.0))),  # sink, a little noisy
        mix((0.5, noise(2.5)), (0.5, SINK)),  # noisy sink
    ],
]


def build() -> np.ndarray:
    w = hundredths(np.array(LAYERS, dtype=np.float64)).astype(np.float32)
    assert w.shape == (4, 6, N, N) and np.all(w >= 0)
    assert np.allclose(w.sum(-1), 1.0, atol=1e-6)
    return w


if __name__ == "__main__":
    out = Path(__file__).with_name("heads.npz")
    np.savez_compressed(out, attention=build(), tokens=np.array(TOKENS))
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
