"""The ``mkdocs-attention`` command (also ``python -m mkdocs_attention``):

- ``assets DOCS_DIR``: copy the widget's files into a docs folder (Zensical, other
  Python-Markdown site generators) and print the configuration lines that list them;
- ``pandoc``: print the path of the Pandoc Lua filter (``--lua-filter``);
- ``quarto DIR``: write the filter as a Quarto extension into ``DIR/_extensions/attention/``;
- ``myst DIR``: write the MyST plugin (Jupyter Book 2) into ``DIR/attention.mjs``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .assets_command import config_lines, copy_assets
from .hosts.myst_plugin import PLUGIN
from .hosts.quarto_extension import FILTER, write_extension


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mkdocs-attention")
    commands = parser.add_subparsers(dest="command", required=True)
    assets = commands.add_parser("assets", help="copy the widget's files into a docs folder")
    assets.add_argument("docs_dir", type=Path, help="the site's docs folder (docs_dir)")
    commands.add_parser("pandoc", help="print the path of the Pandoc Lua filter (--lua-filter)")
    quarto = commands.add_parser("quarto", help="write the filter as a Quarto extension")
    quarto.add_argument("project", type=Path, help="the Quarto project's folder (where _quarto.yml is)")
    myst = commands.add_parser("myst", help="write the MyST plugin (Jupyter Book 2) into a project")
    myst.add_argument("project", type=Path, help="the MyST project's folder (where myst.yml is)")
    args = parser.parse_args(argv)
    if args.command == "pandoc":
        print(FILTER)
        return 0
    folder = args.docs_dir if args.command == "assets" else args.project
    if not folder.is_dir():
        parser.error(f"{folder} is not a folder")
    if args.command == "quarto":
        for path in write_extension(folder):
            print(f"wrote {path}", file=sys.stderr)
        print("# _quarto.yml\nfilters:\n  - attention\n", end="")
        return 0
    if args.command == "myst":
        print(f"wrote {shutil.copyfile(PLUGIN, folder / PLUGIN.name)}", file=sys.stderr)
        print("# myst.yml\nproject:\n  plugins:\n    - attention.mjs\n", end="")
        return 0
    for path in copy_assets(folder):
        print(f"copied {path}", file=sys.stderr)
    print(config_lines(), end="")
    return 0
