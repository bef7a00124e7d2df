"""SuperFences glue: the custom fence's validator and formatter.

With the ``attention`` Markdown extension (and so with the MkDocs plugin) SuperFences gets them
through its ``extend_super_fences``; with SuperFences alone, list them::

    pymdownx.superfences:
      custom_fences:
        - name: attention
          class: attention
          validator: !!python/name:mkdocs_attention.hosts.superfences.validator
          format: !!python/name:mkdocs_attention.hosts.superfences.formatter

SuperFences silently drops a fence whose validator or formatter raises, so neither does:
header problems are carried to the formatter, which reports them like any other error. The one
exception it lets through, ``SuperFencesException``, is how a host stops the build at a bad fence
(``fail_fast``, ``fail_on_error``).
"""

from __future__ import annotations

import inspect
import re
from functools import partial
from typing import Any

from markdown import Markdown

from .fence_scan import LANG
from .page_context import page_context

try:
    from pymdownx.superfences import SuperFencesException
except ImportError:  # without pymdown-extensions no SuperFences runs to swallow an exception

    class SuperFencesException(Exception):  # type: ignore[no-redef]  # noqa: N818 - its name
        """pymdown-extensions' exception, where it is not installed."""


#: One header option as SuperFences reads it without braces: ``key`` or ``key="value"``. Quoted
#: values stop at the first matching quote (SuperFences may read further): a header this reads
#: is one SuperFences reads; one it does not may still be, and is then rendered by us instead.
_OPTION = re.compile(r"""[ \t]*[A-Za-z][A-Za-z0-9_]*(?:=(?:"[^"]*"|'[^']*'))?(?=[ \t]|$)""")


def takes(header: str) -> bool:
    """Whether SuperFences surely renders a fence with this header (text after the language).

    A fence it cannot read it leaves as text, and its closing line then opens a code block that
    swallows the next fence: such fences must be taken before SuperFences sees them. Linear
    time (a backtracking pattern here hung builds on long headers)."""
    header = header.strip()
    if header.startswith("{"):
        return header.endswith("}") and "\n" not in header
    pos = 0
    while pos < len(header):
        m = _OPTION.match(header, pos)
        if m is None:
            return False
        pos = m.end()
    return True


def validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Markdown
) -> bool:
    """Accept every ``attention`` fence; keep its header options for the formatter."""
    options["header"] = dict(inputs)
    return True


def formatter(
    src: str, language: str, class_name: str, options: dict[str, Any], md: Markdown, **kwargs: Any
) -> str:
    """Render the fence (or its error box); never raises for bad input."""
    ctx = page_context(md)
    found = ctx.index.next(src)
    if found is None:  # not in the page's index: SuperFences' reading of the header
        return ctx.render(src, options.get("header", {}), None)
    # The header as the page writes it, read by the one header grammar of every set-up.
    return ctx.render(src, found.fence.header, found.line, example=found.example)


def join_superfences(md: Markdown) -> bool:
    """Whether SuperFences handles this conversion's fences; if it does, make sure it hands
    ``attention`` fences to ``formatter`` (sites need not list the custom fence themselves)."""
    if "fenced_code_block" not in md.preprocessors:
        return False
    superfences = getattr(md.preprocessors["fenced_code_block"], "extension", None)
    if not hasattr(superfences, "extend_super_fences"):
        return False
    if not any(fence["name"] == LANG for fence in superfences.superfences):  # type: ignore[union-attr]
        extend = superfences.extend_super_fences  # type: ignore[union-attr]
        # pymdown-extensions 13 added a ``reset`` argument (None: nothing to reset per page).
        more = (None,) if "reset" in inspect.signature(extend).parameters else ()
        extend(LANG, partial(formatter, class_name=LANG), validator, *more)
    return True
