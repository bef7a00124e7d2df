"""Zensical, which runs Markdown extensions but no MkDocs plugins: real ``zensical build`` runs of
one small course in both config forms (``mkdocs.yml`` and ``zensical.toml``), compared with
``mkdocs build`` of the same pages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mkdocs_attention.assets_command import ASSETS, copy_assets
from tests.helpers import FIGURE, MATERIAL_CONFIG, mkdocs_build, write_site

pytest.importorskip("zensical", reason="needs the test extra: zensical")

PAGES = {
    "index.md": """\
        ---
        title: Home
        ---
        # Home

        ```attention
        The quick brown fox jumps over the lazy dog.
        ```

        ```attention {heads=2 title="Two heads"}
        a b c
        ```
        """,
    "lecture/data.md": "# Data\n\n```attention\nfile: ../data/two.json\ncaption: From a file.\n```\n",
}
TWO = {"tokens": ["a", "b"], "attention": [[1, 0], [0.5, 0.5]]}
#: The two config forms, exactly as the docs give them.
DOCS = (Path(__file__).parents[2] / "docs" / "zensical.md").read_text(encoding="utf-8")
YAML, TOML = (re.search(rf"```{lang}\n(.*?)```", DOCS, re.S).group(1) for lang in ("yaml", "toml"))


def zensical_build(config: Path, *, clean: bool = True) -> subprocess.CompletedProcess:
    """The real ``zensical build``, as an author runs it."""
    cmd = [sys.executable, "-m", "zensical", "build", "-f", str(config), *(["--clean"] if clean else [])]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=config.parent)


def course(root: Path, config_name: str, config: str, pages: dict[str, str] = PAGES) -> Path:
    """A course folder with its data file and the copied assets; returns its config file."""
    write_site(root, pages, "")
    (root / "mkdocs.yml").unlink()
    (root / "docs" / "data").mkdir(exist_ok=True)
    (root / "docs" / "data" / "two.json").write_text(json.dumps(TWO), encoding="utf-8")
    copy_assets(root / "docs")
    path = root / config_name
    path.write_text(textwrap.dedent(config), encoding="utf-8")
    return path


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    built = {}
    for form, name, config in (("yaml", "mkdocs.yml", YAML), ("toml", "zensical.toml", TOML)):
        cfg = course(tmp_path_factory.mktemp(form), name, config)
        result = zensical_build(cfg)
        assert result.returncode == 0, output(result)
        built[form] = (cfg.parent / "site", result)
    root = tmp_path_factory.mktemp("mkdocs")
    cfg = write_site(root, PAGES, MATERIAL_CONFIG)
    (root / "docs" / "data").mkdir()
    (root / "docs" / "data" / "two.json").write_text(json.dumps(TWO), encoding="utf-8")
    result = mkdocs_build(cfg, root / "site")
    assert result.returncode == 0, result.stderr
    built["mkdocs"] = (root / "site", result)
    return built


def unmarked(figures: list[str]) -> list[str]:
    """The figures as Zensical leaves them: without the ``data-search-exclude`` markers."""
    return [f.replace(" data-search-exclude", "") for f in figures]


def figures(site: Path, page: str) -> list[str]:
    return [m.group(0) for m in FIGURE.finditer((site / page).read_text(encoding="utf-8"))]


@pytest.mark.parametrize("form", ["yaml", "toml"])
def test_both_config_forms_give_mkdocs_figures_byte_for_byte(sites, form: str) -> None:
    site, result = sites[form]
    assert "attention" not in output(result)  # no warning: assets found, fences good
    for page in ("index.html", "lecture/data/index.html"):
        # Zensical deletes the search marker once its search has read the page: the rest is ours.
        assert figures(site, page) == unmarked(figures(sites["mkdocs"][0], page)) != []
        assert "data-search-exclude" not in "".join(figures(site, page))
    assert len(figures(site, "index.html")) == 2
    assert "From a file." in figures(site, "lecture/data/index.html")[0]  # file: relative to its page


@pytest.mark.parametrize("form", ["yaml", "toml"])
def test_the_copied_assets_are_served_and_linked(sites, form: str) -> None:
    site, _ = sites[form]
    for name in ("attn.js", "attn.css"):
        assert (site / "assets" / "mkdocs-attention" / name).read_bytes() == (ASSETS / name).read_bytes()
    html = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="(\./)?assets/mkdocs-attention/attn\.js"></script>', html)
    assert re.search(r'<link rel="stylesheet" href="(\./)?assets/mkdocs-attention/attn\.css"', html)


def test_search_indexes_a_figures_name_not_its_scores(sites) -> None:
    site, _ = sites["yaml"]
    items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    text = " ".join(item["text"] for item in items)
    assert "Attention over: The quick brown fox" in text and "Two heads" in text and "From a file." in text
    assert "Scores as a table" not in text and not re.search(r"\d\.\d\d", text)


BAD = {"index.md": "---\ntitle: Bad\n---\n# Bad\n\nBefore.\n\n```attention\ntxt: x\n```\n\nAfter.\n"}


def test_a_bad_fence_is_located_in_zensicals_output(tmp_path: Path) -> None:
    result = zensical_build(course(tmp_path, "mkdocs.yml", YAML, BAD))
    assert result.returncode == 0, output(result)
    assert "docs/index.md:8: attention: unknown option 'txt'; did you mean 'text'?" in output(result)
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Before." in html and "After." in html and 'class="attn-error"' in html


def test_fail_on_error_stops_the_build_with_the_located_message(tmp_path: Path) -> None:
    config = YAML.replace("  - attention\n", "  - attention:\n      fail_on_error: true\n")
    result = zensical_build(course(tmp_path, "mkdocs.yml", config, BAD))
    assert result.returncode != 0
    # Zensical prints the exception of a failed page with its traceback; the message ends it.
    assert (
        "BadFenceError: docs/index.md:8: attention: unknown option 'txt'; did you mean 'text'? "
        "(fail_on_error is set)"
    ) in output(result)


def test_missing_and_stale_assets_are_named(tmp_path: Path) -> None:
    cfg = course(tmp_path, "mkdocs.yml", YAML.split("extra_javascript")[0])
    assert "no attn.js in extra_javascript" in output(zensical_build(cfg))
    cfg.write_text(YAML, encoding="utf-8")
    stale = tmp_path / "docs" / "assets" / "mkdocs-attention" / "attn.js"
    stale.write_text(stale.read_text(encoding="utf-8") + "\n// an older copy\n", encoding="utf-8")
    said = output(zensical_build(cfg))
    assert "attention: docs/assets/mkdocs-attention/attn.js is missing or from another version" in said
    assert "attn.css is missing" not in said


def test_a_changed_data_file_needs_a_clean_build(tmp_path: Path) -> None:
    """What the docs say of rebuilds: Zensical caches pages by their text."""
    cfg = course(tmp_path, "mkdocs.yml", YAML)
    assert zensical_build(cfg).returncode == 0
    page = "lecture/data/index.html"
    before = figures(tmp_path / "site", page)
    (tmp_path / "docs" / "data" / "two.json").write_text(json.dumps({**TWO, "attention": [[0, 1], [1, 0]]}))
    assert zensical_build(cfg, clean=False).returncode == 0
    assert figures(tmp_path / "site", page) == before  # the cached page, stale
    assert zensical_build(cfg).returncode == 0
    assert figures(tmp_path / "site", page) != before


#: The docs' config of a site whose pages carry the widget (``inline_assets``), as written there.
INLINE = re.search(r"```toml inline\n(.*?)```", DOCS, re.S).group(1)


def test_inline_assets_put_the_widget_on_the_pages_with_figures_only(sites, tmp_path: Path) -> None:
    """No copy step, no ``extra_`` lines, no warning: each page with figures ends with the core's
    style and script and those of the parts its figures use; a page without has none of it;
    the figures are the bytes the copy step gives, and search reads none of the script."""
    pages = {**PAGES, "plain.md": "# Plain\n\nNo figure here.\n"}
    write_site(tmp_path, pages, "")
    (tmp_path / "mkdocs.yml").unlink()
    (tmp_path / "docs" / "data").mkdir()
    (tmp_path / "docs" / "data" / "two.json").write_text(json.dumps(TWO), encoding="utf-8")
    config = tmp_path / "zensical.toml"
    config.write_text(INLINE, encoding="utf-8")
    result = zensical_build(config)
    assert result.returncode == 0 and "attention" not in output(result), output(result)
    site = tmp_path / "site"
    assert not (site / "assets" / "mkdocs-attention").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    scripts = [s for s in re.findall(r"<script>(.*?)</script>", home, re.S) if "mkdocsAttention" in s]
    assert len(scripts) == 1 and scripts[0].startswith((ASSETS / "attn.js").read_text(encoding="utf-8"))
    assert (ASSETS / "attn-arcs.js").read_text(encoding="utf-8") in scripts[0]
    assert (ASSETS / "attn-controls.js").read_text(encoding="utf-8") in scripts[0]  # "Two heads"
    assert "attn-matrix" not in scripts[0] and "attn-steps" not in scripts[0]  # not used here
    assert home.count("<style>") == 1 and (ASSETS / "attn.css").read_text(encoding="utf-8") in home
    assert "mkdocsAttention" not in (site / "plain" / "index.html").read_text(encoding="utf-8")
    for page in ("index.html", "lecture/data/index.html"):  # the figures the copy step's site has
        assert figures(site, page) == figures(sites["toml"][0], page) != []
    text = " ".join(
        i["text"] for i in json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    )
    assert "mkdocsAttention" not in text and "attn-token" not in text and "Two heads" in text
