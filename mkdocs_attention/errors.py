"""The one exception type for bad input.

Everything the spec, the sources and the files can get wrong raises ``AttentionError``;
the Markdown and MkDocs glue turn it into a located warning and an ``attn-error`` box.
"""

from __future__ import annotations

import re
import reprlib


class AttentionError(ValueError):
    """A problem with an ``attention`` fence, phrased for the author who wrote it.

    ``line`` is an offset (0-based) inside the fence body when the problem is tied to one
    body line (YAML errors); the glue adds the fence's own line in the page.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message


class _Bounded(reprlib.Repr):
    """``repr`` cut short: an echoed value is never longer than a line, however big or deep it
    is (a YAML alias tree can stand for billions of items)."""

    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = 3
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = self.maxfrozenset = 6
        self.maxstring = self.maxother = 60

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 200:  # repr() of an int over 4,300 digits raises
            return f"a whole number of {len(str(x)) if x.bit_length() < 10_000 else 'thousands of'} digits"
        return repr(x)


_BOUNDED = _Bounded()
#: Characters a message must not carry raw into a terminal or log: C0 and C1 controls but the
#: newline, and the line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
MAX_MESSAGE = 1000


def shown(value: object) -> str:
    """``value`` as an error message echoes it: its ``repr``, cut short."""
    return _BOUNDED.repr(value)


def printable(message: str) -> str:
    """A message safe to print: control characters escaped, at most ``MAX_MESSAGE`` characters."""
    message = _CONTROL.sub(lambda m: ascii(m.group(0))[1:-1], message)
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
