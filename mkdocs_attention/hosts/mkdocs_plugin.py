"""MkDocs glue: wire the fence into Markdown, ship the assets, say which page a fence is on,
and keep figures' scores out of the search index."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from markdown import Markdown
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..cache import Cache
from ..convert import Place
from ..limits import MAX_TOKENS
from ..settings import ASSET_DIR, CACHE_DIR, MAX_FILE_MB, file_bytes, log
from ..sources import LoadEnv
from ..widget_files import ASSETS, FILES, page_files
from ..widget_files import CSS as CORE_CSS
from ..widget_files import JS as CORE_JS
from .markdown_extension import AttentionExtension
from .notebook_cells import render_cells
from .page_context import PageInfo
from .superfences import SuperFencesException

#: The core, listed on the pages with a figure (or an error box); on every page where the theme's
#: instant navigation brings pages in without their ``<head>`` and runs no script outside their
#: content (Material's ``navigation.instant``), so the core is there to mount their figures.
JS, CSS = f"{ASSET_DIR}/{CORE_JS}", f"{ASSET_DIR}/{CORE_CSS}"
#: What a page holds that needs the core: a figure, or an error box (styled by attn.css).
NEEDS_CORE = ('<figure class="attn"', 'class="attn-error"')
FIGURE_OPEN, FIGURE_CLOSE = '<figure class="attn" id="', "</figure>"
#: A figure's stand-in while search plugins read the page: its id and its search text.
STAND_IN = re.compile(r'<div data-attn-search="([^"]+)">.*?</div>', re.S)
#: The code block of an ``attention`` fence nobody rendered, as Pygments or Python-Markdown write it.
LEFT_AS_CODE = 'class="language-attention"'
#: An ``id`` attribute's text (``_element_ids`` keeps those after a space: an element's ids).
_ID_ATTR = re.compile(r'id="([^"]+)"')
#: An HTML comment: what it holds is not shown, and not left for the reader.
_COMMENT = re.compile(r"<!--.*?-->", re.S)


#: The files each page's figures read (by the page's source path), kept across the rebuilds of
#: one ``mkdocs serve``, which loads the config and so this plugin afresh for each one.
_READS: dict[str, frozenset[Path]] = {}


class FailFastError(PluginError, SuperFencesException):
    """A bad fence under ``fail_fast``: MkDocs ends the build with its message (no traceback),
    and SuperFences lets it through."""


class AttentionConfig(Config):
    """``plugins: - attention: {...}`` options."""

    #: Most tokens a figure may have.
    max_tokens = c.Type(int, default=MAX_TOKENS)
    #: Stop the build at the first bad fence instead of reporting each one.
    fail_fast = c.Type(bool, default=False)
    #: Folder (relative to mkdocs.yml) for computed model attention; commit it.
    cache_dir = c.Type(str, default=CACHE_DIR)
    #: Largest data file a fence may read, in megabytes.
    max_file_mb = c.Type((int, float), default=MAX_FILE_MB)


class AttentionPlugin(BasePlugin[AttentionConfig]):
    """Render ``attention`` fences on every page, add the widget's files to the site, and list on
    each page the parts its figures use."""

    def __init__(self) -> None:
        self.env = LoadEnv()
        #: Each page of the build by its source file, as ``on_page_markdown`` saw it.
        self.pages: dict[str, PageInfo] = {}
        #: The page MkDocs is converting (``on_page_markdown`` to ``on_page_content``).
        self.page = PageInfo()
        #: Each page's figures while search plugins read it, by page identity.
        self._hidden: dict[int, dict[str, str]] = {}
        #: Whether the config lists the core on every page (instant navigation, or the author).
        self.core_everywhere = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.env = LoadEnv(
            docs_dir=Path(config.docs_dir),
            project_dir=root,
            max_tokens=self.config.max_tokens,
            max_file_bytes=file_bytes(self.config.max_file_mb),
            cache=Cache(root / self.config.cache_dir),
        )
        self.page = PageInfo(env=self.env)
        # MkDocs takes extension objects as well as names (its type says names only).
        config.markdown_extensions.append(AttentionExtension(page_of=self.page_of))  # type: ignore[arg-type]
        listed = JS in config.extra_javascript and CSS in config.extra_css
        self.core_everywhere = listed or "navigation.instant" in (config.theme.get("features") or ())
        if self.core_everywhere:
            for path, extra in ((JS, config.extra_javascript), (CSS, config.extra_css)):
                if path not in extra:
                    extra.append(path)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for file in files.documentation_pages():
            if _read_changed(file):
                # ``mkdocs serve --dirty`` rebuilds only pages whose own file changed.
                file.is_modified = lambda: True  # type: ignore[method-assign]
        for name in FILES:
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(ASSETS / name)))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        src = page.file.abs_src_path
        base = Path(src).parent if src else Path(config.docs_dir)
        self.page = PageInfo(
            _display_path(page.file, config),
            _front_matter_lines(page, markdown),
            replace(self.env, base_dir=base),
            errors=[],
            stop=FailFastError if self.config.fail_fast else None,
            source=markdown,
            ids=set(),
            outcomes=[],
        )
        self.pages[_key(page.file)] = self.page
        return markdown

    def page_of(self, md: Markdown) -> PageInfo:
        """Which page a conversion is: the page MkDocs renders (its ``relpath`` processor knows
        the file), a blog post's excerpt (Material's ``excerpt`` processor knows the post:
        rendered again on the blog's views, its errors were reported with the post; its
        figures are the view's), or content another plugin converts inside the current page
        (mkdocstrings' docstrings)."""
        file = getattr(_treeprocessor(md, "relpath"), "file", None)
        if isinstance(file, File):
            return self.pages.get(_key(file)) or self._unknown(file)
        post = getattr(getattr(_treeprocessor(md, "excerpt"), "page", None), "file", None)
        if isinstance(post, File):
            info = self.pages.get(_key(post))
            return (
                replace(info, ids=None, errors=None, quiet=True, outcomes=self.page.outcomes)
                if info
                else self._unknown(post)
            )
        return replace(self.page, source=None, own=False)

    def _unknown(self, file: File) -> PageInfo:
        """A page this plugin never saw: named as such, never as another page."""
        base = Path(file.abs_src_path).parent if file.abs_src_path else self.env.docs_dir
        return PageInfo(
            f"{file.src_uri} (converted outside its page)", env=replace(self.env, base_dir=base), own=False
        )

    def _notebook_cells(self, html: str, page: Page, config: MkDocsConfig) -> str:
        """A notebook's Markdown-cell fences (mkdocs-jupyter leaves them as code) as figures."""
        src = Path(page.file.abs_src_path or "")
        shown = _display_path(page.file, config)
        env = replace(self.env, base_dir=src.parent)
        done = render_cells(html, src, lambda cell, line: Place(f"{shown} cell {cell}", line, env), set())
        if done is None:
            return html
        html, outcomes = done
        for outcome in outcomes:
            if self.page.outcomes is not None:
                self.page.outcomes.append(outcome)
            if outcome.error is not None:
                self._report(str(outcome.error))
        return html

    def _report(self, error: str) -> None:
        """A located error found after conversion: warned, and kept for ``fail_fast``."""
        log.warning(error)
        if self.page.errors is not None:
            self.page.errors.append(error)

    @event_priority(50)  # before Material's blog counts a post's words (default priority 0)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A fence something else left as a code block (a notebook's Markdown cell, which
        mkdocs-jupyter converts without Python-Markdown) is reported, not lost in silence; with
        ``fail_fast``, a page with a bad fence stops the build."""
        if LEFT_AS_CODE in html and (page.file.abs_src_path or "").endswith(".ipynb"):
            html = self._notebook_cells(html, page, config)
        left = _COMMENT.sub("", html).count(LEFT_AS_CODE)  # a fence in a comment is not shown
        if left:
            self._report(
                f"{_display_path(page.file, config)}: attention: {left} attention fence(s) on "
                "this page were not rendered (a converter other than Python-Markdown left them "
                "as code, as mkdocs-jupyter does with notebook cells)"
            )
        self._clashing_ids(html)
        if self.page.outcomes is not None and page.file.abs_src_path:
            _READS[page.file.abs_src_path] = frozenset(p for o in self.page.outcomes for p in o.reads)
        if self.config.fail_fast and self.page.errors:
            raise FailFastError(self.page.errors[0])
        _blog_read_time(html, page, config, self._searchable(page))
        return html

    def _clashing_ids(self, html: str) -> None:
        """A figure's id that another element of the page has too (a heading's: ``id: example``
        beside a heading "Example") is reported: the link and the figure's parts need it alone."""
        counts = _element_ids(html)
        for outcome in self.page.outcomes or []:
            if outcome.id is not None and counts[outcome.id] > 1 and outcome.place is not None:
                self._report(
                    f"{outcome.place.at(None)}: attention: the figure id {outcome.id!r} is also the "
                    "id of another element on this page (a heading's?): give the figure another 'id'"
                )

    @event_priority(100)  # before any search plugin (default priority 0)
    def _hide_from_search(self, context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
        """Search plugins read each page's HTML in this event: a figure's scores and labels would
        only put numbers in the index."""
        page.content = self._hide(page.content or "", page, self._searchable(page))
        return context

    @event_priority(-100)
    def _restore_after_search(self, context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
        page.content = self._restore(page.content or "", page, config)
        return context

    def _searchable(self, page: Page) -> dict[str, str]:
        """Each figure of the page by id → what a reader would search it by (its name, caption
        and note: ``Outcome.search``)."""
        info = self.pages.get(_key(page.file))
        return {o.id: o.search for o in (info.outcomes or []) if o.id is not None} if info else {}

    def _hide(self, html: str, page: Page, searchable: dict[str, str]) -> str:
        """``html`` with each figure standing as an element holding its search text, the
        figures kept until ``_restore``."""
        figures = dict(_figures(html))
        if not figures:
            return html
        self._hidden[id(page)] = figures
        return _replaced(
            html,
            {
                fig_id: f'<div data-attn-search="{fig_id}">{searchable.get(fig_id, "")}</div>'
                for fig_id in figures
            },
        )

    def _restore(self, html: str, page: Page, config: MkDocsConfig) -> str:
        """Each stand-in gives its figure back; one another plugin removed is reported."""
        figures = self._hidden.pop(id(page), None)
        if figures is None:
            return html
        html = STAND_IN.sub(lambda m: figures.pop(m.group(1), m.group(0)), html)
        if figures:
            log.warning(
                f"{_display_path(page.file, config)}: attention: another plugin removed "
                f"{len(figures)} figure(s) from the page while search plugins read it: "
                f"{', '.join(figures)}"
            )
        return html

    on_page_context = CombinedEvent(_hide_from_search, _restore_after_search)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """The core (unless the config lists it on every page) and the parts the page's figures
        use (the core would load them itself, a round trip later): stylesheets before
        ``</head>``, scripts before ``</body>``. A page with neither figure nor error box: none."""
        info = self.pages.get(_key(page.file))
        used = {part for o in (info.outcomes or []) for part in o.parts} if info else set()
        if not used and not any(mark in output for mark in NEEDS_CORE):
            return output
        scripts, styles = page_files(sorted(used))
        if not self.core_everywhere:
            scripts, styles = [CORE_JS, *scripts], [CORE_CSS, *styles]
        url = page.url

        def href(name: str) -> str:
            return get_relative_url(f"{ASSET_DIR}/{name}", url)

        links = "".join(f'<link rel="stylesheet" href="{href(n)}">' for n in styles)
        tags = "".join(f'<script src="{href(n)}"></script>' for n in scripts)
        head, body = output.rfind("</head>"), output.rfind("</body>")
        if head < 0 or body < head:
            return output  # not a themed page: nowhere to list them
        return output[:head] + links + output[head:body] + tags + output[body:]


def _element_ids(html: str) -> Counter[str]:
    """How many elements of ``html`` have each id. The pattern starts with its literal text, which
    the regular-expression engine looks for quickly (one that starts with a ``\\b`` is tried at
    every character of the page); a match counts when a space comes before it, so ``data-id`` or
    ``grid`` is not an id."""
    return Counter(m[1] for m in _ID_ATTR.finditer(html) if m.start() > 0 and html[m.start() - 1].isspace())


def _spans(html: str) -> Iterator[tuple[int, int, str]]:
    """Where each figure of ``html`` starts and ends, and its id. Found with ``str.find``: a
    regular expression's lazy ``.*?`` across a figure's 15 KB cost a tenth of a millisecond."""
    pos = 0
    while (start := html.find(FIGURE_OPEN, pos)) >= 0:
        end = html.find(FIGURE_CLOSE, start)
        if end < 0:
            return
        pos = end + len(FIGURE_CLOSE)
        yield start, pos, html[start + len(FIGURE_OPEN) : html.find('"', start + len(FIGURE_OPEN))]


def _figures(html: str) -> Iterator[tuple[str, str]]:
    """Each figure of ``html`` by its id."""
    for start, end, fig_id in _spans(html):
        yield fig_id, html[start:end]


def _replaced(html: str, by_id: dict[str, str]) -> str:
    """``html`` with each of its figures whose id ``by_id`` holds replaced by that text."""
    parts, pos = [], 0
    for start, end, fig_id in _spans(html):
        parts += [html[pos:start], by_id.get(fig_id, html[start:end])]
        pos = end
    return "".join([*parts, html[pos:]])


def _read_changed(file: File) -> bool:
    """Whether a file the page's figures read changed after the page was last written."""
    reads = _READS.get(file.abs_src_path or "")
    if not reads:
        return False
    try:
        written = os.path.getmtime(file.abs_dest_path)
    except OSError:
        return True
    return any(not path.exists() or path.stat().st_mtime > written for path in reads)


def _blog_read_time(html: str, page: Page, config: MkDocsConfig, searchable: dict[str, str]) -> None:
    """Material's blog counts a post's words for its read time in this event (after us): a figure's
    scores table would count as minutes of text. Give a post without one its read time from its
    text with each figure as its name, as search sees it, counted by the blog's own function."""
    blog = config.plugins.get("material/blog")
    post: Any = getattr(page, "config", None)  # a blog post's settings (Material's PostConfig)
    if blog is None or not getattr(blog.config, "post_readtime", False):
        return  # no blog, or no read times
    if post is None or not hasattr(post, "readtime") or post.readtime:
        return  # not a post, or a read time the author set
    if FIGURE_OPEN not in html:
        return
    from material.plugins.blog.readtime import readtime  # type: ignore[import-untyped]  # its blog runs

    text = _replaced(html, {fig_id: searchable.get(fig_id, "") for fig_id, _ in _figures(html)})
    post.readtime = readtime(text, blog.config.post_readtime_words_per_minute)


def _treeprocessor(md: Markdown, name: str) -> object:
    return md.treeprocessors[name] if name in md.treeprocessors else None  # noqa: SIM401  # no .get


def _key(file: File) -> str:
    return file.abs_src_path or file.src_uri


def _display_path(file: File, config: MkDocsConfig) -> str:
    """The page as the author knows it: ``docs/lecture.md`` relative to ``mkdocs.yml``."""
    src = file.abs_src_path
    if not src:
        return file.src_uri
    base = os.path.dirname(config.config_file_path or "") or os.getcwd()
    return os.path.relpath(src, base).replace(os.sep, "/")


def _front_matter_lines(page: Page, markdown: str) -> int:
    """Lines MkDocs stripped (YAML front matter) before the Markdown we are given."""
    raw = page.file.content_string if page.file.abs_src_path else ""
    raw = raw.replace("\r\n", "\n")
    if markdown and raw.endswith(markdown):
        return raw[: len(raw) - len(markdown)].count("\n")
    return 0
