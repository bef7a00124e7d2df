"""The example course rendered by Pandoc with mkdocs-attention's Lua filter (`make demo-pandoc`).

Each page of `mkdocs.yml`'s nav becomes a standalone HTML page in `pandoc/_build/`, with a
navigation bar, the course's stylesheet and, on pages with figures, the widget's files, linked
from one copy in `_build/assets/mkdocs-attention/` (`attention-assets`) that every page shares. Run from
anywhere; prints each page's render time and the total. `--to docx` (or another format) renders
the pages in that format instead (the figures as words and numbers)."""

from __future__ import annotations

import argparse
import html
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
COURSE = HERE.parent


def pandoc_path() -> str:
    """Pandoc on PATH, else the one `pypandoc-binary` ships."""
    found = shutil.which("pandoc")
    if found:
        return found
    import pypandoc  # the test extra's `pypandoc-binary`

    return str(pypandoc.get_pandoc_path())


def nav() -> list[tuple[str, str]]:
    """(title, page) of each page of the course, in order."""
    config = yaml.safe_load((COURSE / "mkdocs.yml").read_text(encoding="utf-8"))
    return [next(iter(entry.items())) for entry in config["nav"]]


def nav_bar(pages: list[tuple[str, str]], current: str) -> str:
    links = []
    for title, page in pages:
        here = ' aria-current="page"' if page == current else ""
        links.append(f'<a href="{Path(page).stem}.html"{here}>{html.escape(title)}</a>')
    return f'<nav class="course-nav" aria-label="Course">{"".join(links)}</nav>\n'


def render(out: Path, to: str = "html") -> list[tuple[str, float]]:
    """Render every page into ``out``; returns (page, seconds) for each."""
    from mkdocs_attention.assets_command import copy_assets
    from mkdocs_attention.hosts.quarto_extension import FILTER
    from mkdocs_attention.settings import ASSET_DIR

    out.mkdir(parents=True, exist_ok=True)
    pages = nav()
    env = {**os.environ, "MKDOCS_ATTENTION_PYTHON": os.environ.get("MKDOCS_ATTENTION_PYTHON", sys.executable)}
    times: list[tuple[str, float]] = []
    if to == "html":
        shutil.copyfile(HERE / "course.css", out / "course.css")
        copy_assets(out)
    for title, page in pages:
        suffix = "html" if to == "html" else to
        target = out / f"{Path(page).stem}.{suffix}"
        cmd = [pandoc_path(), f"docs/{page}", "-f", "markdown", "-s", "-o", str(target)]
        cmd += ["--metadata", f"pagetitle={title}", "--metadata", "attention-fail-on-error=true"]
        cmd += ["--lua-filter", str(HERE / "course.lua"), "--lua-filter", str(FILTER)]
        if to == "html":
            bar = out / f".nav-{Path(page).stem}.html"
            bar.write_text(nav_bar(pages, page), encoding="utf-8")
            cmd += ["--css", "course.css", "--include-before-body", str(bar)]
            cmd += ["--metadata", f"attention-assets={ASSET_DIR}"]
        start = time.perf_counter()
        result = subprocess.run(cmd, cwd=COURSE, env=env, capture_output=True, text=True)
        times.append((page, time.perf_counter() - start))
        if result.returncode != 0 or result.stderr:
            sys.stderr.write(result.stderr)
        if result.returncode != 0:
            raise SystemExit(f"pandoc failed on docs/{page}")
    for bar in out.glob(".nav-*.html"):
        bar.unlink()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "_build")
    parser.add_argument("--to", default="html", help="html (default), docx, latex, …")
    args = parser.parse_args()
    times = render(args.out, args.to)
    for page, seconds in times:
        print(f"{seconds * 1000:7.0f} ms  docs/{page}")
    print(f"{sum(s for _, s in times) * 1000:7.0f} ms  all {len(times)} pages -> {args.out}")


if __name__ == "__main__":
    main()
