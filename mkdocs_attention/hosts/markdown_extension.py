"""Python-Markdown glue: ``attention`` fences as figures, one route per fence.

Without SuperFences the extension's preprocessor renders every top-level fence itself (before
``fenced_code`` would turn it into code). With SuperFences, SuperFences renders every fence it
accepts through ``hosts.superfences.formatter``; our preprocessor, which runs first, only takes
the fences it would leave as text: unclosed ones and ones whose header it cannot read
(``heads=2`` without quotes or braces), which would otherwise be lost silently (and whose
closing line would swallow the next fence into a code block).

Each conversion has its own ``PageContext`` (ids taken, fence lines, the page), kept on its
``Markdown`` instance and cleared by ``Markdown.reset()``: never shared between pages.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from xml.etree.ElementTree import Element, SubElement

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from ..convert import failed
from ..errors import AttentionError
from ..limits import MAX_TOKENS
from ..sources import LoadEnv
from ..widget_files import inlined
from .page_context import PageInfo, PageOf, page_context
from .superfences import SuperFencesException, join_superfences, takes
from .zensical_page import zensical_page

#: Before ``fenced_code``'s and SuperFences' preprocessor (25), after normalize_whitespace (30).
PRIORITY = 28


#: Why a fence in a list, admonition or tab cannot be rendered where it stands.
_NESTED = {
    "unclosed": "this fence is never closed: end it with a line of ``` (as many backticks as it opens "
    "with, as far indented as it)",
    "misindented": "this fence's lines are not indented as its opening (its closing line exactly as "
    "far, its body at least as far), so SuperFences would leave the fence as text: indent them alike",
    "header": "SuperFences cannot read this fence's header, so the fence would be lost: write options "
    'as key="value" or in braces, {key=value}',
    "plain": "plain Markdown renders fences at the margin only: add pymdownx.superfences to "
    "markdown_extensions to render this one inside a list, admonition or tab",
}
UNCLOSED = "this fence is never closed: end it with a line of ``` (as many backticks as it opens with)"


class FencePreprocessor(Preprocessor):
    """Replace ``attention`` fences with stashed figures: without SuperFences, those at the margin
    and in blockquotes; with it, only those it would leave as text. A fence neither can render
    where it stands is reported; examples (in indented code or comments) are left alone."""

    def run(self, lines: list[str]) -> list[str]:
        ctx = page_context(self.md)
        ctx.start(lines)
        superfences = join_superfences(self.md)
        out: list[str] = []
        pos = 0
        for page_fence in ctx.index.fences:
            fence, line = page_fence.fence, page_fence.line
            sure = fence.closed and not fence.misindented and takes(fence.header)
            if page_fence.example or (superfences and sure):
                continue  # an example; or SuperFences renders it, at any depth
            ctx.index.take(page_fence)
            if page_fence.held == "block":
                why = (
                    "unclosed"
                    if not fence.closed
                    else "misindented"
                    if fence.misindented
                    else "header"
                    if superfences
                    else "plain"
                )
                # The error box stands where the fence opens, in what holds it (after a list
                # marker, as indented as the block): the fence is replaced, the block goes on.
                html = ctx.report(failed(ctx.place(line), _NESTED[why]))
                opening = lines[fence.start]
                at = re.search(r"`{3,}|~{3,}", opening)
                prefix = opening[: at.start()] if at else " " * fence.indent
                out.extend(lines[pos : fence.start])
                out += ["", prefix + self.md.htmlStash.store(html), ""]
                pos = fence.end + 1 if fence.closed else fence.start + 1
                continue
            out.extend(lines[pos : fence.start])
            if fence.closed:
                html = ctx.render(fence.body, fence.header, line)
                pos = fence.end + 1
            else:  # the error stands for the opening line; the rest of the page stays as it is
                html = ctx.report(failed(ctx.place(line), UNCLOSED))
                pos = fence.start + 1
            # The figure as a block of its own (in its blockquote: a blockquote resumes after a
            # blank line, and a quoted blank line would make the figure a paragraph).
            quote = "> " * fence.quotes
            out += [quote.rstrip(), quote + self.md.htmlStash.store(html), ""]
        out.extend(lines[pos:])
        return out


class BadFenceError(AttentionError, SuperFencesException):
    """A bad fence under ``fail_on_error``: it stops the conversion, through SuperFences too."""

    def __init__(self, message: str) -> None:
        super().__init__(f"{message} (fail_on_error is set)")


class AttentionExtension(Extension):
    """Render ```` ```attention ```` fences (``markdown_extensions: [attention]``)."""

    def __init__(self, page_of: PageOf | None = None, **kwargs: Any) -> None:
        self.config = {
            "max_tokens": [MAX_TOKENS, "Most tokens a fence may have"],
            "fail_on_error": [
                False,
                "Stop the build at the first page with a bad fence (for site "
                "generators whose strict mode does not count warnings, as Zensical's)",
            ],
            "inline_assets": [
                False,
                "Write the widget's script and style into each page with figures, only the parts "
                "its figures use, so the site lists no files (Zensical without `mkdocs-attention "
                "assets`); not for sites whose Content-Security-Policy forbids inline scripts",
            ],
        }
        super().__init__(**kwargs)
        #: The host's answer to "which page is this conversion?" (the MkDocs plugin's).
        self.page_of = page_of

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown API
        md.registerExtension(self)
        page_context(md, self.page_of or self._page)
        md.preprocessors.register(FencePreprocessor(md), "attention", PRIORITY)
        if self.getConfig("inline_assets"):
            md.treeprocessors.register(InlineAssets(md), "attention-assets", INLINE_PRIORITY)

    def _page(self, md: Markdown) -> PageInfo:
        """Zensical's page when Zensical converts, else no page (plain Python-Markdown); with
        ``inline_assets`` the page collects its figures' parts."""
        env = LoadEnv(max_tokens=int(self.getConfig("max_tokens")))
        stop = BadFenceError if self.getConfig("fail_on_error") else None
        inline = bool(self.getConfig("inline_assets"))
        page = zensical_page(md, env, check=not inline)
        info = replace(page, stop=stop) if page else PageInfo(env=env, errors=[], stop=stop)
        return replace(info, outcomes=[]) if inline else info


#: Last of the tree processors, after the inline ones (20) have run.
INLINE_PRIORITY = 1


class InlineAssets(Treeprocessor):
    """``inline_assets``: the widget's style and script after a page's content, when the page has
    a figure: the core and the parts its figures use, stashed as raw HTML (a postprocessor would
    also run on each heading the table of contents names). Zensical's instant navigation runs
    the script again on each page it shows; the core then only mounts the new page's figures."""

    def run(self, root: Element) -> None:
        outcomes = page_context(self.md).info.outcomes or []
        if not any(outcome.id is not None for outcome in outcomes):
            return
        js, css = inlined(part for outcome in outcomes for part in outcome.parts)
        holder = SubElement(root, "p")
        holder.text = self.md.htmlStash.store(f"<style>{css}</style>\n<script>{js}</script>")


def makeExtension(**kwargs: Any) -> AttentionExtension:  # noqa: N802 - Python-Markdown API
    return AttentionExtension(**kwargs)
