"""``mkdocs-attention assets DOCS_DIR`` (or ``python -m mkdocs_attention assets DOCS_DIR``): the
widget's files for a site that runs no MkDocs plugin (Zensical, other Python-Markdown site
generators). Copies the core (``attn.js``, ``attn.css``) and its parts (``attn-*``) into
``DOCS_DIR/assets/mkdocs-attention/`` and prints the lines that list the core in ``mkdocs.yml``
and in ``zensical.toml``; the core loads the parts a page's figures use from beside itself."""

from __future__ import annotations

import shutil
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
