"""``mkdocs-attention quarto DIR``: the Pandoc filter packaged as a Quarto extension.

Writes ``DIR/_extensions/attention/`` (``_extension.yml`` and the filter, ``attention.lua``), so a
Quarto project lists ``filters: [attention]`` in ``_quarto.yml`` and commits the folder, the way
Quarto extensions are shared. The filter is the same file Pandoc runs; under Quarto it adds the
widget's files as an HTML dependency instead of writing them into each page."""

from __future__ import annotations

from pathlib import Path

from .. import __version__

#: The filter both Pandoc and Quarto run (``mkdocs-attention pandoc`` prints its path).
FILTER = Path(__file__).resolve().parent / "attention.lua"
#: The extension's folder inside a Quarto project.
EXTENSION_DIR = Path("_extensions") / "attention"


def manifest() -> str:
    """``_extension.yml``: what the extension contributes (the filter), for Quarto 1.4 and later
    (``quarto.doc.add_html_dependency`` with absolute paths)."""
    return (
        "title: Attention\n"
        "author: mkdocs-attention\n"
        f'version: "{__version__}"\n'
        'quarto-required: ">=1.4.0"\n'
        "contributes:\n"
        "  filters:\n"
        "    - attention.lua\n"
    )


def write_extension(project: Path) -> list[Path]:
    """Write the extension into the Quarto project folder ``project``; returns the files written
    (an older copy is replaced: the extension follows the installed package)."""
    folder = project / EXTENSION_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "_extension.yml", folder / "attention.lua"]
    written[0].write_text(manifest(), encoding="utf-8")
    written[1].write_text(FILTER.read_text(encoding="utf-8"), encoding="utf-8")
    return written
