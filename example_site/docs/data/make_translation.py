"""Build translation.npz for the lecture "Translation: cross-attention" (example_site/docs/translation.md).

No model is downloaded: every head is an illustrative pattern written here by hand, in the style of
the cross-attention reported for real translation models (the alignments of Bahdanau et al., 2015;
heads that park their weight on the end of the source, as Clark et al., 2019 saw BERT do with
[SEP]), plus a little noise from a fixed seed. The same numpy gives the same file:
``python example_site/docs/data/make_translation.py``.

The array is (layers, heads, M, N) = (3, 4, 9, 8): the decoder's 9 French tokens (the queries)
attending to the encoder's 8 English tokens (the keys). float32, in whole hundredths (what a figure
shows at its default precision), every row summing to 1. The file also holds ``tokens`` (the
French) and ``key_tokens`` (the English).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from rounding import hundredths  # beside this script

TOKENS = ["Le", "chat", "noir", "était", "assis", "sur", "le", "tapis", "."]  # the target: queries
KEY_TOKENS = ["The", "black", "cat", "sat", "on", "the", "mat", "."]  # the source: keys
M, N = len(TOKENS), len(KEY_TOKENS)
STOP = N - 1  # the source's full stop

# The English word each French word translates: chat ↔ cat and noir ↔ black cross over (English
# puts the adjective first, French after); était and assis both translate sat.
ALIGNED = np.array([0, 2, 1, 3, 3, 4, 5, 6, 7])
# The English word the *next* French word translates (the last one has no next: the full stop).
# A decoder reading "chat" is about to write "noir": a head looking at "black" there is useful.
UPCOMING = np.append(ALIGNED[1:], STOP)

rng = np.random.default_rng(2025)
ROWS, COLS = np.arange(M), np.arange(N)


def one_hot(cols: np.ndarray) -> np.ndarray:
    """Each query i puts all its weight on key cols[i]."""
    out = np.zeros((M, N))
    out[ROWS, cols] = 1.0
    return out


def around(centres: np.ndarray, width: float) -> np.ndarray:
    """Each query i spreads its weight around key centres[i]: it falls off with distance."""
    w = np.exp(-((COLS[None, :] - np.asarray(centres, dtype=float)[:, None]) ** 2) / (2 * width**2))
    return w / w.sum(1, keepdims=True)


def noise(sharpness: float) -> np.ndarray:
    """Rows of random weights (fixed seed): small sharpness is nearly flat, large is speckled."""
    logits = sharpness * rng.standard_normal((M, N))
    w = np.exp(logits - logits.max(1, keepdims=True))
    return w / w.sum(1, keepdims=True)


def links(pairs: dict[str, str], weight: float, rest: np.ndarray) -> np.ndarray:
    """A head with a narrow job: each listed French word looks at its English word with ``weight``;
    what a row has left goes to ``rest``."""
    out = rest.copy()
    for query, key in pairs.items():
        q, k = TOKENS.index(query), KEY_TOKENS.index(key)
        out[q] *= 1.0 - weight
        out[q, k] += weight
    return out


def mix(*parts: tuple[float, np.ndarray]) -> np.ndarray:
    return sum(share * pattern for share, pattern in parts)


ALIGN = one_hot(ALIGNED)  # each French word on the English word it translates
NEXT = one_hot(UPCOMING)  # ... on the one the next French word translates
END = one_hot(np.full(M, STOP))  # everyone on the source's full stop: a "no-op"
UNIFORM = np.full((M, N), 1.0 / N)
# By position alone: French word i on English word i·(N−1)/(M−1), whatever the words are. It cannot
# know that "noir" goes with "black".
DIAGONAL = around(ROWS * (N - 1) / (M - 1), 0.9)

LAYERS = [
    # Layer 0: early and blurry. Position, everything alike, a little of the full stop.
    [
        mix((0.85, DIAGONAL), (0.15, noise(2.0))),  # positional diagonal
        mix((0.8, UNIFORM), (0.2, noise(0.5))),  # broad
        mix((0.5, END), (0.3, UNIFORM), (0.2, noise(2.0))),  # some full stop
        mix((0.6, noise(2.5)), (0.4, UNIFORM)),  # noisy
    ],
    # Layer 1: the words start to find each other.
    [
        mix((0.55, ALIGN), (0.3, around(ALIGNED, 1.0)), (0.15, noise(2.0))),  # soft alignment
        mix((0.85, UNIFORM), (0.15, noise(0.5))),  # broad
        mix((0.8, END), (0.2, noise(2.0))),  # full stop
        mix((0.6, NEXT), (0.25, around(UPCOMING, 1.0)), (0.15, noise(2.0))),  # soft next word
    ],
    # Layer 2: late and sharp.
    [
        mix((0.9, NEXT), (0.1, noise(3.0))),  # next word
        links(
            {"chat": "cat", "noir": "black", "tapis": "mat"},
            0.85,  # the nouns and adjective,
            mix((0.9, END), (0.1, noise(3.0))),
        ),  # the rest on the full stop
        mix((0.94, ALIGN), (0.06, noise(3.0))),  # alignment
        mix((0.93, END), (0.07, noise(3.0))),  # full stop
    ],
]


def build() -> np.ndarray:
    w = hundredths(np.array(LAYERS, dtype=np.float64)).astype(np.float32)
    assert w.shape == (3, 4, M, N) and np.all(w >= 0)
    cents = np.rint(w.astype(np.float64) * 100)
    assert np.allclose(w, cents / 100, atol=1e-7) and np.all(cents.sum(-1) == 100)  # whole hundredths
    assert np.allclose(w.sum(-1), 1.0, atol=1e-6)
    return w


if __name__ == "__main__":
    out = Path(__file__).with_name("translation.npz")
    np.savez_compressed(out, attention=build(), tokens=np.array(TOKENS), key_tokens=np.array(KEY_TOKENS))
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
