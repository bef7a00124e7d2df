"""A least-recently-used memo bounded by the bytes it holds, not by its number of entries.

Caches of arrays (toy embeddings and projections, build-cache entries, loaded models) must stay
small whatever a fence asks for: one ``dim: 4096`` projection alone is 268 MB.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

import numpy as np

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
P = ParamSpec("P")


class BoundedLRU(Generic[K, V]):
    """At most ``max_bytes`` of values (as ``size`` counts them), least recently used out first;
    a value larger than the bound alone is not kept."""

    def __init__(self, max_bytes: int, size: Callable[[V], int]) -> None:
        self.max_bytes, self.size = max_bytes, size
        self.bytes = 0
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[0]

    def put(self, key: K, value: V) -> None:
        size = self.size(value)
        if size > self.max_bytes or key in self._items:
            return
        self._items[key] = (value, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, old) = self._items.popitem(last=False)
            self.bytes -= old

    def __len__(self) -> int:
        return len(self._items)


def array_cache(max_bytes: int) -> Callable[[Callable[P, np.ndarray]], Callable[P, np.ndarray]]:
    """Memoise a function of hashable arguments that returns an array (made read-only)."""

    def decorate(fn: Callable[P, np.ndarray]) -> Callable[P, np.ndarray]:
        memo: BoundedLRU[Any, np.ndarray] = BoundedLRU(max_bytes, lambda a: a.nbytes)

        @functools.wraps(fn)
        def cached(*args: P.args, **kwargs: P.kwargs) -> np.ndarray:
            key = (args, tuple(sorted(kwargs.items())))
            hit = memo.get(key)
            if hit is None:
                hit = fn(*args, **kwargs)
                hit.flags.writeable = False
                memo.put(key, hit)
            return hit

        return cached

    return decorate
