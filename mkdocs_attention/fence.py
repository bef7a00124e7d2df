"""SuperFences glue: a public validator and formatter for ``custom_fences``.

The plugin registers them itself; without the plugin a user can list them in ``mkdocs.yml``::

    pymdownx.superfences:
      custom_fences:
        - name: attention
          class: attention
          validator: !!python/name:mkdocs_attention.fence.validator
          format: !!python/name:mkdocs_attention.fence.formatter

SuperFences silently drops a fence whose validator or formatter raises, so neither does:
header problems are carried to the formatter, which reports them like any other error.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown

from .pipeline import PageContext, convert
from .slots import slots

_fallback = PageContext()

# The header forms SuperFences recognises after the language: an attribute list in braces, or
# bare/quoted options (``key`` or ``key="v"``). Anything else (``heads=2``) it leaves as text.
_SUPERFENCES_HEADER = re.compile(
    r"""^(?:\{.*\}|(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*(?:=(["']).*?\1)?(?=[ \t]|$))*)[ \t]*$"""
)


def superfences_takes(header: str) -> bool:
    """Whether SuperFences will hand a fence with this header to our formatter."""
    return bool(_SUPERFENCES_HEADER.match(header.strip()))


def validator(language: str, inputs: dict[str, str], options: dict[str, Any],
              attrs: dict[str, Any], md: Markdown) -> bool:
    """Accept every ``attention`` fence; keep its header options for the formatter."""
    options["header"] = dict(inputs)
    return True


def formatter(src: str, language: str, class_name: str, options: dict[str, Any], md: Markdown,
              **kwargs: Any) -> str:
    """Render the fence (or its error box); never raises for bad input."""
    ctx: PageContext = getattr(md, "attention_context", _fallback)
    return slots(md).add(convert(src, options.get("header", {}), ctx, ctx.fence_line(src)))
