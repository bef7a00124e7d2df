"""Rendered figures kept for the life of the process: ``mkdocs serve`` rebuilds every page on
each save, and most of a course's figures have not changed. (The plugin keeps none during a
one-shot ``mkdocs build``: see ``PageContext.remember``.)

Only figures whose HTML follows from the fence text alone are kept (the toy model and
hand-written weights, scores, queries and keys); figures from files and models are computed
again, so a changed file shows at once. Entries are bounded by their total size.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Sized

#: Sources whose output is a function of the fence text.
PURE_SOURCES = frozenset({"toy", "weights", "scores", "qk"})


class Memo:
    """A least-recently-used map of keys to rendered figures, at most ``max_chars`` characters
    (``len`` of the values) in all."""

    def __init__(self, max_chars: int = 32_000_000) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self.hits = 0
        self._items: OrderedDict[Hashable, Sized] = OrderedDict()

    def get(self, key: Hashable) -> Sized | None:
        html = self._items.get(key)
        if html is not None:
            self._items.move_to_end(key)
            self.hits += 1
        return html

    def put(self, key: Hashable, html: Sized) -> None:
        if len(html) > self.max_chars // 8 or key in self._items:
            return
        self._items[key] = html
        self.chars += len(html)
        while self.chars > self.max_chars:
            _, old = self._items.popitem(last=False)
            self.chars -= len(old)

    def clear(self) -> None:
        self._items.clear()
        self.chars = self.hits = 0

    def __len__(self) -> int:
        return len(self._items)


#: The process's memo, shared by every build (MkDocs makes new plugin objects on each rebuild).
FIGURES = Memo()
