"""Split a sentence into the tokens a reader sees: words and punctuation."""

from __future__ import annotations

import re

# A word is a run of letters/digits/marks, with inner apostrophes or hyphens ("don't",
# "self-attention"); any other non-space character is a token of its own.
_TOKEN = re.compile(r"[\w\u0300-\u036f]+(?:['’\-][\w\u0300-\u036f]+)*|[^\w\s]", re.UNICODE)


def tokenize(text: str) -> tuple[str, ...]:
    """Tokenize ``text`` into words and punctuation, deterministically and without a model. A
    byte-order mark (an editor's, invisible) is not part of the text."""
    return tuple(_TOKEN.findall(text.replace("\ufeff", "")))
