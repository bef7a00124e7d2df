"""``mkdocs-attention assets DOCS_DIR`` (or ``python -m mkdocs_attention assets DOCS_DIR``): the
widget's files for a site that runs no MkDocs plugin (Zensical, other Python-Markdown site
generators). Copies the core (``attn.js``, ``attn.css``) and its parts (``attn-*``) into
``DOCS_DIR/assets/mkdocs-attention/`` and prints the lines that list the core in ``mkdocs.yml``
and in ``zensical.toml``; the core loads the parts a page's figures use from beside itself.

``mkdocs-attention pandoc`` prints the path of the Pandoc Lua filter (``hosts/attention.lua``)."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .settings import ASSET_DIR
from .widget_files import ASSETS, CSS, FILES, JS


def copy_assets(docs_dir: Path) -> list[Path]:
    """Copy the widget's files into ``docs_dir``; returns where they went."""
    target = docs_dir / ASSET_DIR
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copyfile(ASSETS / name, target / name)) for name in FILES]


def config_lines() -> str:
    """What to add to ``mkdocs.yml`` (MkDocs or Zensical) or ``zensical.toml``."""
    js, css = f"{ASSET_DIR}/{JS}", f"{ASSET_DIR}/{CSS}"
    return (
        f"# mkdocs.yml\nextra_javascript:\n  - {js}\nextra_css:\n  - {css}\n\n"
        f'# zensical.toml\n[project]\nextra_javascript = ["{js}"]\nextra_css = ["{css}"]\n'
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mkdocs-attention")
    commands = parser.add_subparsers(dest="command", required=True)
    assets = commands.add_parser("assets", help="copy the widget's files into a docs folder")
    assets.add_argument("docs_dir", type=Path, help="the site's docs folder (docs_dir)")
    commands.add_parser("pandoc", help="print the path of the Pandoc Lua filter (--lua-filter)")
    args = parser.parse_args(argv)
    if args.command == "pandoc":
        print(Path(__file__).resolve().parent / "hosts" / "attention.lua")
        return 0
    if not args.docs_dir.is_dir():
        parser.error(f"{args.docs_dir} is not a folder")
    for path in copy_assets(args.docs_dir):
        print(f"copied {path}", file=sys.stderr)
    print(config_lines(), end="")
    return 0
