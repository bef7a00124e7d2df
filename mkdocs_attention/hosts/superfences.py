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
header problems are carried to the formatter, which reports them like any other error.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from markdown import Markdown

from .fence_scan import LANG
from .page_context import page_context


def validator(language: str, inputs: dict[str, str], options: dict[str, Any],
              attrs: dict[str, Any], md: Markdown) -> bool:
    """Accept every ``attention`` fence; keep its header options for the formatter."""
    options["header"] = dict(inputs)
    return True


def formatter(src: str, language: str, class_name: str, options: dict[str, Any], md: Markdown,
              **kwargs: Any) -> str:
    """Render the fence (or its error box); never raises for bad input."""
    ctx = page_context(md)
    return ctx.render(src, options.get("header", {}), ctx.fence_line(src))


def join_superfences(md: Markdown) -> bool:
    """Whether SuperFences handles this conversion's fences; if it does, make sure it hands
    ``attention`` fences to ``formatter`` (sites need not list the custom fence themselves)."""
    if "fenced_code_block" not in md.preprocessors:
        return False
    superfences = getattr(md.preprocessors["fenced_code_block"], "extension", None)
    if not hasattr(superfences, "extend_super_fences"):
        return False
    if not any(fence["name"] == LANG for fence in superfences.superfences):  # type: ignore[union-attr]
        superfences.extend_super_fences(  # type: ignore[union-attr]
            LANG, partial(formatter, class_name=LANG), validator, None)
    return True
