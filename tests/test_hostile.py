"""Hostile text stays text, and the same sources give the same bytes."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from tests.helpers import EXAMPLE_SITE, mkdocs_build, write_site
from tests.xss_corpus import CORPUS

MATERIAL = (
    "site_name: Hostile\ntheme:\n  name: material\n  font: false\n"
    "markdown_extensions:\n  - pymdownx.superfences\nplugins:\n  - attention\n"
)


class Tags(HTMLParser):
    """Collects elements and attributes that could run code."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "img", "style", "object", "embed"):
            self.bad.append(tag)
        for name, value in attrs:
            is_url = name in ("href", "src", "xlink:href", "action", "formaction")
            if name.startswith("on") or (is_url and "javascript:" in (value or "").lower()):
                self.bad.append(f"{tag} {name}={value}")


def hostile_page() -> str:
    tokens = ", ".join(json.dumps(t, ensure_ascii=False) for t in CORPUS)
    parts = ["# Hostile\n", f"```attention\ntokens: [{tokens}]\n```\n"]
    for k, t in enumerate(CORPUS[:10]):
        parts.append(
            f"```attention\ntext: {json.dumps(t + ' fox', ensure_ascii=False)}\n"
            f"title: {json.dumps(t, ensure_ascii=False)}\ncaption: {json.dumps(t, ensure_ascii=False)}\n```\n"
        )
        parts.append(f"Paragraph {k}.\n")
    for view in ("lines", "matrix"):  # hostile text as keys, in tooltips and clipped long labels
        parts.append(f"```attention {{view={view}}}\ntokens: [{tokens}]\n```\n")
    return "\n".join(parts)


def test_hostile_tokens_titles_and_captions_render_inert(tmp_path: Path) -> None:
    cfg = write_site(tmp_path, {"index.md": hostile_page()}, MATERIAL)
    result = mkdocs_build(cfg, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    content = html[html.index("<article") : html.index("</article>")]
    # Nothing hostile became markup: no script/iframe/img/style element and no event handler.
    tags = Tags()
    tags.feed(content)
    assert not tags.bad, tags.bad
    first = re.search(r"data-attn='([^']*)'", content).group(1)
    assert json.loads(unescape(first))["tokens"] == CORPUS
    for k in range(10):
        assert f"<p>Paragraph {k}.</p>" in content


def test_two_processes_with_different_hash_seeds_build_identical_figures(tmp_path: Path) -> None:
    figures = []
    for seed in ("0", "4242"):
        site = tmp_path / f"site-{seed}"
        result = mkdocs_build(EXAMPLE_SITE / "mkdocs.yml", site, env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        html = "".join(
            (site / page / "index.html").read_text(encoding="utf-8") for page in ("self-attention", "writing")
        )
        figures.append(re.findall(r'<figure class="attn".*?</figure>', html, re.S))
    assert len(figures[0]) == 6
    assert figures[0] == figures[1]
    ids = re.findall(r'<figure class="attn" id="([^"]+)"', "".join(figures[0]))
    assert len(ids) == len(set(ids))
