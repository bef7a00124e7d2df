"""The example course site and the project's own docs build with --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_SITE, ROOT, mkdocs_build


@pytest.mark.parametrize(
    "config", [EXAMPLE_SITE / "mkdocs.yml", ROOT / "mkdocs.yml"], ids=["example", "docs"]
)
def test_builds_strict(config: Path, tmp_path: Path) -> None:
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    pages = list((tmp_path / "site").rglob("*.html"))
    assert sum(p.read_text(encoding="utf-8").count('<figure class="attn"') for p in pages) >= 3
