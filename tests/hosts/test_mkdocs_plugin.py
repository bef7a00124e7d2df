"""Real ``mkdocs build`` runs of small sites, in both set-ups the plugin supports."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import numpy as np
import pytest

from mkdocs_attention import Place, convert_fence, load, parse_fence
from mkdocs_attention.render.figure import search_text
from mkdocs_attention.render.payload import payload_weights
from mkdocs_attention.sources.toy import toy_attention
from tests.helpers import ROOT, mkdocs_build, write_site

FOX_TOKENS = ["The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "."]

LECTURE = """\
---
title: Lecture 1
---
# Lecture

Some text before.

```attention
The quick brown fox jumps over the lazy dog.
```

```python
print("code stays code")
```

```attention
text: The quick brown fox jumps over the lazy dog.
heads: 2
dim: 16
causal: true
title: Causal, two heads
```

Some text after.
"""

PLAIN = """\
site_name: Plain
plugins:
  - attention
"""

MATERIAL = """\
site_name: Material
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.superfences
plugins:
  - search
  - attention
"""

SETUPS = {"plain": PLAIN, "material": MATERIAL}


def figures(html: str) -> list[tuple[dict[str, str], str]]:
    """(attributes, inner HTML) of every widget root."""
    out = []
    for m in re.finditer(r"<figure class=\"attn\"([^>]*)>(.*?)</figure>", html, re.S):
        attrs = {
            k: unescape(v1 or v2)
            for k, v1, v2 in re.findall(r"""([\w-]+)=(?:"([^"]*)"|'([^']*)')""", m.group(1))
        }
        out.append((attrs, m.group(2)))
    return out


def build(tmp_path: Path, config: str, pages: dict[str, str], *, strict: bool = True):
    cfg = write_site(tmp_path, pages, config)
    site = tmp_path / "site"
    return mkdocs_build(cfg, site, strict=strict), site


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_site_builds_strict_with_the_html_contract(tmp_path: Path, setup: str) -> None:
    result, site = build(tmp_path, SETUPS[setup], {"index.md": "# Home\n", "lecture.md": LECTURE})
    assert result.returncode == 0, result.stderr
    html = (site / "lecture" / "index.html").read_text(encoding="utf-8")
    figs = figures(html)
    assert len(figs) == 2
    ids = [a["id"] for a, _ in figs]
    assert len(set(ids)) == 2 and all(re.fullmatch(r"attn-[0-9a-f]{8}", i) for i in ids)
    for (attrs, inner), (heads, dim, causal) in zip(figs, [(1, 32, False), (2, 16, True)], strict=True):
        assert attrs["data-attn-view"] == "arcs"
        p = json.loads(attrs["data-attn"])
        assert p["v"] == 4 and p["tokens"] == FOX_TOKENS
        w = payload_weights(p)
        assert w.shape == (1, heads, 10, 10)
        expected = toy_attention(tuple(FOX_TOKENS), heads=heads, dim=dim, causal=causal).weights
        assert np.max(np.abs(w - expected)) <= 0.5 / p["scale"]
        assert '<svg class="attn-svg"' in inner
        tokens = re.findall(
            r'<g class="attn-token(?: attn-focus)?" data-index="(\d+)">.*?<text[^>]*>([^<]*)</text></g>',
            inner,
        )
        assert tokens == [(str(i), t) for i, t in enumerate(FOX_TOKENS)]
        assert 'class="attn-edge"' not in inner  # no token is active at build time
        assert "<script" not in inner
        assert 'class="attn-scores"' in inner
    heads_buttons = re.findall(r'<button type="button" class="attn-head" data-head="(\d)"', figs[1][1])
    assert heads_buttons == ["0", "1"]
    assert "Some text before." in html and "Some text after." in html
    assert "code stays code" in html
    # Assets ship in the site and are linked relatively (works under any sub-path).
    for asset in ("attn.js", "attn.css"):
        assert (site / "assets" / "mkdocs-attention" / asset).is_file()
        assert f'"../assets/mkdocs-attention/{asset}"' in html
    # A page without a figure loads none of the widget (the site's instant navigation is off).
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "mkdocs-attention/attn" not in index


def test_with_instant_navigation_every_page_lists_the_core(tmp_path: Path) -> None:
    """Material's instant navigation brings a page in without its ``<head>``: the core must
    already be there to mount its figures; the parts still come only with the pages using them."""
    config = MATERIAL.replace("  font: false\n", "  font: false\n  features: [navigation.instant]\n")
    pages = {"index.md": "# Home\n", "lecture.md": LECTURE}
    result, site = build(tmp_path, config, pages)
    assert result.returncode == 0, result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    lecture = (site / "lecture" / "index.html").read_text(encoding="utf-8")
    for html, up in ((home, ""), (lecture, "../")):
        assert html.count(f'<script src="{up}assets/mkdocs-attention/attn.js"></script>') == 1
        assert html.count(f'href="{up}assets/mkdocs-attention/attn.css"') == 1
    assert "attn-arcs.js" in lecture and "attn-arcs.js" not in home


def test_an_error_box_alone_brings_the_core_for_its_style(tmp_path: Path) -> None:
    result, site = build(tmp_path, PLAIN, {"index.md": "```attention\ntxt: a b\n```\n"}, strict=False)
    assert result.returncode == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'class="attn-error"' in html and 'href="assets/mkdocs-attention/attn.css"' in html


def test_assets_are_the_packaged_files(tmp_path: Path) -> None:
    result, site = build(tmp_path, PLAIN, {"index.md": "```attention\na b\n```\n"})
    assert result.returncode == 0, result.stderr
    pkg = ROOT / "mkdocs_attention" / "assets"
    for asset in ("attn.js", "attn.css"):
        assert (site / "assets/mkdocs-attention" / asset).read_bytes() == (pkg / asset).read_bytes()


BAD = """\
---
title: Bad
---
# Bad fences

Intro paragraph.

```attention
txt: The quick brown fox.
```

Middle paragraph.

!!! note
    ```attention
    text: a b
    heads: 3
    ```

```attention
The good fox.
```

Closing paragraph.
"""


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_bad_fence_fails_strict_with_page_and_line(tmp_path: Path, setup: str) -> None:
    config = SETUPS[setup] + "markdown_extensions:\n  - admonition\n" if setup == "plain" else SETUPS[setup]
    result, _ = build(tmp_path, config, {"index.md": "# Home\n", "bad.md": BAD})
    assert result.returncode != 0
    assert "docs/bad.md:8: attention: unknown option 'txt'; did you mean 'text'?" in result.stderr
    assert "Traceback" not in result.stderr
    if setup == "material":  # SuperFences also renders fences nested in admonitions
        assert "docs/bad.md:15: attention: 'dim' (32) must be a multiple of 'heads' (3)" in result.stderr


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_bad_fence_non_strict_shows_error_box_and_keeps_the_page(tmp_path: Path, setup: str) -> None:
    config = SETUPS[setup] + "markdown_extensions:\n  - admonition\n" if setup == "plain" else SETUPS[setup]
    result, site = build(tmp_path, config, {"index.md": "# Home\n", "bad.md": BAD}, strict=False)
    assert result.returncode == 0, result.stderr
    html = (site / "bad" / "index.html").read_text(encoding="utf-8")
    # The admonition's fence: its own error with SuperFences; without, the box says plain
    # Markdown renders fences at the margin only.
    assert html.count('class="attn-error"') == 2
    assert "unknown option &#x27;txt&#x27;; did you mean &#x27;text&#x27;?" in html
    for text in ("Intro paragraph.", "Middle paragraph.", "Closing paragraph."):
        assert text in html
    assert len(figures(html)) == 1  # the good fence still renders


def test_fail_fast_stops_the_build_cleanly(tmp_path: Path) -> None:
    config = PLAIN.replace("  - attention\n", "  - attention:\n      fail_fast: true\n")
    result, _ = build(tmp_path, config, {"bad.md": BAD.split("Middle")[0]}, strict=False)
    assert result.returncode != 0
    assert "docs/bad.md:8: attention: unknown option 'txt'" in result.stderr
    assert "Traceback" not in result.stderr


def test_fail_fast_stops_the_build_at_a_bad_fence_superfences_renders(tmp_path: Path) -> None:
    # SuperFences lets the one exception kind it is told to through its formatter: the build
    # stops at the first bad fence, and the second is never reported.
    config = MATERIAL.replace("  - attention\n", "  - attention:\n      fail_fast: true\n")
    page = "# Bad\n\n!!! note\n    ```attention\n    txt: a\n    ```\n\n```attention\nheads: 0\n```\n"
    result, site = build(tmp_path, config, {"index.md": "# Home\n", "bad.md": page}, strict=False)
    assert result.returncode != 0
    assert "docs/bad.md:4: attention: unknown option 'txt'" in result.stderr
    assert "docs/bad.md:8" not in result.stderr
    assert "Traceback" not in result.stderr and not (site / "bad" / "index.html").exists()


def test_max_tokens_plugin_option(tmp_path: Path) -> None:
    config = PLAIN.replace("  - attention\n", "  - attention:\n      max_tokens: 3\n")
    result, _ = build(tmp_path, config, {"index.md": "```attention\na b c d\n```\n"})
    assert result.returncode != 0
    assert "docs/index.md:1: attention: 4 tokens is more than the limit of 3" in result.stderr


def test_superfences_without_the_plugin_uses_the_public_formatter(tmp_path: Path) -> None:
    module = "hosts.superfences"
    config = """\
    site_name: No plugin
    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: attention
              class: attention
              validator: !!python/name:mkdocs_attention.{module}.validator
              format: !!python/name:mkdocs_attention.{module}.formatter
    """.replace("{module}", module)
    result, site = build(tmp_path, config, {"index.md": "```attention {heads=2}\na b c\n```\n"})
    assert result.returncode == 0, result.stderr
    ((attrs, _),) = figures((site / "index.html").read_text(encoding="utf-8"))
    assert json.loads(attrs["data-attn"])["heads"] == ["Head 1", "Head 2"]


def test_superfences_header_options(tmp_path: Path) -> None:
    page = (
        '```attention {heads=2 title="Two heads"}\na b c\n```\n\n```attention heads="3" dim="6"\na b\n```\n'
    )
    result, site = build(tmp_path, MATERIAL, {"index.md": page})
    assert result.returncode == 0, result.stderr
    figs = figures((site / "index.html").read_text(encoding="utf-8"))
    assert [len(json.loads(a["data-attn"])["heads"]) for a, _ in figs] == [2, 3]
    assert 'class="attn-title" id="attn-fffcd055.name">Two heads</figcaption>' in figs[0][1]


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    pages = {"index.md": LECTURE}
    outs = []
    for run in ("a", "b"):
        result, site = build(tmp_path / run, MATERIAL, pages)
        assert result.returncode == 0, result.stderr
        html = (site / "index.html").read_text(encoding="utf-8")
        outs.append([a["data-attn"] + inner for a, inner in figures(html)])
    assert outs[0] == outs[1]


SEARCHED = """\
# Searching

Before the figure.

```attention
title: Weights by hand
caption: fox looks at its adjectives
tokens: [quick, brown, fox]
weights: [[1, 0, 0], [0, 1, 0], [0.45, 0.4, 0.15]]
```

```attention
Zebras graze quietly.
```

After the figure.
"""


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_search_indexes_a_figure_by_name_and_caption_and_the_page_keeps_it_whole(
    tmp_path: Path, theme: str
) -> None:
    config = f"site_name: S\ntheme:\n  name: {theme}\nplugins:\n  - search\n  - attention\n"
    if theme == "material":
        config += "markdown_extensions:\n  - pymdownx.superfences\n"
    result, site = build(tmp_path, config, {"index.md": SEARCHED})
    assert result.returncode == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert len(figures(html)) == 2 and html.count('class="attn-table"') == 2
    assert "attn-search" not in html
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] + " " + d["title"] for d in index["docs"])
    for words in (
        "Before the figure",
        "Weights by hand",
        "fox looks at its adjectives",
        "Attention over: Zebras graze quietly .",
        "After the figure",
    ):
        assert words in text
    assert "0.45" not in text and "Scores as a table" not in text


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            "title: Weights <by> hand & more\ncaption: fox 'looks' at \"its\" adjectives\ntokens: [a, b]\n"
            "weights: [[1, 0], [0, 1]]",
            "Weights &lt;by&gt; hand &amp; more fox &#x27;looks&#x27; at &quot;its&quot; adjectives",
        ),
        # a long sentence: its name is cut with "…"
        (
            "text: " + " ".join(["Zebras & <lions>"] * 12),
            "Attention over: Zebras &amp; &lt; lions &gt; Zebras",
        ),
        (
            "text: The quick brown fox\ncaption: Only a caption",
            "Attention over: The quick brown fox Only a caption",
        ),
    ],
)
def test_a_figures_search_text_is_its_name_note_and_caption_as_html_text(body: str, words: str) -> None:
    # The plugin hides each figure behind this text while search plugins read the page.
    outcome = convert_fence(body, "", Place(), set())
    assert outcome.error is None and outcome.id is not None
    assert outcome.search.startswith(words) and "<" not in outcome.search
    spec = parse_fence(body, "")
    noted = replace(load(spec), note="Special tokens <s> & </s> are hidden.")
    assert "Special tokens &lt;s&gt; &amp; &lt;/s&gt; are hidden." in search_text(spec, noted)


def _hooked_build(tmp_path: Path, hook: str) -> tuple[object, Path]:
    """SEARCHED built --strict with Material, search and ``hook`` as the site's hooks module."""
    (tmp_path / "hooks.py").write_text(hook)
    config = (
        "site_name: S\ntheme:\n  name: material\nhooks:\n  - hooks.py\n"
        "plugins:\n  - search\n  - attention\nmarkdown_extensions:\n  - pymdownx.superfences\n"
    )
    return build(tmp_path, config, {"index.md": SEARCHED})


def _context_hook(*lines: str) -> str:
    """A hook whose ``on_page_context`` runs ``lines`` (hooks run at priority 0: between the
    plugin hiding the figures from search, at 100, and restoring them, at -100)."""
    body = "".join(f"    {line}\n" for line in lines)
    return f"import re\ndef on_page_context(context, page, **kwargs):\n{body}    return context\n"


def test_a_figure_another_plugin_changed_is_still_kept_from_search_and_restored(tmp_path: Path) -> None:
    result, site = _hooked_build(
        tmp_path,
        (
            "def on_page_content(html, **kwargs):\n"
            "    return html.replace('<details class=\"attn-data\" ', '<details class=\"attn-data\" data-x ')\n"
        ),
    )
    assert result.returncode == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert len(figures(html)) == 2 and html.count('<details class="attn-data" data-x ') == 2
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] for d in index["docs"])
    assert "fox looks at its adjectives" in text and "0.45" not in text


def test_a_stand_in_whose_text_another_plugin_rewrote_still_gives_its_figure_back(tmp_path: Path) -> None:
    result, site = _hooked_build(
        tmp_path,
        _context_hook(
            "assert '<figure' not in page.content and page.content.count('<div data-attn-search=') == 2",
            "page.content = page.content.replace('Zebras graze quietly .', 'ZEBRAS  GRAZE')",
        ),
    )
    assert result.returncode == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert len(figures(html)) == 2 and "ZEBRAS" not in html and "attn-search" not in html
    # The text after the figure is kept as it was.
    assert re.search(r"</figure>\s*<p>After the figure.</p>", html)


def test_a_figure_another_plugin_dropped_while_search_read_the_page_is_reported(tmp_path: Path) -> None:
    result, _ = _hooked_build(
        tmp_path,
        _context_hook(
            "page.content = re.sub(r'<div data-attn-search=[^>]*>Attention over[^<]*</div>', '', page.content)"
        ),
    )
    assert result.returncode != 0
    assert re.search(r"docs/index\.md: attention: another plugin removed 1 figure\(s\)", result.stderr)


def test_a_dirty_rebuild_redoes_the_page_whose_data_file_changed(tmp_path: Path) -> None:
    """``mkdocs serve --dirty`` rebuilds only pages whose own file changed; a page whose figure
    reads a changed data file is rebuilt too. Two dirty builds in one process, as serve runs them."""
    import os

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    pages = {
        "index.md": "# Home\n",
        "data.md": "# Data\n\n```attention\nfile: data/two.json\n```\n",
        "other.md": "# Other\n\n```attention\nThe cat sat.\n```\n",
    }
    cfg = write_site(tmp_path, pages, "site_name: S\nplugins: [attention]\n")
    data = tmp_path / "docs" / "data" / "two.json"
    data.parent.mkdir()
    data.write_text(json.dumps({"tokens": ["a", "b"], "attention": [[1, 0], [0.5, 0.5]]}))

    def weights() -> str:
        html = (tmp_path / "site" / "data" / "index.html").read_text(encoding="utf-8")
        return json.loads(unescape(re.search(r"data-attn='([^']*)'", html).group(1)))["w"]

    build(load_config(str(cfg)), dirty=True)
    before, other = weights(), (tmp_path / "site" / "other" / "index.html").stat().st_mtime_ns
    data.write_text(json.dumps({"tokens": ["a", "b"], "attention": [[0, 1], [1, 0]]}))
    later = (tmp_path / "site" / "data" / "index.html").stat().st_mtime + 5
    os.utime(data, (later, later))
    build(load_config(str(cfg)), dirty=True)
    assert weights() != before
    assert (tmp_path / "site" / "other" / "index.html").stat().st_mtime_ns == other  # still dirty


def test_a_copy_of_the_assets_in_docs_gives_way_to_the_plugins(tmp_path: Path) -> None:
    """A site set up for Zensical too (`mkdocs-attention assets docs`) builds with the plugin:
    the plugin's files are served, with no conflict."""
    from mkdocs_attention.assets_command import ASSETS, copy_assets

    cfg = write_site(
        tmp_path,
        {"index.md": "# Home\n\n```attention\nThe cat sat.\n```\n"},
        "site_name: S\nplugins: [attention]\n",
    )
    stale = copy_assets(tmp_path / "docs")[0]
    stale.write_text("// an old copy\n", encoding="utf-8")
    result = mkdocs_build(cfg, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    served = tmp_path / "site" / "assets" / "mkdocs-attention" / "attn.js"
    assert served.read_bytes() == (ASSETS / "attn.js").read_bytes()


def test_fence_like_text_in_comments_titles_and_captions_is_not_an_unrendered_fence(tmp_path: Path) -> None:
    """Plain MkDocs (fenced_code): a fence in an HTML comment is not shown, so not left; a title
    or caption that quotes a fence's opening is text. Neither is warned about under --strict."""
    page = (
        "# Quoted\n\n<!--\n```attention\nThe cat\n```\n-->\n\n"
        '```attention\ntext: the cat sat\ntitle: "```attention"\ncaption: "```attention {view=matrix}"\n```\n'
    )
    result, site = build(tmp_path, PLAIN, {"index.md": page})
    assert result.returncode == 0, result.stderr
    assert "not rendered" not in result.stderr
    assert len(figures((site / "index.html").read_text(encoding="utf-8"))) == 1


def test_a_figure_id_a_heading_has_is_a_located_warning(tmp_path: Path) -> None:
    """A heading's id clashes; an attribute whose name only ends in "id" (``data-id``, ``grid``)
    is not an element's id."""
    page = "# Course\n\n## Example\n\n```attention\nid: example\ntext: the cat sat\n```\n"
    other = (
        '# Other\n\n<div data-id="sample" grid="sample">A box</div>\n\n'
        "```attention\nid: sample\ntext: the cat sat\n```\n"
    )
    result, _ = build(tmp_path, PLAIN, {"index.md": page, "other.md": other})
    assert result.returncode != 0
    assert (
        "docs/index.md:5: attention: the figure id 'example' is also the id of another element on this page"
        in result.stderr
    )
    assert "other.md" not in result.stderr
