"""Find ``attention`` fences in Markdown lines, skipping the bodies of every other fence.

Used by the Markdown extension to render top-level fences (without SuperFences) or rescue the
ones SuperFences leaves as text, and to find the page line of a fence whose body SuperFences
hands over without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

LANG = "attention"
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")


@dataclass(frozen=True)
class Fence:
    """One ``attention`` fence: 0-based line of its opening, header text and body."""

    start: int
    end: int  # index of the closing line, or len(lines) when never closed
    indent: int
    header: str
    body: str
    closed: bool


_LANG = re.compile(r"\{?\s*\.?([\w#.+-]+)")


def _closer(fence: str) -> re.Pattern[str]:
    """The line that closes a fence opened by ``fence``: the same character, at least as many."""
    return re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")


def _lang(info: str) -> tuple[str, str]:
    m = _LANG.match(info)
    if not m:
        return "", info
    if info.startswith("{"):  # ```{.attention view=arcs}
        return m.group(1), "{" + info[m.end():].lstrip()
    return m.group(1), info[m.end():]


def scan(lines: Sequence[str], max_indent: int | None = 3) -> Iterator[Fence]:
    """Yield every ``attention`` fence opening at most ``max_indent`` spaces in (any when None),
    skipping the bodies of other fences."""
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        indent = len(m.group("indent").expandtabs(4)) if m else 0
        if not m or (max_indent is not None and indent > max_indent) or (
            m.group("fence")[0] == "`" and "`" in m.group("info")
        ):
            i += 1
            continue
        close = _closer(m.group("fence"))
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        lang, header = _lang(m.group("info").strip())
        if lang == LANG:
            inner = lines[i + 1:j]
            body = "\n".join([_dedent(line, indent) for line in inner] if indent else inner)
            yield Fence(i, j, indent, header.strip(), body, j < len(lines))
        i = j + 1


def _dedent(line: str, indent: int) -> str:
    n = 0
    while n < indent and n < len(line) and line[n] == " ":
        n += 1
    return line[n:]


def openings(lines: Sequence[str]) -> dict[str, list[int]]:
    """Each fence body in ``lines`` (any indentation) → the 0-based lines where it opens: one
    scan of a page answers every ``locate`` on it."""
    out: dict[str, list[int]] = {}
    for f in scan(lines, max_indent=None):
        out.setdefault(f.body.strip("\n"), []).append(f.start)
    return out


def locate(text: str, body: str) -> list[int]:
    """0-based opening lines of every fence in ``text`` (any indentation) with this body. Lines
    end at newlines only, as Python-Markdown splits them (not at U+2028, say)."""
    return openings(text.split("\n")).get(body.strip("\n"), [])
