"""Which page a conversion is, in Zensical (which runs Markdown extensions but no MkDocs plugins).

Zensical gives each page's ``Markdown`` its rendering context: a preprocessor named
``rendering_context`` (``zensical.extensions.context``) holding the page (``path``, relative to
the docs folder) and the site's config (``root_dir``, ``docs_dir``, ``extra_javascript``). From it
a conversion knows its page, so warnings name ``docs/page.md:LINE`` and ``file:`` paths are
relative to the page. Zensical strips front matter before Python-Markdown sees the page, so lines
are counted in the page's own file.

It also checks, once per docs folder and process, that the site lists this package's ``attn.js``
(copied by ``mkdocs-attention assets DOCS_DIR``): a missing or stale copy leaves figures static.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from markdown import Markdown

from ..cache import shared_cache
from ..settings import ASSET_DIR, CACHE_DIR, log
from ..sources import LoadEnv
from ..widget_files import ASSETS, FILES
from .page_context import PageInfo

#: The docs folders whose assets were checked in this process.
_CHECKED: set[Path] = set()


def zensical_page(md: Markdown, env: LoadEnv, *, check: bool = True) -> PageInfo | None:
    """The page Zensical is converting with ``md``, or None outside Zensical; ``check``: that
    the site lists the widget's files (not when the pages carry it, ``inline_assets``)."""
    try:
        context: Any = md.preprocessors["rendering_context"]
    except KeyError:
        return None
    page, config = getattr(context, "page", None), getattr(context, "config", None)
    if page is None or not isinstance(getattr(page, "path", None), str) or not isinstance(config, dict):
        return None
    root = Path(config.get("root_dir") or ".").resolve()
    docs = (root / str(config.get("docs_dir") or "docs")).resolve()
    src = docs / page.path
    try:
        source: str | None = src.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        source = None
    cache = shared_cache(root / CACHE_DIR)
    if check and docs not in _CHECKED:
        _CHECKED.add(docs)
        check_assets(docs, config.get("extra_javascript") or [], root)
    shown = os.path.relpath(src, root).replace(os.sep, "/")
    env = replace(env, base_dir=src.parent, docs_dir=docs, project_dir=root, cache=cache)
    return PageInfo(shown, env=env, errors=[], source=source)


def check_assets(docs: Path, scripts: list[Any], root: Path) -> None:
    """Warn, naming the file, when the site lists no ``attn.js``, or its folder lacks one of the
    widget's files or has one from another version."""
    paths = [item.get("path", "") if isinstance(item, dict) else str(item) for item in scripts]
    listed = [p for p in paths if p.rsplit("/", 1)[-1] == "attn.js" and "://" not in p]
    if not listed:
        shown = os.path.relpath(docs, root).replace(os.sep, "/")
        log.warning(
            f"attention: no attn.js in extra_javascript, so figures will not respond to the "
            f"reader: run `mkdocs-attention assets {shown}` and add the lines it prints "
            f"({ASSET_DIR}/attn.js and attn.css)"
        )
        return
    ours = {name: (ASSETS / name).read_bytes() for name in FILES}
    for script in listed:
        for name in FILES:
            path = docs / script.lstrip("/")
            path = path.with_name(name)
            try:
                same = path.read_bytes() == ours[name]
            except OSError:
                same = False
            if not same:
                shown = os.path.relpath(path, root).replace(os.sep, "/")
                log.warning(
                    f"attention: {shown} is missing or from another version of mkdocs-attention "
                    f"than the one rendering the figures, which would break them: run "
                    f"`mkdocs-attention assets {os.path.relpath(docs, root)}` again"
                )
