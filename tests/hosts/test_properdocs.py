"""ProperDocs (the maintained fork of MkDocs 1.6): the plugin in a real ``properdocs build`` with
its own ``properdocs.yml``, the same figure bytes as MkDocs, bad fences located."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import PLAIN_THEME_CONFIG, mkdocs_build, write_site

pytest.importorskip("properdocs", reason="needs the test extra: properdocs")

PAGES = {
    "index.md": "# Home\n\nBefore.\n\n```attention\nThe cat sat on the mat.\n```\n\nAfter.\n",
    "bad.md": "# Bad\n\n```attention\ntokens: [a, b]\nview: sideways\n```\n\nThe rest of the page.\n",
}


def properdocs_build(root: Path, pages: dict[str, str]) -> subprocess.CompletedProcess:
    """``properdocs build --strict`` of ``pages`` under ``root``, with its own ``properdocs.yml``."""
    write_site(root, pages, PLAIN_THEME_CONFIG).rename(root / "properdocs.yml")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "properdocs",
            "build",
            "--strict",
            "-f",
            str(root / "properdocs.yml"),
            "-d",
            str(root / "site"),
        ],
        capture_output=True,
        text=True,
        cwd=root,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[subprocess.CompletedProcess, Path]]:
    """ProperDocs with the bad page and without it; MkDocs without it."""
    out = {}
    for name, pages in (("bad", PAGES), ("good", {"index.md": PAGES["index.md"]})):
        root = tmp_path_factory.mktemp(name)
        out[name] = (properdocs_build(root, pages), root / "site")
    root = tmp_path_factory.mktemp("mkdocs")
    out["mkdocs"] = (
        mkdocs_build(write_site(root, {"index.md": PAGES["index.md"]}, PLAIN_THEME_CONFIG), root / "site"),
        root / "site",
    )
    return out


def figure(html: str) -> str:
    start = html.index('<figure class="attn"')
    return html[start : html.index("</figure>", start) + len("</figure>")]


def test_a_bad_fence_is_located_and_fails_strict(built) -> None:
    result, _ = built["bad"]
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert (
        "docs/bad.md:3: attention: 'view' must be one of arcs, lines, matrix, not 'sideways'" in result.stderr
    )


def test_the_figure_is_mkdocs_figure_and_the_page_lists_its_parts(built) -> None:
    (result, site), (made, mkdocs_site) = built["good"], built["mkdocs"]
    assert result.returncode == 0 and made.returncode == 0, result.stderr + made.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert figure(html) == figure((mkdocs_site / "index.html").read_text(encoding="utf-8"))
    assert "Before." in html and "After." in html
    assert 'assets/mkdocs-attention/attn.js"' in html and 'assets/mkdocs-attention/attn-arcs.js"' in html
    assert (site / "assets" / "mkdocs-attention" / "attn.js").is_file()


def test_the_plugin_is_registered_for_properdocs_and_mkdocs_below_2() -> None:
    """ProperDocs looks for plugins under its own entry-point group too; MkDocs 2 has no plugin
    system and refuses a mkdocs.yml, so the declared requirement stops below it."""
    from importlib.metadata import entry_points, requires

    for group in ("mkdocs.plugins", "properdocs.plugins"):
        (plugin,) = [e for e in entry_points(group=group) if e.name == "attention"]
        assert plugin.value == "mkdocs_attention.hosts.mkdocs_plugin:AttentionPlugin"
    assert any(
        r.replace(" ", "").startswith("mkdocs") and "<2" in r for r in requires("mkdocs-attention") or []
    )
