"""Python-Markdown glue: ``attention`` fences as figures, one route per fence.

Without SuperFences the extension's preprocessor renders every top-level fence itself (before
``fenced_code`` would turn it into code). With SuperFences, SuperFences renders every fence it
accepts through ``hosts.superfences.formatter``; our preprocessor then runs after it and only
rescues the fences it left as text: unclosed ones and ones whose header it cannot read
(``heads=2`` without quotes or braces), which would otherwise be lost silently.

Each conversion has its own ``PageContext`` (ids taken, fence lines, the page), kept on its
``Markdown`` instance and cleared by ``Markdown.reset()``: never shared between pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from ..convert import failed
from ..limits import MAX_TOKENS
from ..sources import LoadEnv
from .fence_scan import scan
from .page_context import PageInfo, page_context
from .superfences import join_superfences

#: Before ``fenced_code``'s and SuperFences' preprocessor (25), after normalize_whitespace (30).
RENDER_PRIORITY = 28
#: Right after SuperFences' preprocessor, before html_block (20).
RESCUE_PRIORITY = 24


class FencePreprocessor(Preprocessor):
    """Replace ``attention`` fences with stashed figures: all top-level ones without SuperFences
    (``rescue=False``), or after SuperFences only those it left as text (``rescue=True``)."""

    def __init__(self, md: Markdown, rescue: bool) -> None:
        super().__init__(md)
        self.rescue = rescue

    def run(self, lines: list[str]) -> list[str]:
        ctx = page_context(self.md)
        if not self.rescue:
            ctx.remember_source(lines)
        if self.rescue != join_superfences(self.md):
            return lines
        out: list[str] = []
        pos = 0
        for fence in scan(lines):
            out.extend(lines[pos:fence.start])
            line = fence.start + 1 if not self.rescue else ctx.fence_line(fence.body)
            if fence.closed:
                html = ctx.render(fence.body, fence.header, line)
            else:
                html = ctx.report(failed(ctx.place(line), "this fence is never closed: end it with a "
                                         "line of ``` (as many backticks as it opens with)"))
            out += ["", self.md.htmlStash.store(html), ""]
            pos = fence.end + 1
        out.extend(lines[pos:])
        return out


class AttentionExtension(Extension):
    """Render ```` ```attention ```` fences (``markdown_extensions: [attention]``)."""

    def __init__(self, page: Callable[[], PageInfo] | None = None, **kwargs: Any) -> None:
        self.config = {"max_tokens": [MAX_TOKENS, "Most tokens a fence may have"]}
        super().__init__(**kwargs)
        #: The host's page of each new conversion (the MkDocs plugin's current page).
        self.page = page

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown API
        md.registerExtension(self)
        info = self.page() if self.page else PageInfo(
            env=LoadEnv(max_tokens=int(self.getConfig("max_tokens"))))
        page_context(md, info)
        md.preprocessors.register(FencePreprocessor(md, rescue=False), "attention", RENDER_PRIORITY)
        md.preprocessors.register(FencePreprocessor(md, rescue=True), "attention-rescue", RESCUE_PRIORITY)


def makeExtension(**kwargs: Any) -> AttentionExtension:  # noqa: N802 - Python-Markdown API
    return AttentionExtension(**kwargs)
