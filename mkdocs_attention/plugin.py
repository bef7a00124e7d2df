"""MkDocs glue: wire the fence into Markdown, ship the assets, locate errors per page."""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import fence
from .cache import Cache
from .extension import AttentionExtension
from .pipeline import PageContext, log
from .render.svg import html_text
from .sources import LoadEnv

ASSETS = os.path.join(os.path.dirname(__file__), "assets")
ASSET_DIR = "assets/mkdocs-attention"
JS, CSS = f"{ASSET_DIR}/attn.js", f"{ASSET_DIR}/attn.css"
SUPERFENCES = "pymdownx.superfences"
FIGURE_OPEN, FIGURE_CLOSE = '<figure class="attn" id="', "</figure>"
#: A figure's stand-in while search plugins read the page: this comment naming it, then its
#: search text. Material's search parser spends a quarter of what a ``<p data-…>`` cost it.
STAND_IN = "<!--attn-search:"
#: The stand-in's text when another plugin rewrote it: up to the next tag, trailing space kept.
_REWRITTEN_TEXT = re.compile(r"[^<]*?(?=\s*(?:<|\Z))")
#: What a reader would search a figure by: its name, caption and note (not its scores).
SEARCHABLE = re.compile(r'class="attn-(?:title|caption|note)"[^>]*>([^<]*)<')


class AttentionConfig(Config):
    """``plugins: - attention: {...}`` options."""

    max_tokens = c.Type(int, default=512)
    fail_fast = c.Type(bool, default=False)
    #: Folder (relative to mkdocs.yml) for computed model attention; commit it.
    cache_dir = c.Type(str, default=".attention-cache")
    #: Largest data file a fence may read, in megabytes.
    max_file_mb = c.Type(float, default=50.0)


class AttentionPlugin(BasePlugin[AttentionConfig]):
    """Render ``attention`` fences on every page and add ``attn.js``/``attn.css`` to the site."""

    def __init__(self) -> None:
        self.ctx = PageContext()
        #: What a page held before its figures were hidden from search, by page identity, until
        #: restored: its content, the content with the stand-ins, and each figure and its text.
        self._hidden: dict[int, tuple[str, str, dict[str, tuple[str, str]]]] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Only ``mkdocs serve`` builds again in the same process: the memo of rendered figures
        pays off there, and elsewhere only holds every figure in memory for the whole build."""
        self.ctx.remember = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.ctx.max_tokens = self.config.max_tokens
        root = Path(config.config_file_path or ".").resolve().parent
        self.ctx.env = LoadEnv(docs_dir=Path(config.docs_dir), project_dir=root,
                               max_tokens=self.config.max_tokens,
                               max_file_bytes=int(self.config.max_file_mb * 1e6),
                               cache=Cache(root / self.config.cache_dir))
        self.ctx.stop = PluginError if self.config.fail_fast else None
        uses_superfences = SUPERFENCES in config.markdown_extensions
        if uses_superfences:
            fences = config.mdx_configs.setdefault(SUPERFENCES, {}).setdefault("custom_fences", [])
            if not any(f.get("name") == "attention" for f in fences):
                fences.append({"name": "attention", "class": "attention",
                               "validator": fence.validator, "format": fence.formatter})
        config.markdown_extensions.append(AttentionExtension(self.ctx, preprocess=not uses_superfences))
        for path, extra in ((JS, config.extra_javascript), (CSS, config.extra_css)):
            if path not in extra:
                extra.append(path)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for path in (JS, CSS):
            files.append(File.generated(config, path,
                                        abs_src_path=os.path.join(ASSETS, os.path.basename(path))))
        return files

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        src = page.file.abs_src_path
        base = Path(src).parent if src else Path(config.docs_dir)
        self.ctx.new_page(_display_path(page, config), markdown, _front_matter_lines(page, markdown), base)
        return markdown


    @event_priority(100)  # before any search plugin (default priority 0)
    def _hide_figures_from_search(self, context: dict, *, page: Page, config: MkDocsConfig,
                                  nav: object) -> dict:
        """Search plugins (MkDocs', Material's) parse each page's HTML in this event. A figure is
        hundreds of SVG and table elements that only put numbers in the index and dominate the
        build: until they have run, each figure stands as a comment naming it and the text of its
        name and caption (no element: a ``<p>`` cost their parsers ~0.1 M instructions)."""
        content = page.content or ""
        if FIGURE_OPEN not in content:
            return context
        figures: dict[str, tuple[str, str]] = {}
        rendered = self.ctx.rendered
        parts, pos = [], 0
        while (start := content.find(FIGURE_OPEN, pos)) >= 0:  # str.find: a regex's .*? is slow here
            fig_id = content[start + len(FIGURE_OPEN):content.find('"', start + len(FIGURE_OPEN))]
            known = rendered.get(fig_id)
            if known is not None and content.startswith(known.html, start):  # as this page made it
                figure, text = known.html, known.search
            else:  # another plugin changed it: read it from the page
                end = content.find(FIGURE_CLOSE, start)
                if end < 0:
                    break
                figure = content[start:end + len(FIGURE_CLOSE)]
                text = _search_text(figure)
            figures[fig_id] = (figure, text)
            parts += [content[pos:start], STAND_IN, fig_id, "-->", text]
            pos = start + len(figure)
        page.content = "".join([*parts, content[pos:]])
        self._hidden[id(page)] = (content, page.content, figures)
        return context

    @event_priority(-100)
    def _restore_figures(self, context: dict, *, page: Page, config: MkDocsConfig, nav: object) -> dict:
        hidden = self._hidden.pop(id(page), None)
        if hidden is None:
            return context
        content, stood_in, figures = hidden
        if page.content is stood_in:  # as search plugins leave it: the page as it was, not rebuilt
            page.content = content
        else:  # another plugin changed it: put each figure back in its stand-in's place
            page.content, lost = _restored(page.content or "", figures)
            if lost:
                log.warning(f"{_display_path(page, config)}: attention: another plugin removed "
                            f"{len(lost)} figure(s) from the page while search plugins read it: "
                            f"{', '.join(lost)}")
        return context

    on_page_context = CombinedEvent(_hide_figures_from_search, _restore_figures)


def _restored(content: str, figures: dict[str, tuple[str, str]]) -> tuple[str, list[str]]:
    """``content`` with each stand-in replaced by its figure; the ids of figures not found."""
    parts, pos, left = [], 0, dict(figures)
    while (start := content.find(STAND_IN, pos)) >= 0:
        close = content.find("-->", start)
        hidden = left.pop(content[start + len(STAND_IN):close], None) if close >= 0 else None
        if hidden is None:  # not one of this page's stand-ins: left as it is
            parts.append(content[pos:start + len(STAND_IN)])
            pos = start + len(STAND_IN)
            continue
        figure, text = hidden
        end = close + 3
        if content.startswith(text, end):
            end += len(text)
        else:
            end = _REWRITTEN_TEXT.match(content, end).end()  # type: ignore[union-attr]  # always matches
        parts += [content[pos:start], figure]
        pos = end
    parts.append(content[pos:])
    return "".join(parts), list(left)


def _search_text(figure: str) -> str:
    """What search indexes a figure by: its accessible name (when it has no title), title,
    caption and note, as HTML text."""
    opening = figure[:figure.find(">")]  # the payload is escaped: no ">" inside the tag
    label = re.search(r' aria-label="([^"]*)"', opening)
    body = figure[len(opening):figure.find("<svg")]  # title; caption and note follow the SVG
    tail = figure[figure.rfind("</svg>"):figure.find('<details class="attn-data"')]
    words = [label.group(1)] if label else []
    words += SEARCHABLE.findall(body) + SEARCHABLE.findall(tail)
    return html_text(" ".join(unescape(w) for w in words if w))


def _display_path(page: Page, config: MkDocsConfig) -> str:
    """The page as the author knows it: ``docs/lecture.md`` relative to ``mkdocs.yml``."""
    src = page.file.abs_src_path
    if not src:
        return page.file.src_uri
    base = os.path.dirname(config.config_file_path or "") or os.getcwd()
    return os.path.relpath(src, base).replace(os.sep, "/")


def _front_matter_lines(page: Page, markdown: str) -> int:
    """Lines MkDocs stripped (YAML front matter) before the Markdown we are given."""
    raw = page.file.content_string if page.file.abs_src_path else ""
    raw = raw.replace("\r\n", "\n")
    if markdown and raw.endswith(markdown):
        return raw[: len(raw) - len(markdown)].count("\n")
    return 0
