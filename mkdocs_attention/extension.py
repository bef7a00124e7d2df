"""Python-Markdown glue: ``attention`` fences without SuperFences.

``AttentionExtension`` adds a preprocessor that runs before ``fenced_code`` and swaps each
top-level ``attention`` fence for stashed HTML. With ``preprocess=False`` (the plugin, when
SuperFences is configured) it attaches the page context for the SuperFences formatter, which
renders the fences nested in lists, admonitions and tabs and those with header options; the
preprocessor still takes the plain fences that start at the margin (the same HTML, without
SuperFences' per-fence parsing, and with the exact line) and the fences SuperFences would
leave as plain text: unclosed ones and ones whose header it cannot read (``heads=2`` without
quotes or braces).
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .fence import superfences_takes
from .fences import scan
from .pipeline import PageContext, convert, report
from .slots import BLOCK_PRIORITY, NAME, SlotBlocks, slots

# After normalize_whitespace (30), before fenced_code_block (25) and html_block (20).
PRIORITY = 28


class AttentionPreprocessor(Preprocessor):
    """Replace ``attention`` fences with placeholders for the rendered figure."""

    def __init__(self, md: Markdown, ctx: PageContext, rescue_only: bool = False) -> None:
        super().__init__(md)
        self.ctx = ctx
        self.rescue_only = rescue_only

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        pos = 0
        for fence in scan(lines, skip=_left_to_superfences if self.rescue_only else None):
            out.extend(lines[pos:fence.start])
            if fence.closed:
                html = convert(fence.body, fence.header, self.ctx, fence.start + 1)
            else:
                html = report(self.ctx, fence.start + 1,
                              "this fence is never closed: end it with a line of ``` "
                              "(as many backticks as it opens with)")
            # The slot is a block of its own; a blank line already there is not added again (each
            # extra one is an empty block for Python-Markdown to parse).
            if out and out[-1].strip():
                out.append("")
            out.append(slots(self.md).line(html))
            pos = fence.end + 1
            if pos < len(lines) and lines[pos].strip():
                out.append("")
        out.extend(lines[pos:])
        return out


def _left_to_superfences(header: str, indent: int) -> bool:
    """A fence SuperFences will render: indented (it may belong to a list item or a block), or
    with header options (SuperFences reads those its own way)."""
    return (indent > 0 or header != "") and superfences_takes(header)


class AttentionExtension(Extension):
    """Render ```` ```attention ```` fences; the plugin shares its ``PageContext``."""

    def __init__(self, ctx: PageContext | None = None, preprocess: bool = True,
                 **kwargs: Any) -> None:
        self.config = {"max_tokens": [512, "Most tokens a fence may have"]}
        super().__init__(**kwargs)
        self.ctx = ctx or PageContext(max_tokens=int(self.getConfig("max_tokens")))
        self.preprocess = preprocess

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown API
        md.registerExtension(self)
        md.attention_context = self.ctx  # type: ignore[attr-defined]
        md.preprocessors.register(
            AttentionPreprocessor(md, self.ctx, rescue_only=not self.preprocess), "attention", PRIORITY)
        md.parser.blockprocessors.register(SlotBlocks(md.parser), NAME, BLOCK_PRIORITY)
        slots(md)

    def reset(self) -> None:
        self.ctx.ids.clear()
        self.ctx.done.clear()
        self.ctx.rendered.clear()


def makeExtension(**kwargs: Any) -> AttentionExtension:  # noqa: N802 - Python-Markdown API
    return AttentionExtension(**kwargs)
