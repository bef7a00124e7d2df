"""Fence → figure HTML, or a located error: the one call every host makes.

A host says where the fence is (``Place``: page, line, folders, limits) and gets back an
``Outcome``: the figure, or the error box with the message naming the page and line. The core
never logs and never raises for bad input; each host reports the error its own way (a MkDocs or
Sphinx warning, an exception in a notebook), so the same fence gives the same bytes everywhere.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import AttentionError, printable
from .render import render_error
from .render.figure import render, search_text
from .render.summary import Summary, summarize
from .sources import LoadEnv, load
from .spec import Spec, parse_fence, parse_header

#: Where internal errors should be reported.
ISSUES = "https://github.com/mkdocs-attention/mkdocs-attention/issues"


@dataclass(frozen=True)
class Place:
    """Where a fence is, as its host knows it."""

    #: The page as its author knows it (``docs/lecture.md``), or ``<markdown>`` when unknown.
    page: str = "<markdown>"
    #: 1-based line of the fence's opening in the page, when known.
    line: int | None = None
    #: Folders the fence's sources may read, the build cache and the limits.
    env: LoadEnv = field(default_factory=LoadEnv)

    def at(self, offset: int | None) -> str:
        """``page:line`` of a line ``offset`` lines into the fence body (its opening when None)."""
        if self.line is None:
            return f"{self.page}:?"
        return f"{self.page}:{self.line + (offset + 1 if offset is not None else 0)}"


@dataclass(frozen=True)
class Problem:
    """What is wrong with a fence, and where."""

    place: Place
    #: Lines into the fence body where the problem is; None for the fence as a whole.
    offset: int | None
    message: str

    @property
    def line(self) -> int | None:
        """The 1-based line of the problem in the page, when known."""
        if self.place.line is None:
            return None
        return self.place.line + (self.offset + 1 if self.offset is not None else 0)

    def __str__(self) -> str:
        return f"{self.place.at(self.offset)}: attention: {self.message}"


@dataclass(frozen=True)
class Outcome:
    """A rendered fence: the figure or the error box, and what went wrong, located."""

    html: str
    #: What is wrong with the fence (``str()`` gives ``page:line: attention: problem``), else None.
    error: Problem | None = None
    #: What a search index should know the figure by: its name, caption and note, as HTML text.
    search: str = ""
    #: The files the figure was made from (a data file, a local model's), so a host that
    #: rebuilds incrementally knows to redo the page when one changes. Given for errors too.
    reads: tuple[Path, ...] = ()
    #: The figure as words and numbers for outputs without a script; when asked for.
    summary: Summary | None = None
    #: The widget's parts the figure uses (``widget_files.parts``), for hosts that list a
    #: page's parts; none for an error box.
    parts: tuple[str, ...] = ()
    #: The figure's id; None for an error box.
    id: str | None = None
    #: Where the fence is (for a host's later word about the figure, such as a clash of ids).
    place: Place | None = None


#: The ids ``figure_id`` gives (an author's ``id:`` may be renamed or freed where these are not).
HASH_ID = re.compile(r"attn-[0-9a-f]{8}(-\d+)?")


def figure_id(body: str, header: Mapping[str, str], taken: set[str]) -> str:
    """A figure's id: a hash of its fence (stable across builds, processes and hosts), with a
    suffix when the same fence is already on the page (``taken``, which gets the new id).

    The header counts by its options, not its spelling: SuperFences hands them over already
    split, our own preprocessor as text, and both must give the same id."""
    options = " ".join(f"{k}={v}" for k, v in header.items())
    base = "attn-" + hashlib.sha256(f"{options}\n{body}".encode()).hexdigest()[:8]
    fig_id, k = base, 1
    while fig_id in taken:
        k += 1
        fig_id = f"{base}-{k}"
    taken.add(fig_id)
    return fig_id


def convert_fence(
    body: str, header: str | Mapping[str, str], place: Place, ids: set[str], *, summary: bool = False
) -> Outcome:
    """Render one fence (``header``: the text after the language, or options already split);
    ``ids`` are the figure ids already on its page, and get the new figure's: its ``id`` option,
    else ``figure_id``'s hash. With ``summary``, also the figure as words and numbers
    (``Outcome.summary``)."""
    try:
        options = parse_header(header) if isinstance(header, str) else header
        spec = parse_fence(body, options, max_tokens=place.env.max_tokens)
    except Exception as exc:
        return _failure(exc, place)
    return convert_spec(spec, place, ids, lambda: figure_id(body, options, ids), summary=summary)


def convert_spec(
    spec: Spec, place: Place, ids: set[str], hashed: Callable[[], str], *, summary: bool = False
) -> Outcome:
    """The rest of a fence's way once its spec is read (a notebook's ``show(attentions=…)`` joins
    here): check its id, load, render. ``hashed`` gives the figure's id when the spec names none."""
    try:
        if spec.id is not None and spec.id in ids:
            raise AttentionError(
                f"'id' {spec.id!r} is already the id of a figure on this page; each figure needs its own"
            )
        attention = load(spec, replace(place.env, where=place.at(None)))
        fig_id = spec.id or hashed()
        ids.add(fig_id)
        figure = render(spec, attention, fig_id)
        return Outcome(
            figure.html,
            search=search_text(spec, attention),
            reads=_reads(spec, place.env),
            summary=summarize(spec, attention) if summary else None,
            parts=figure.parts,
            id=fig_id,
            place=place,
        )
    except Exception as exc:
        return replace(_failure(exc, place), reads=_reads(spec, place.env))


def _failure(exc: Exception, place: Place) -> Outcome:
    """The error box of what went wrong: the author's mistake, or a bug of ours (still located,
    never a traceback in a build)."""
    if isinstance(exc, AttentionError):
        return failed(place, exc.message, exc.line)
    return failed(place, f"internal error ({type(exc).__name__}: {exc}); please report it at {ISSUES}")


def failed(place: Place, message: str, offset: int | None = None) -> Outcome:
    """The error box for ``message``, located ``offset`` lines into the fence body."""
    message = printable(message)
    return Outcome(render_error(message), error=Problem(place, offset, message))


def _reads(spec: Spec, env: LoadEnv) -> tuple[Path, ...]:
    """The files ``spec`` reads, as paths (which need not exist: adding one changes the page)."""
    return spec.source.files(env.base_dir, env.project_dir)
