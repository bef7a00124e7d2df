"""Keep figures out of Python-Markdown's HTML stash: it holds a short slot, filled at the end.

Python-Markdown re-scans every stashed block for nested placeholders with a regex, so a ~16 KB
figure in the stash costs a scan of all its bytes (about a tenth of a millisecond per figure).
The stash gets ``<div>STX attn:N ETX</div>`` instead: block-level, so never wrapped in ``<p>``,
and unforgeable, because Python-Markdown strips STX and ETX from the source. ``FigureSlots``
runs right after the stash is restored and before every other postprocessor (footnotes and
critic aside), so they see the figures as before.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.postprocessors import Postprocessor
from markdown.util import ETX, STX

NAME = "attention-slots"
# After raw_html (30), footnote and critic (25); before amp_substitute (20) and the rest.
PRIORITY = 21
_SLOT = re.compile(f"<div>{STX}attn:([0-9]+){ETX}</div>")


class FigureSlots(Postprocessor):
    """The figures of one conversion, stashed as slots and put back into the final HTML."""

    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.figures: list[str] = []

    def add(self, html: str) -> str:
        """Keep ``html``; the short slot to stash in its place."""
        self.figures.append(html)
        return f"<div>{STX}attn:{len(self.figures) - 1}{ETX}</div>"

    def run(self, text: str) -> str:
        # Not only once per conversion: toc and MkDocs run the postprocessors on each heading.
        if not self.figures:
            return text
        return _SLOT.sub(lambda m: self.figures[int(m.group(1))], text)

    def reset(self) -> None:
        """Called by ``Markdown.reset()``, like an extension's: a conversion's figures are done."""
        self.figures.clear()


def slots(md: Markdown) -> FigureSlots:
    """The conversion's ``FigureSlots``, registered on first use (the SuperFences formatter can
    run without our extension)."""
    if NAME not in md.postprocessors:
        figure_slots = FigureSlots(md)
        md.postprocessors.register(figure_slots, NAME, PRIORITY)
        md.registerExtension(figure_slots)  # type: ignore[arg-type]  # for its reset()
    return md.postprocessors[NAME]  # type: ignore[return-value]
