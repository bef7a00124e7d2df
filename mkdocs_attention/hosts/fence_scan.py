"""Find ``attention`` fences in Markdown lines, skipping the bodies of every other fence, and say
what holds each one (nothing, a blockquote, a list or block, an indented code example, a comment).

Used by the Markdown extension to render the fences plain Markdown can hold, to take the ones
SuperFences would leave as text, and to find the page line (and header) of a fence whose body
SuperFences hands over without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

LANG = "attention"
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
#: One blockquote marker at the start of a line.
_QUOTE = re.compile(r"[ \t]{0,3}>[ \t]?")
#: The start of a block that nests indented content: a list item, an admonition or details
#: block, a content tab, a pymdownx block.
_CONTAINER = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]|(?:!!!|\?\?\?\+?|===\+?)[ \t]|///")
_LANG = re.compile(r"\{?\s*\.?([\w#.+-]+)")

#: What holds a fence: nothing (at the margin), a blockquote, an indented block (a list item,
#: an admonition, a tab), an indented code example, or an HTML comment.
Holder = Literal["margin", "quote", "block", "code", "comment"]


@dataclass(frozen=True)
class Fence:
    """One ``attention`` fence: 0-based line of its opening, header text and body."""

    start: int
    end: int  # index of the closing line, or len(lines) when never closed
    indent: int
    header: str
    body: str
    closed: bool
    #: How many blockquote markers (``>``) open each of its lines.
    quotes: int = 0
    #: Whether its lines are indented otherwise than SuperFences takes (the closing line exactly
    #: as far as the opening, the body at least as far): SuperFences then leaves it as text.
    misindented: bool = False


def _closer(fence: str) -> re.Pattern[str]:
    """The line that closes a fence opened by ``fence``: the same character, at least as many."""
    return re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")


def _lang(info: str) -> tuple[str, str]:
    m = _LANG.match(info)
    if not m:
        return "", info
    if info.startswith("{"):  # ```{.attention view=arcs}
        return m.group(1), "{" + info[m.end() :].lstrip()
    return m.group(1), info[m.end() :]


def _unquoted(line: str) -> tuple[int, str]:
    """The number of blockquote markers opening ``line``, and the line without them."""
    depth = 0
    while m := _QUOTE.match(line):
        depth, line = depth + 1, line[m.end() :]
    return depth, line


def _strip_quotes(line: str, depth: int) -> str | None:
    """``line`` without ``depth`` blockquote markers; None when it has fewer (the quote ended)."""
    for _ in range(depth):
        m = _QUOTE.match(line)
        if m is None:
            return None
        line = line[m.end() :]
    return line


def scan(lines: Sequence[str], max_indent: int | None = 3) -> Iterator[Fence]:
    """Yield every ``attention`` fence opening at most ``max_indent`` spaces in (any when None),
    in blockquotes too, skipping the bodies of other fences."""
    i = 0
    while i < len(lines):
        quotes, line = _unquoted(lines[i])
        m = _OPEN.match(line)
        indent = len(m.group("indent").expandtabs(4)) if m else 0
        if (
            not m
            or (max_indent is not None and indent > max_indent)
            or (m.group("fence")[0] == "`" and "`" in m.group("info"))
        ):
            i += 1
            continue
        close = _closer(m.group("fence"))
        inner: list[str] = []
        j = i + 1
        shallow = False  # a body line less indented than the opening
        while j < len(lines):
            content = _strip_quotes(lines[j], quotes)
            if content is None or close.match(content):
                break
            shallow = shallow or (bool(content.strip()) and _indent(content) < indent)
            inner.append(_dedent(content, indent))
            j += 1
        closed = j < len(lines) and _strip_quotes(lines[j], quotes) is not None
        lang, header = _lang(m.group("info").strip())
        if lang == LANG:
            misindented = closed and (shallow or _indent(_strip_quotes(lines[j], quotes) or "") != indent)
            yield Fence(
                i,
                j if closed else len(lines),
                indent,
                header.strip(),
                "\n".join(inner),
                closed,
                quotes,
                misindented,
            )
        # Another language's fence is skipped whole; one never closed is no fence at all.
        i = j + 1 if closed else j if lang == LANG else i + 1


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _dedent(line: str, indent: int) -> str:
    n = 0
    while n < indent and n < len(line) and line[n] == " ":
        n += 1
    return line[n:]


def holder(lines: Sequence[str], fence: Fence, comments: Sequence[bool]) -> Holder:
    """What holds ``fence``: a comment (``comments``, the page's ``in_comments``, made once for
    all its fences), a blockquote, nothing (up to three spaces in), or, for an indented fence,
    the nearest less indented line before it: the start of a list item or block (then the fence
    belongs to it), else text (then it is an indented code example)."""
    if comments[fence.start]:
        return "comment"
    if fence.quotes:
        return "quote"
    if fence.indent <= 3:
        return "margin"
    for k in range(fence.start - 1, -1, -1):
        line = lines[k]
        if line.strip() and _indent(line) < fence.indent:
            return "block" if _CONTAINER.match(line.lstrip()) else "code"
    return "code"


def in_comments(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it starts inside an HTML comment: whether the last comment mark
    before it opens one. One pass over the page (asking each fence's way back to the nearest
    mark read a page without comments once per fence)."""
    out, inside = [], False
    for line in lines:
        out.append(inside)
        opened, closed = line.rfind("<!--"), line.rfind("-->")
        if opened >= 0 or closed >= 0:
            inside = opened > closed
    return out


def openings(lines: Sequence[str]) -> dict[str, list[Fence]]:
    """Each fence body in ``lines`` (any indentation, in blockquotes too) → its fences in page
    order: one scan of a page answers every "where is this fence?" SuperFences leaves us."""
    out: dict[str, list[Fence]] = {}
    for f in scan(lines, max_indent=None):
        out.setdefault(f.body.strip("\n"), []).append(f)
    return out
