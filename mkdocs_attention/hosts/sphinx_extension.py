"""The Sphinx host: ``extensions = ["mkdocs_attention.sphinx"]``.

- reStructuredText and MyST get the ``attention-map`` directive (``attention`` is docutils' and
  MyST's admonition, left alone); its body is the fence body, its ``:key: value`` options are the
  fence header's options, plus Sphinx's ``:name:``, ``:caption:`` (a numbered figure),
  ``:class:`` and ``:align:``.
- MyST's ```` ```attention ```` fences (and those in MyST-NB notebooks' Markdown cells) arrive as
  code blocks with language ``attention``; a transform turns them into figures before Sphinx
  highlights them.
- HTML builders (html, dirhtml, singlehtml, epub) get the figure's HTML, byte for byte what MkDocs
  writes for the same fence; the widget's files go to ``_static/``, and its core and the parts
  a page's figures use onto the pages that have figures. Other builders (LaTeX, text, man…)
  get the figure as words and numbers: its name and the scores of its focus token in a table.
- A bad fence is a warning located at its page and line (``type="attention"``, so
  ``suppress_warnings`` and ``-W`` work) with the error box in its place.

No state lives in the environment (figure ids of the document being read are in
``env.temp_data``), so reading and writing are parallel-safe.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import unescape
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .. import __version__
from ..cache import shared_cache
from ..convert import HASH_ID, Outcome, Place, convert_fence
from ..render.summary import Summary
from ..settings import CACHE_DIR, MAX_FILE_MB, file_bytes
from ..sources import LoadEnv
from ..spec import OPTIONS
from ..widget_files import ASSETS, CSS, JS, page_files
from .fence_scan import Fence
from .notebook_cells import cell_fences, in_cell, next_fence

log = logging.getLogger(__name__)
LANGUAGE = "attention"
#: A fence's opening line: what follows its language is the header.
OPENING = re.compile(r"(?:`{3,}|~{3,})[ \t]*attention(?![\w-])(.*)$")


class attention_figure(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes so)
    """One figure: ``html`` for HTML builders, ``summary`` (or ``error``) for the others. Its
    one child paragraph holds the search text (name, caption, note), which the HTML writer skips."""


def _figure_node(
    directive_env: Any,
    body: str,
    header: str | Mapping[str, str],
    docname: str,
    line: int,
    body_line: int,
    *,
    cell: int | None = None,
) -> attention_figure:
    """Convert one fence of ``docname``: its opening at ``line``, its body from the line after
    ``body_line`` (in a notebook, lines of ``cell``); a problem is warned about at its own line."""
    env = directive_env
    ids = env.temp_data.setdefault("attention_ids", set())
    source = Path(env.doc2path(docname))
    page = str(env.doc2path(docname, False))
    load_env = _load_env(env, source.parent)
    outcome = convert_fence(body, header, Place(page, body_line, load_env), ids, summary=True)
    for path in outcome.reads:
        env.note_dependency(str(path))
    node = attention_figure(
        "",
        nodes.paragraph("", unescape(outcome.search)),
        html=outcome.html,
        summary=outcome.summary,
        parts=list(outcome.parts),
    )
    node.line, node.source = line, str(source)
    if outcome.error is not None:
        _warn(outcome, docname, line, cell)
        node["error"] = outcome.error.message
    return node


def _warn(outcome: Outcome, docname: str, line: int, cell: int | None = None) -> None:
    problem = outcome.error
    assert problem is not None
    where = problem.line if problem.offset is not None else line
    log.warning("attention: %s", in_cell(cell, problem.message), location=(docname, where), type="attention")


def _load_env(env: Any, base_dir: Path) -> LoadEnv:
    """Where a page's fences may read: its folder, inside the source directory; local models
    and the cache relative to ``conf.py``'s folder (made absolute at ``config-inited``)."""
    config = env.config
    cache = shared_cache(Path(config.attention_cache_dir))
    return LoadEnv(
        base_dir=base_dir,
        docs_dir=Path(env.srcdir),
        project_dir=Path(config.attention_project_dir),
        max_tokens=config.attention_max_tokens,
        max_file_bytes=file_bytes(config.attention_max_file_mb),
        cache=cache,
    )


def _resolve_dirs(app: Sphinx, config: Any) -> None:
    """Folders in ``conf.py`` are relative to ``conf.py``'s folder."""
    conf = Path(app.confdir)
    config.attention_project_dir = str((conf / (config.attention_project_dir or ".")).resolve())
    config.attention_cache_dir = str((conf / config.attention_cache_dir).resolve())


def _header_option(value: str | None) -> str:
    return "" if value is None else value


class AttentionMapDirective(SphinxDirective):
    """``.. attention-map::`` with the fence body as content and header options as options."""

    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        **{name: _header_option for name, option in OPTIONS.items() if option.header},
        "name": directives.unchanged,
        "caption": directives.unchanged,
        "class": directives.class_option,
        "align": lambda arg: directives.choice(arg, ("left", "center", "right")),
    }

    def run(self) -> list[nodes.Node]:
        own = ("name", "caption", "class", "align")
        header = {k: v for k, v in self.options.items() if k not in own}
        body = "\n".join(self.content)
        node = _figure_node(self.env, body, header, self.env.docname, self.lineno, self._before_body())
        node["classes"] += self.options.get("class", [])
        if "align" in self.options:
            node["classes"].append(f"align-{self.options['align']}")
        if "caption" not in self.options:
            self.add_name(node)
            return [node]
        caption = nodes.caption(self.options["caption"], "")
        # docutils' own inline parser: Sphinx's parse_inline needs Sphinx 7.4.
        caption += self.state.inline_text(self.options["caption"], self.lineno)[0]
        figure = nodes.figure("", node, caption)
        figure["align"] = self.options.get("align", "default")
        self.add_name(figure)
        return [figure]

    def _before_body(self) -> int:
        """The 1-based line before the body's first: docutils gives ``content_offset`` as the body's
        0-based line in the file, MyST as its distance from the directive's line."""
        if type(self.state_machine).__module__.startswith("myst_parser"):
            return self.lineno + self.content_offset
        return self.content_offset


class FenceTransform(SphinxTransform):
    """MyST ```` ```attention ```` code blocks → figures, before highlighting and before docutils
    turns code blocks into anything else."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        #: A notebook's Markdown-cell fences, in order, with their cells (MyST-NB numbers its
        #: lines by cell).
        in_cells: list[tuple[int, Fence]] | None = None
        #: The lines of each source file, read once (MyST keeps no more of a fence's opening
        #: line than its language: the header is read back from there).
        sources: dict[str, list[str]] = {}
        for block in list(self.document.findall(nodes.literal_block)):
            if block.get("language") != LANGUAGE:
                continue
            body = block.astext().removesuffix("\n")  # MyST keeps the newline before the fence's end
            line = block.line or 0
            source = block.source or self.document.get("source") or ""
            cell = None
            if source.endswith(".ipynb"):
                if in_cells is None:
                    in_cells = cell_fences(Path(source)) or []
                cell, header = next_fence(in_cells, body)
            else:
                if source not in sources:
                    sources[source] = _lines(source)
                header = _header(sources[source], line)
            node = _figure_node(self.env, body, header, self.env.docname, line, line, cell=cell)
            block.replace_self(node)


def _lines(source: str) -> list[str]:
    try:
        return Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _header(lines: list[str], line: int) -> str:
    """What follows the language on the fence's opening line (1-based ``line`` of ``lines``)."""
    if not 0 < line <= len(lines):
        return ""
    found = OPENING.search(lines[line - 1])  # after any blockquote or list marker
    return found.group(1).strip() if found else ""


def _summaries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """For builders that run no script (LaTeX, text, man, texinfo…): each figure as its name,
    caption and note, and its focus token's scores in a table."""
    if app.builder.format == "html":
        return
    for node in list(doctree.findall(attention_figure)):
        node.replace_self(_summary_nodes(node))


#: A figure's id, and the attributes that name it or its parts (``render.svg.part_id``).
_FIGURE_ID = re.compile(r'<figure class="attn" id="([^"]+)"')
_NAMING = r'(\bid="|url\(#|aria-labelledby="|aria-describedby="){}(?=[".])'


def _unique_ids(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A figure id must be the page's only: a section's id (``id: example`` under a heading
    "Example"), or, where one page holds several documents (``singlehtml``), two chapters'
    ``id: example`` or one fence in two chapters. The later figure takes a suffixed id, its parts
    with it; an id the author gave is warned about (``-W`` fails), a hash id is not."""
    if app.builder.format != "html":
        return
    # The page's other ids (sections', targets', a figure's :name:): a figure may not take one.
    seen: set[str] = {str(i) for n in doctree.findall(nodes.Element) for i in n["ids"]}
    for node in doctree.findall(attention_figure):
        found = _FIGURE_ID.search(node["html"])
        if not found:
            continue
        old = new = found.group(1)
        k = 1
        while new in seen:
            k += 1
            new = f"{old}-{k}"
        seen.add(new)
        if new == old:
            continue
        node["html"] = re.sub(_NAMING.format(re.escape(old)), rf"\g<1>{new}", node["html"])
        if not HASH_ID.fullmatch(old):
            log.warning(
                "attention: 'id' %r is also the id of another element or figure on this page "
                "(a section's, or a figure's in another document merged here): this one is %r here",
                old,
                new,
                location=node,
                type="attention",
            )


def _summary_nodes(node: attention_figure) -> list[nodes.Node]:
    if node.get("error"):
        return [nodes.paragraph("", f"attention: {node['error']}")]
    summary: Summary = node["summary"]
    out: list[nodes.Node] = [nodes.paragraph("", "", nodes.strong("", summary.name))]
    out.append(nodes.paragraph("", summary.heading))
    out.append(_scores_table(summary))
    out += [nodes.paragraph("", text) for text in (summary.caption, summary.note) if text]
    container = nodes.container("", *out, classes=["attn-summary", *node["classes"]])
    return [container]


def _scores_table(summary: Summary) -> nodes.table:
    group = nodes.tgroup(cols=2)
    # Widths in characters, as the text writer takes them (LaTeX takes them as proportions).
    widest = max([len("token"), *(len(s.token) for s in summary.scores)])
    group += [nodes.colspec(colwidth=min(widest, 40)), nodes.colspec(colwidth=len("weight"))]
    group += nodes.thead(
        "", nodes.row("", *(nodes.entry("", nodes.paragraph("", t)) for t in ("token", "weight")))
    )
    rows = [
        nodes.row(
            "", nodes.entry("", nodes.paragraph("", s.token)), nodes.entry("", nodes.paragraph("", s.text))
        )
        for s in summary.scores
    ]
    group += nodes.tbody("", *rows)
    return nodes.table("", group, classes=["attn-summary-scores"])


def visit_html(self: HTML5Translator, node: attention_figure) -> None:
    ids = "".join(f'<span id="{i}"></span>' for i in node["ids"])
    classes = " ".join(node["classes"])
    html = ids + node["html"]
    self.body.append(f'<div class="{classes}">{html}</div>' if classes else html)
    raise nodes.SkipNode


def _add_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: nodes.document | None
) -> None:
    """The widget's core and the parts the page's figures use, on the pages that have a figure
    (mermaid's way)."""
    figures = list(doctree.findall(attention_figure)) if doctree is not None else []
    if not figures:
        return
    used: set[str] = set()
    for node in figures:
        used.update(node.get("parts", []))
    scripts, styles = page_files(sorted(used))
    for css in (CSS, *styles):
        app.add_css_file(css)
    for js in (JS, *scripts):
        app.add_js_file(js)


def _static_path(app: Sphinx) -> None:
    """The widget's files into ``_static/`` (html_static_path is what every Sphinx since 1.x
    copies, epub included, before it lists its files)."""
    if str(ASSETS) not in app.config.html_static_path:
        app.config.html_static_path.append(str(ASSETS))


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("attention_cache_dir", CACHE_DIR, "env", str)
    app.add_config_value("attention_project_dir", "", "env", str)
    app.add_config_value("attention_max_tokens", OPTIONS_DEFAULT_MAX_TOKENS, "env", int)
    app.add_config_value("attention_max_file_mb", MAX_FILE_MB, "env", (int, float))
    app.add_node(attention_figure, html=(visit_html, None))
    app.add_directive("attention-map", AttentionMapDirective)
    app.add_transform(FenceTransform)
    app.connect("config-inited", _resolve_dirs)
    app.connect("doctree-resolved", _summaries)
    app.connect("doctree-resolved", _unique_ids)
    app.connect("builder-inited", _static_path)
    app.connect("html-page-context", _add_assets)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


OPTIONS_DEFAULT_MAX_TOKENS = LoadEnv().max_tokens
