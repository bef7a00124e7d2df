"""Numerically stable softmax and masks shared by every source that computes weights, and the
per-head summaries a figure reports."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np


def causal_mask(n: int) -> np.ndarray:
    """``True`` where a query may not look: keys after it (j > i)."""
    return np.triu(np.ones((n, n), dtype=bool), k=1)


def softmax(logits: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Row softmax over the last axis; masked entries get exactly 0.

    Subtracting the row maximum keeps ``exp`` finite for huge logits; a masked entry never
    wins the maximum, and a query always sees itself, so no row is all-masked.
    """
    x = np.asarray(logits, dtype=np.float64)
    if mask is not None:
        x = np.where(mask, -np.inf, x)
    x = x - x.max(axis=-1, keepdims=True)  # a new array: the rest works in place
    np.exp(x, out=x)
    x /= np.add.reduce(x, axis=-1, keepdims=True)  # .sum() without its wrapper: 1.5 of 2.8 µs here
    return x


def exact_dot(q: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``q @ kᵀ`` over the last axis, ``(…, N, d) × (…, M, d) → (…, N, M)``, summed feature by
    feature in a fixed order with no fused multiply-add: the same bits on every machine, which
    BLAS (whose kernels differ by CPU) does not promise. One vectorised N×M step per feature."""
    out = q[..., :, None, 0] * k[..., None, :, 0]
    for e in range(1, q.shape[-1]):
        out += q[..., :, None, e] * k[..., None, :, e]
    return out


def float32_exact(x: np.ndarray) -> np.ndarray:
    """``x`` rounded to the nearest float32, as float64. Values a few float64 ulps apart (one CPU's
    BLAS or sin against another's) round to the same float32 but for a ~10⁻⁸ chance each."""
    return x.astype(np.float32).astype(np.float64)


def rollout(w: np.ndarray) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema, ACL 2020) of ``w[layer, head, N, N]``: each layer's
    head mean mixed half-and-half with the identity (the residual stream), rows renormalised,
    multiplied from the first layer to the last: ``R = Ã_L … Ã_1``. Rows sum to 1. The products
    use ``exact_dot``, so every machine writes the same figure."""
    out = np.eye(w.shape[-1])
    for mixed in _mixed(w):
        out = exact_dot(mixed, out.T)  # mixed @ out
    return out


#: Largest attention flow computed: layers × tokens² (6 layers of 24 tokens). Each of the N²
#: (query, input token) pairs is one max-flow on a graph of (layers + 1) · N nodes: at this size
#: a figure takes about 1.6 s on one core, and the time grows faster than the cube of the tokens.
MAX_FLOW_CELLS = 6 * 24**2


def _mixed(w: np.ndarray) -> list[np.ndarray]:
    """Each layer's head mean mixed half-and-half with the identity (the residual stream), rows
    renormalised: the graph rollout and flow both walk."""
    eye = np.eye(w.shape[-1])
    out = []
    for layer in w:
        mixed = 0.5 * layer.mean(axis=0) + 0.5 * eye
        out.append(mixed / mixed.sum(axis=-1, keepdims=True))
    return out


def attention_flow(w: np.ndarray) -> np.ndarray:
    """Attention flow (Abnar & Zuidema, ACL 2020) of ``w[layer, head, N, N]``: token i after
    the last layer draws on input token j as much as the maximum flow from i at the top to j at
    the bottom of the layered graph whose edges from layer l+1's token a to layer l's token b
    have capacity Ã_l[a, b] (``_mixed``). Rows are rescaled to sum to 1."""
    layers = _mixed(w)
    n, count = w.shape[-1], len(layers)
    # Node (l, a) is l·N + a: layer 0 the input tokens, layer L the last layer's.
    size = (count + 1) * n
    capacity = [[0.0] * size for _ in range(size)]
    neighbours: list[set[int]] = [set() for _ in range(size)]
    for lower, mixed in enumerate(layers):
        for a, row in enumerate(mixed.tolist()):
            top = (lower + 1) * n + a
            for b, c in enumerate(row):
                if c > 0:
                    capacity[top][lower * n + b] = c
                    neighbours[top].add(lower * n + b)
                    neighbours[lower * n + b].add(top)  # the residual edge back
    adjacency = [sorted(x) for x in neighbours]
    flows = np.array([[_max_flow(capacity, adjacency, count * n + i, j) for j in range(n)] for i in range(n)])
    return flows / flows.sum(axis=-1, keepdims=True)


def _max_flow(capacity: list[list[float]], adjacency: list[list[int]], source: int, sink: int) -> float:
    """Dinic's algorithm: while the residual graph has a path, level it breadth first and push a
    blocking flow along level-increasing edges (depth first, each node's edges tried once)."""
    residual = [row[:] for row in capacity]
    total = 0.0
    while True:
        level = {source: 0}
        queue = [source]
        for node in queue:  # breadth first; the list grows as it is read
            for nxt in adjacency[node]:
                if nxt not in level and residual[node][nxt] > 1e-15:
                    level[nxt] = level[node] + 1
                    queue.append(nxt)
        if sink not in level:
            return total
        tried = dict.fromkeys(level, 0)  # how many of a node's edges are used up
        while (sent := _push(source, math.inf, sink, residual, adjacency, level, tried)) > 0:
            total += sent


def _push(
    node: int,
    limit: float,
    sink: int,
    residual: list[list[float]],
    adjacency: list[list[int]],
    level: dict[int, int],
    tried: dict[int, int],
) -> float:
    """One path of Dinic's blocking flow from ``node`` down the levels to ``sink``: what it sent."""
    if node == sink:
        return limit
    edges = adjacency[node]
    while tried[node] < len(edges):
        nxt = edges[tried[node]]
        room = residual[node][nxt]
        if room > 1e-15 and level.get(nxt) == level[node] + 1:
            sent = _push(nxt, min(limit, room), sink, residual, adjacency, level, tried)
            if sent > 0:
                residual[node][nxt] -= sent
                residual[nxt][node] += sent
                return sent
        tried[node] += 1
    return 0.0


#: A summary of every head at once: from weights (…, N, M) and the query tokens, one value per
#: head (…), each query's value averaged over the queries it applies to.
Summary = Callable[[np.ndarray, tuple[str, ...]], np.ndarray]


@dataclass(frozen=True)
class HeadStat:
    """One summary of a head's weights, each query's value averaged over the queries."""

    name: str
    heading: str  # the no-JS table's column
    decimals: int
    value: Summary
    #: Whether it compares a query with its own position (previous, self, distance): it then
    #: means nothing in cross-attention, where queries and keys are two sequences.
    positional: bool = True
    #: For a probe of repeated tokens: whether ``tokens`` give it any query to score.
    applies: Callable[[Sequence[str]], bool] = lambda tokens: True

    def of(self, weights: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
        """Its value for each head of ``weights`` (…, N, N), rows summing to 1: (…)."""
        return self.value(weights, tuple(tokens))


def head_values(weights: np.ndarray, tokens: Sequence[str], stats: Sequence[HeadStat]) -> list[np.ndarray]:
    """Each of ``stats`` for every head of ``weights`` (…, N, N): one (…) array each, in order."""
    tokens = tuple(tokens)
    return [stat.value(weights, tokens) for stat in stats]


def _entropy(w: np.ndarray, tokens: tuple[str, ...]) -> np.ndarray:
    """Bits of each row's distribution (0·log 0 = 0), averaged over the rows."""
    logs = np.log2(w, where=w > 0, out=np.zeros_like(w))
    return -np.add.reduce(np.add.reduce(w * logs, -1), -1) / w.shape[-2]


def _previous(w: np.ndarray, tokens: tuple[str, ...]) -> np.ndarray:
    """The weight on the token just before, over the queries that have one."""
    return np.diagonal(w, -1, -2, -1).sum(-1) / max(w.shape[-2] - 1, 1)


def _first(w: np.ndarray, tokens: tuple[str, ...]) -> np.ndarray:
    """The weight on the first key (an attention sink's share)."""
    return w[..., 0].sum(-1) / w.shape[-2]


def _itself(w: np.ndarray, tokens: tuple[str, ...]) -> np.ndarray:
    """The weight on the query itself."""
    return np.diagonal(w, 0, -2, -1).sum(-1) / w.shape[-2]


def _distance(w: np.ndarray, tokens: tuple[str, ...]) -> np.ndarray:
    """How far, in tokens, a query looks: each key's distance from the query, weighted."""
    i = np.arange(w.shape[-1])
    return (w * np.abs(i[:, None] - i)).sum((-2, -1)) / w.shape[-2]


def repeats(tokens: Sequence[str], shift: int) -> np.ndarray:
    """The keys that repeat each query's token earlier in the text, (N, N) of booleans: that
    earlier token itself (``shift`` 0: what a duplicate-token head attends to) or the token just
    after it (``shift`` 1: an induction head, which in "A B … A" attends to B). TransformerLens'
    detection patterns, with tokens compared by their text. Read-only."""
    earlier = _earlier(tuple(tokens))
    if not shift:
        return earlier
    after = np.zeros_like(earlier)
    after[:, 1:] = earlier[:, :-1]  # the key just after such a j: at most the query itself
    return after


@lru_cache(maxsize=16)
def _earlier(tokens: tuple[str, ...]) -> np.ndarray:
    """For each query, the earlier keys with its token's text (read-only: the two probes of a
    figure share it)."""
    first: dict[str, int] = {}
    codes = np.array([first.setdefault(t, k) for k, t in enumerate(tokens)])  # equal text, equal code
    at = np.arange(len(codes))
    out = (codes[:, None] == codes[None, :]) & (at[:, None] > at[None, :])  # key j < query i
    out.flags.writeable = False
    return out


def _repeat(tokens: Sequence[str]) -> bool:
    """Whether some token repeats an earlier one: then both probes have queries to score."""
    return len(set(tokens)) < len(tokens)


def _probe(shift: int) -> Summary:
    """TransformerLens' ``mul`` score Σ(A ⊙ D) / Σ A of the pattern D = ``repeats(tokens,
    shift)``, over the queries D gives a key (the others could not score; each of their rows
    sums to 1): 1 when those queries put all their weight on D's keys, 0 when none."""

    def value(w: np.ndarray, tokens: tuple[str, ...]) -> np.ndarray:
        pattern = repeats(tokens, shift)
        # Both shifts score the same queries: those with an earlier copy (j < i, so j + 1 ≤ i).
        scored = int(np.count_nonzero(pattern.any(-1)))
        return np.where(pattern, w, 0.0).sum((-2, -1)) / max(scored, 1)

    return value


#: What the figure says of each head: entropy, where its weight goes, and, where tokens repeat,
#: how much of it goes to the repeats (duplicate-token) or to what followed them (induction).
HEAD_STATS = (
    HeadStat("entropy", "entropy (bits)", 2, _entropy, positional=False),
    HeadStat("previous", "on previous", 2, _previous),
    HeadStat("first", "on first", 2, _first, positional=False),
    HeadStat("self", "on itself", 2, _itself),
    HeadStat("distance", "mean distance", 1, _distance),
    HeadStat("duplicate", "on repeats", 2, _probe(0), applies=lambda tokens: _repeat(tokens)),
    HeadStat("induction", "induction", 2, _probe(1), applies=lambda tokens: _repeat(tokens)),
)


def head_stats(cross: bool, tokens: Sequence[str] = ()) -> tuple[HeadStat, ...]:
    """The summaries that mean something for a figure: for self-attention all of them but the
    probes its ``tokens`` give no query to (no token repeats); for cross-attention those that
    do not compare a query's position with a key's."""
    return tuple(s for s in HEAD_STATS if not (cross and s.positional) and (cross or s.applies(tokens)))


def merge_pieces(weights: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Attention between words from attention between their pieces (Clark et al., 2019):
    ``weights`` (…, N, N), ``groups`` the word of each of the N pieces (0, 1, …, in order).
    To a word, the sum over its pieces; from a word, the mean over its pieces: rows still sum
    to 1, and a causal matrix stays causal."""
    count = int(groups.max()) + 1
    member = np.zeros((len(groups), count))
    member[np.arange(len(groups)), groups] = 1.0  # piece × word
    to_words = weights @ member  # (…, N, words): summed over each word's pieces
    return (member / member.sum(0)).T @ to_words  # (…, words, words): averaged over its pieces


def value_weighted(attention: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """Value norms (Kobayashi et al., 2020): α_ij ‖f_h(x_j)‖ of ``attention`` (L, H, M, N) and
    ``norms`` (L, H, N), each row rescaled to sum to 1 (a row whose every key sends nothing keeps
    its attention). The widget's weighting part computes the same from the payload."""
    sizes = attention * norms[:, :, None, :]
    total = sizes.sum(-1, keepdims=True)
    return np.divide(sizes, total, out=attention.copy(), where=total > 0)
