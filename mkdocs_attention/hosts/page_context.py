"""The page context of one Markdown conversion, shared by every Markdown route (our
preprocessor and the SuperFences formatter): where the page's fences open, the ids they took,
and how its errors are reported.

It lives on its ``Markdown`` instance and is cleared by ``Markdown.reset()``: never shared
between pages, so the same fence gets the same id on every page and in every set-up.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from markdown import Markdown

from ..convert import Outcome, Place, convert_fence, figure_id
from ..sources import LoadEnv
from .fence_scan import Fence, Holder, holder, openings

log = logging.getLogger("mkdocs.plugins.attention")


@dataclass(frozen=True)
class PageInfo:
    """What a host knows of the page being converted."""

    #: The page as its author knows it (``docs/lecture.md``).
    page: str = "<markdown>"
    #: Lines before the Markdown that Python-Markdown is given (YAML front matter).
    line_offset: int = 0
    env: LoadEnv = field(default_factory=LoadEnv)
    #: Where the page's errors are also collected, for a host that acts on them once the page is
    #: converted (the MkDocs plugin's ``fail_fast``: SuperFences swallows what its formatter raises).
    errors: list[str] | None = None


class PageContext:
    """One conversion's fences: where they are, the ids they took. Registered with its
    ``Markdown`` like an extension so that ``Markdown.reset()`` clears it."""

    def __init__(self, md: Markdown, info: PageInfo) -> None:
        self.md = md
        self.info = info
        self.ids: set[str] = set()
        #: 1-based lines of the fences already rendered.
        self.done: set[int] = set()
        #: The page's lines as Python-Markdown was given them, and its fences by body.
        self._lines: list[str] | None = None
        self._openings: dict[str, list[Fence]] | None = None

    def reset(self) -> None:
        self.ids.clear()
        self.done.clear()
        self._lines = self._openings = None

    def remember_source(self, lines: list[str]) -> None:
        """Keep the page's lines, before any fence is taken out of them."""
        self._lines = lines

    @property
    def lines(self) -> list[str]:
        """The page's lines: as our preprocessor saw them, or else (SuperFences without our
        extension) as SuperFences scans them."""
        if self._lines is None:
            self._lines = list(getattr(self.md, "lines", []))
        return self._lines

    def find(self, body: str) -> Fence | None:
        """The first fence of the page with this body not rendered yet (SuperFences gives no
        line and no header text; it hands fences over in page order)."""
        if self._openings is None:
            self._openings = openings(self.lines)
        for fence in self._openings.get(body.strip("\n"), []):
            if fence.start + 1 not in self.done:
                return fence
        return None

    def holder(self, fence: Fence) -> Holder:
        return holder(self.lines, fence)

    def place(self, line: int | None) -> Place:
        if line is not None:
            self.done.add(line)
            line += self.info.line_offset
        return Place(self.info.page, line, self.info.env)

    def render(self, body: str, header: str | Mapping[str, str], line: int | None, *,
               example: bool = False) -> str:
        """The fence's figure, or its error box with the error reported (not for an ``example``:
        a fence in an indented code example or a comment, which the page does not show)."""
        outcome = convert_fence(body, header, self.place(line), figure_id(body, header, self.ids))
        return outcome.html if example else self.report(outcome)

    def report(self, outcome: Outcome) -> str:
        if outcome.error is not None:
            log.warning(outcome.error)
            if self.info.errors is not None:
                self.info.errors.append(outcome.error)
        return outcome.html


def page_context(md: Markdown, info: PageInfo | None = None) -> PageContext:
    """The conversion's context, made on first use (the SuperFences formatter may run without
    our extension)."""
    ctx: PageContext | None = getattr(md, "attention_context", None)
    if ctx is None:
        ctx = PageContext(md, info or PageInfo())
        md.attention_context = ctx  # type: ignore[attr-defined]
        md.registerExtension(ctx)  # type: ignore[arg-type]  # for its reset()
    return ctx
