"""The page context of one Markdown conversion, shared by every Markdown route (our
preprocessor and the SuperFences formatter): which page it is, its fence index (each fence's
line, header text, holder and body, from one scan), the ids they took, and how its errors are
reported.

It lives on its ``Markdown`` instance and starts afresh with each conversion (and on
``Markdown.reset()``): never shared between pages, so the same fence gets the same id on every
page and in every set-up. The host says which page a conversion is, each time: a ``Markdown``
may convert several pages (mkdocstrings' docstrings, Material's blog excerpts).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markdown import Markdown

from ..convert import Outcome, Place, convert_fence
from ..settings import log
from ..sources import LoadEnv
from .fence_scan import Fence, Holder, holder, in_comments, openings, scan


@dataclass(frozen=True)
class PageInfo:
    """What a host knows of the page a conversion belongs to."""

    #: The page as its author knows it (``docs/lecture.md``).
    page: str = "<markdown>"
    #: Lines before the Markdown that Python-Markdown is given (YAML front matter).
    line_offset: int = 0
    env: LoadEnv = field(default_factory=LoadEnv)
    #: Where the page's errors are also collected, for a host that acts on them once the page is
    #: converted (the MkDocs plugin's errors found after conversion).
    errors: list[str] | None = None
    #: For a host that stops the build at the first bad fence (the MkDocs plugin's
    #: ``fail_fast``, the extension's ``fail_on_error``): the exception to raise, from the located
    #: message. A ``SuperFencesException`` is the one kind SuperFences lets out of its formatter.
    stop: Callable[[str], Exception] | None = None
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
    #: Where the outcome of each of the page's fences is collected, for a host that acts on them
    #: (the MkDocs plugin: the files they read for ``mkdocs serve --dirty``, the widget parts
    #: to list, each figure's search text). None: not collected.
    outcomes: list[Outcome] | None = None


#: The host's answer to "which page is this conversion?", asked at the start of each one.
PageOf = Callable[[Markdown], PageInfo]


@dataclass(frozen=True, eq=False)
class PageFence:
    """One fence of the page, as the page's index holds it; each is itself alone (equal by
    identity: finding one in the index compares no bodies)."""

    #: Where it stands in the lines Python-Markdown converts, its header text and body.
    fence: Fence
    #: What holds it (a fence in an indented code example or a comment is an example).
    held: Holder
    #: 1-based line of its opening in the author's file; None when it is not there (it came
    #: with content another extension added).
    line: int | None

    @property
    def example(self) -> bool:
        return self.held in ("code", "comment")


class FenceIndex:
    """Every ``attention`` fence of one conversion, found by one scan of the lines it converts,
    each with its holder and its line in the author's file. Both routes take their fences from
    it: our preprocessor in page order, the SuperFences formatter by body (SuperFences hands a
    fence over without its line or header text, in page order)."""

    def __init__(self, lines: list[str], source: list[str] | None) -> None:
        found = list(scan(lines, max_indent=None))
        comments = in_comments(lines) if found else []
        # Another extension changed the lines before us (snippets, macros): a fence's line is
        # that of the same body, in turn, in the author's file.
        author = openings(source) if source is not None and _normal(source) != _normal(lines) else None
        seen: dict[str, int] = {}
        self.fences: list[PageFence] = []
        for fence in found:
            line: int | None = fence.start + 1
            if author is not None:
                body = fence.body.strip("\n")
                k = seen[body] = seen.get(body, -1) + 1
                there = author.get(body, [])
                line = there[k].start + 1 if k < len(there) else None
            self.fences.append(PageFence(fence, holder(lines, fence, comments), line))
        self._waiting = list(range(len(self.fences)))

    def take(self, fence: PageFence) -> None:
        """``fence`` is rendered: no later ``next`` gives it."""
        self._waiting.remove(self.fences.index(fence))

    def next(self, body: str) -> PageFence | None:
        """The first fence not taken yet with this body (taken now), or None."""
        body = body.strip("\n")
        for k in self._waiting:
            if self.fences[k].fence.body.strip("\n") == body:
                self._waiting.remove(k)
                return self.fences[k]
        return None


class PageContext:
    """One conversion: its page, its fence index, the ids its figures took. Registered with its
    ``Markdown`` like an extension so that ``Markdown.reset()`` clears it."""

    def __init__(self, md: Markdown, page_of: PageOf | None = None) -> None:
        self.md = md
        self.page_of = page_of
        self.info = PageInfo()
        self._own_ids: set[str] = set()
        self._index: FenceIndex | None = None
        self._started = False

    @property
    def ids(self) -> set[str]:
        return self.info.ids if self.info.ids is not None else self._own_ids

    def reset(self) -> None:
        self._started = False

    def start(self, lines: list[str] | None = None) -> None:
        """A new conversion (of ``lines``, as our preprocessor is given them): ask which page
        it is and index its fences."""
        self.info = self.page_of(self.md) if self.page_of is not None else PageInfo()
        self._own_ids.clear()
        self._index = None
        self._started = True
        if lines is not None:
            self._index = FenceIndex(lines, self._source())

    def _source(self) -> list[str] | None:
        return self.info.source.split("\n") if self.info.source is not None else None

    @property
    def index(self) -> FenceIndex:
        """The conversion's fences: of what our preprocessor was given or, with SuperFences
        alone, of the author's file (or what SuperFences scans)."""
        if not self._started:
            self.start()
        if self._index is None:
            source = self._source()
            self._index = FenceIndex(
                source if source is not None else list(getattr(self.md, "lines", [])), source
            )
        return self._index

    def place(self, line: int | None) -> Place:
        if line is not None:
            line += self.info.line_offset
        page = self.info.page
        if line is None and self.info.source is not None:
            page += " (in content another extension added to the page)"
        elif not self.info.own:
            page, line = page + " (in content another plugin converted)", None
        return Place(page, line, self.info.env)

    def render(
        self, body: str, header: str | Mapping[str, str], line: int | None, *, example: bool = False
    ) -> str:
        """The fence's figure, or its error box with the error reported (not for an ``example``:
        a fence in an indented code example or a comment, which the page does not show)."""
        outcome = convert_fence(body, header, self.place(line), self.ids)
        if self.info.outcomes is not None:
            self.info.outcomes.append(outcome)
        return outcome.html if example or self.info.quiet else self.report(outcome)

    def report(self, outcome: Outcome) -> str:
        if outcome.error is not None and not self.info.quiet:
            message = str(outcome.error)
            if self.info.stop is not None:
                raise self.info.stop(message)
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
