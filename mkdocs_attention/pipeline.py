"""The whole fence → HTML path in one call, and its error reporting.

Both the Python-Markdown preprocessor and the SuperFences formatter call ``convert``; it
never raises: bad input becomes a located warning (so ``mkdocs build --strict`` fails) plus an
``attn-error`` box, and an internal bug is reported the same way with its type.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import AttentionError
from .fences import openings
from .memo import FIGURES, PURE_SOURCES
from .render import render_error, render_figure
from .render.figure import search_text
from .sources import LoadEnv, load
from .spec import parse_fence

log = logging.getLogger("mkdocs.plugins.attention")


@dataclass(frozen=True)
class Rendered:
    """A figure's HTML and the text search plugins index it by (HTML text)."""

    html: str
    search: str

    def __len__(self) -> int:
        return len(self.html)


@dataclass
class PageContext:
    """Where fences come from: set per page by the plugin; defaults for bare Markdown."""

    page: str = "<markdown>"
    markdown: str = ""
    line_offset: int = 0
    max_tokens: int = 512
    #: Where sources look (page folder, docs folder, cache); the plugin sets it per page.
    env: LoadEnv = field(default_factory=LoadEnv)
    #: When set (the plugin's ``fail_fast``), the exception type that stops the build.
    stop: Callable[[str], Exception] | None = None
    ids: set[str] = field(default_factory=set)
    #: 1-based lines of the fences already rendered on this page.
    done: set[int] = field(default_factory=set)
    #: This page's figures by id, for the plugin's search stand-ins.
    rendered: dict[str, Rendered] = field(default_factory=dict)
    #: Keep pure figures in the process's memo (``mkdocs serve`` re-renders only what changed); the
    #: plugin turns it off for a one-shot ``mkdocs build``, which would only hold them in memory.
    remember: bool = True
    #: ``openings(markdown)``, computed on the page's first ``fence_line``.
    _openings: dict[str, list[int]] | None = field(default=None, init=False, repr=False)

    def new_page(self, page: str, markdown: str, line_offset: int, base_dir: Path | None = None) -> None:
        self.page, self.markdown, self.line_offset = page, markdown, line_offset
        if base_dir is not None:
            self.env = replace(self.env, base_dir=base_dir)
        self.ids.clear()
        self.done.clear()
        self.rendered.clear()
        self._openings = None

    def figure_id(self, body: str, header: str) -> str:
        """Stable across builds (content hash), unique on the page (suffix on repeats)."""
        base = "attn-" + hashlib.sha256(f"{header}\n{body}".encode()).hexdigest()[:8]
        fig_id, k = base, 1
        while fig_id in self.ids:
            k += 1
            fig_id = f"{base}-{k}"
        self.ids.add(fig_id)
        return fig_id

    def fence_line(self, body: str) -> int | None:
        """1-based page line of the first not yet rendered fence with this body.

        SuperFences gives no line; fences arrive in page order, after the ones our
        preprocessor rescued, which ``convert`` marks as done.
        """
        if self._openings is None:
            self._openings = openings(self.markdown)
        for line in self._openings.get(body.strip("\n"), []):
            if line + 1 not in self.done:
                return line + 1
        return None


def convert(body: str, header: str | Mapping[str, str], ctx: PageContext,
            line: int | None) -> str:
    """Render one fence whose opening is on 1-based markdown ``line`` (None if unknown)."""
    key = header if isinstance(header, str) else " ".join(f"{k}={v}" for k, v in header.items())
    if line is not None:
        ctx.done.add(line)
    fig_id = ctx.figure_id(body, key)
    memo_key = (body, key, fig_id, ctx.max_tokens)
    if ctx.remember and (hit := FIGURES.get(memo_key)) is not None:
        assert isinstance(hit, Rendered)
        ctx.rendered[fig_id] = hit
        return hit.html
    try:
        spec = parse_fence(body, header, max_tokens=ctx.max_tokens)
        env = ctx.env
        if spec.source not in PURE_SOURCES:  # only files and models read the environment
            where = f"{ctx.page}:{line + ctx.line_offset if line is not None else '?'}"
            env = replace(env, max_tokens=ctx.max_tokens, where=where)
        attention = load(spec, env)
        rendered = Rendered(render_figure(spec, attention, fig_id), search_text(spec, attention))
        if ctx.remember and spec.source in PURE_SOURCES:
            FIGURES.put(memo_key, rendered)
        ctx.rendered[fig_id] = rendered
        return rendered.html
    except AttentionError as exc:
        where = line
        if where is not None and exc.line is not None:
            where += exc.line + 1
        message = exc.message
    except Exception as exc:
        where = line
        message = (f"internal error ({type(exc).__name__}: {exc}); "
                   "please report it at https://github.com/mkdocs-attention/mkdocs-attention/issues")
    return report(ctx, where, message)


def report(ctx: PageContext, line: int | None, message: str) -> str:
    """Log ``page:line: attention: message`` as a warning and return the error box."""
    page_line = f"{line + ctx.line_offset}" if line is not None else "?"
    text = f"{ctx.page}:{page_line}: attention: {message}"
    log.warning(text)
    if ctx.stop is not None:
        raise ctx.stop(text)
    return render_error(message)
