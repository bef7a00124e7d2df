"""The page context of one Markdown conversion, shared by every Markdown route (our
preprocessor and the SuperFences formatter): which page it is, where the page's fences open, the
ids they took, and how its errors are reported.

It lives on its ``Markdown`` instance and starts afresh with each conversion (and on
``Markdown.reset()``): never shared between pages, so the same fence gets the same id on every
page and in every set-up. The host says which page a conversion is, each time: a ``Markdown``
may convert several pages (mkdocstrings' docstrings, Material's blog excerpts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown

from ..convert import Outcome, Place, convert_fence
from ..sources import LoadEnv
from .fence_scan import Fence, Holder, holder, in_comments, openings

log = logging.getLogger("mkdocs.plugins.attention")


@dataclass(frozen=True)
class PageInfo:
    """What a host knows of the page a conversion belongs to."""

    #: The page as its author knows it (``docs/lecture.md``).
    page: str = "<markdown>"
    #: Lines before the Markdown that Python-Markdown is given (YAML front matter).
    line_offset: int = 0
    env: LoadEnv = field(default_factory=LoadEnv)
    #: Where the page's errors are also collected, for a host that acts on them once the page is
    #: converted (the MkDocs plugin's ``fail_fast``: SuperFences swallows what its formatter raises).
    errors: list[str] | None = None
    #: The author's Markdown, when the host knows it: lines are counted there, so a fence after
    #: content another extension added (snippets, macros) keeps its line, and one inside such
    #: content is said to be there. None: count in what Python-Markdown is given.
    source: str | None = None
    #: The figure ids of the whole page, when several conversions fill it (docstrings rendered
    #: into it). None: each conversion has its own.
    ids: set[str] | None = None
    #: Whether the conversion is the page's own, whose lines are the page's; else (a docstring,
    #: say) no line is given, not a wrong one.
    own: bool = True
    #: Report nothing: the conversion repeats one whose errors were reported (a blog excerpt).
    quiet: bool = False
    #: Where the files the page's figures read are collected, for a host that rebuilds only
    #: changed pages (``mkdocs serve --dirty``). None: not collected.
    reads: set[Path] | None = None
    #: Where the widget parts the page's figures use are collected, for a host that lists them
    #: on the page (the MkDocs plugin). None: not collected.
    parts: set[str] | None = None


#: The host's answer to "which page is this conversion?", asked at the start of each one.
PageOf = Callable[[Markdown], PageInfo]


class PageContext:
    """One conversion's fences: where they are, the ids they took. Registered with its
    ``Markdown`` like an extension so that ``Markdown.reset()`` clears it."""

    def __init__(self, md: Markdown, page_of: PageOf | None = None) -> None:
        self.md = md
        self.page_of = page_of
        self.info = PageInfo()
        self._own_ids: set[str] = set()
        #: 1-based lines of the fences already rendered.
        self.done: set[int] = set()
        #: The lines fences are counted in, and the fences in them by body.
        self._lines: list[str] | None = None
        self._openings: dict[str, list[Fence]] | None = None
        #: For each of those lines, whether it starts inside an HTML comment.
        self._comments: list[bool] | None = None
        self._started = False
        self._changed = False

    @property
    def ids(self) -> set[str]:
        return self.info.ids if self.info.ids is not None else self._own_ids

    def reset(self) -> None:
        self._started = False

    def start(self, lines: list[str] | None = None) -> None:
        """A new conversion (of ``lines``, as our preprocessor is given them): ask which page
        it is and forget the last one's fences."""
        self.info = self.page_of(self.md) if self.page_of is not None else PageInfo()
        self._own_ids.clear()
        self.done.clear()
        self._openings = None
        self._comments = None
        self._lines = self.info.source.split("\n") if self.info.source is not None else lines
        #: Whether another extension changed the lines before us (snippets, macros).
        self._changed = (lines is not None and self._lines is not None
                         and _normal(lines) != _normal(self._lines))
        self._started = True

    def line_of(self, fence: Fence, lines: list[str]) -> int | None:
        """1-based line, in the author's file, of ``fence`` found at ``fence.start`` of ``lines``
        (found by its body when another extension changed the lines; None when it is not in the
        author's file: it came with included content)."""
        if not self._changed:
            return fence.start + 1
        found = self.find(fence.body)
        return found.start + 1 if found is not None else None

    @property
    def lines(self) -> list[str]:
        """The lines fences are counted in: the author's file, or else what our preprocessor
        was given, or (SuperFences without our extension) what SuperFences scans."""
        if not self._started:
            self.start()
        if self._lines is None:
            self._lines = list(getattr(self.md, "lines", []))
        return self._lines

    def find(self, body: str) -> Fence | None:
        """The first fence of the page with this body not rendered yet (SuperFences gives no
        line and no header text; it hands fences over in page order)."""
        lines = self.lines  # first: a conversion not started yet starts here
        if self._openings is None:
            self._openings = openings(lines)
        for fence in self._openings.get(body.strip("\n"), []):
            if fence.start + 1 not in self.done:
                return fence
        return None

    def holder(self, fence: Fence) -> Holder:
        if self._comments is None:
            self._comments = in_comments(self.lines)
        return holder(self.lines, fence, self._comments)

    def place(self, line: int | None) -> Place:
        if line is not None:
            self.done.add(line)
            line += self.info.line_offset
        page = self.info.page
        if line is None and self.info.source is not None:
            page += " (in content another extension added to the page)"
        elif not self.info.own:
            page, line = page + " (in content another plugin converted)", None
        return Place(page, line, self.info.env)

    def render(self, body: str, header: str | Mapping[str, str], line: int | None, *,
               example: bool = False) -> str:
        """The fence's figure, or its error box with the error reported (not for an ``example``:
        a fence in an indented code example or a comment, which the page does not show)."""
        outcome = convert_fence(body, header, self.place(line), self.ids)
        if self.info.reads is not None:
            self.info.reads.update(outcome.reads)
        if self.info.parts is not None:
            self.info.parts.update(outcome.parts)
        return outcome.html if example or self.info.quiet else self.report(outcome)

    def report(self, outcome: Outcome) -> str:
        if outcome.error is not None and not self.info.quiet:
            message = str(outcome.error)
            log.warning(message)
            if self.info.errors is not None:
                self.info.errors.append(message)
        return outcome.html


def _normal(lines: list[str]) -> list[str]:
    """Lines as Python-Markdown's whitespace normalisation leaves them, trailing blanks dropped."""
    out = [line.expandtabs(4).rstrip() for line in lines]
    while out and not out[-1]:
        out.pop()
    return out


def page_context(md: Markdown, page_of: PageOf | None = None) -> PageContext:
    """The conversion's context, made on first use (the SuperFences formatter may run without
    our extension)."""
    ctx: PageContext | None = getattr(md, "attention_context", None)
    if ctx is None:
        ctx = PageContext(md, page_of)
        md.attention_context = ctx  # type: ignore[attr-defined]
        md.registerExtension(ctx)  # type: ignore[arg-type]  # for its reset()
    return ctx
