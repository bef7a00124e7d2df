"""Keep figures out of Python-Markdown's HTML stash: it holds a short slot, filled at the end.

Python-Markdown re-scans every stashed block for nested placeholders with a regex, so a ~16 KB
figure in the stash costs a scan of all its bytes (about a tenth of a millisecond per figure).
SuperFences stashes ``<div>STX attn:N ETX</div>`` instead: block-level, so never wrapped in
``<p>``, and unforgeable, because Python-Markdown strips STX and ETX from the source. Our own
preprocessor skips the stash: its slot line becomes that ``<div>`` in the tree (``SlotBlocks``),
so no paragraph, inline pass or stash lookup is spent on it. ``FigureSlots`` runs right after the
stash is restored and before every other postprocessor (footnotes and critic aside), so they see
the figures as before.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.postprocessors import Postprocessor
from markdown.util import ETX, STX, AtomicString

NAME = "attention-slots"
# After raw_html (30), footnote and critic (25); before amp_substitute (20) and the rest.
PRIORITY = 21
#: Before every block processor of Python-Markdown (the highest is 100) and its common extensions.
BLOCK_PRIORITY = 200
#: A slot's text: the figure's number between STX and ETX.
_SLOT_TEXT = f"{STX}attn:([0-9]+){ETX}"
_SLOT = re.compile(f"<div>{_SLOT_TEXT}</div>")
_SLOT_LINE = re.compile(_SLOT_TEXT)


class FigureSlots(Postprocessor):
    """The figures of one conversion, stashed as slots and put back into the final HTML."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.figures: list[str] = []

    def add(self, html: str) -> str:
        """Keep ``html``; the short slot to stash in its place."""
        return f"<div>{self.line(html)}</div>"

    def line(self, html: str) -> str:
        """Keep ``html``; the slot's text, for a line of its own that ``SlotBlocks`` turns into
        the slot's ``<div>`` (the preprocessor's fences skip the stash altogether)."""
        self.figures.append(html)
        return f"{STX}attn:{len(self.figures) - 1}{ETX}"

    def run(self, text: str) -> str:
        # Not only once per conversion: toc and MkDocs run the postprocessors on each heading.
        if not self.figures:
            return text
        return _SLOT.sub(lambda m: self.figures[int(m.group(1))], text)

    def reset(self) -> None:
        """Called by ``Markdown.reset()``, like an extension's: a conversion's figures are done."""
        self.figures.clear()


class SlotBlocks(BlockProcessor):
    """A block that is one slot line becomes the slot's ``<div>`` in the tree: the stash would hold
    it as a paragraph, which every block test, the inline patterns and the stash's restoring
    regex then go over (more than a tenth of a fence's cost, for its empty text)."""

    def test(self, parent: Element, block: str) -> bool:
        # The last block of a document keeps its final newline.
        return block.startswith(STX) and _SLOT_LINE.fullmatch(block.rstrip("\n")) is not None

    def run(self, parent: Element, blocks: list[str]) -> None:
        SubElement(parent, "div").text = AtomicString(blocks.pop(0).rstrip("\n"))


def slots(md: Markdown) -> FigureSlots:
    """The conversion's ``FigureSlots``, registered on first use (the SuperFences formatter can
    run without our extension)."""
    if NAME not in md.postprocessors:
        figure_slots = FigureSlots(md)
        md.postprocessors.register(figure_slots, NAME, PRIORITY)
        md.registerExtension(figure_slots)  # type: ignore[arg-type]  # for its reset()
    return md.postprocessors[NAME]  # type: ignore[return-value]
