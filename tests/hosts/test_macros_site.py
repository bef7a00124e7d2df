"""mkdocs-macros reads ``{{`` and ``{%`` anywhere on a page as Jinja, fences included (its
documented behaviour). Both documented workarounds give the figure; without them macros reports
its syntax error (docs/troubleshooting.md)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from tests.helpers import mkdocs_build, write_site

pytest.importorskip("mkdocs_macros", reason="needs the test extra: mkdocs-macros-plugin")

FENCE = '```attention\ntokens: ["{{", "name", "}}"]\nweights: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\n```\n'
PAGES = {
    "raw.md": "# Raw\n\n{% raw %}\n" + FENCE + "{% endraw %}\n",
    "off.md": "---\nrender_macros: false\n---\n# Off\n\n" + FENCE,
    "plain.md": "# Plain\n\n" + FENCE,
}


def test_raw_blocks_and_render_macros_false_keep_the_fence(tmp_path: Path) -> None:
    config = write_site(tmp_path, PAGES, "site_name: M\nplugins:\n  - macros\n  - attention\n")
    result = mkdocs_build(config, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    for page in ("raw", "off"):
        html = (tmp_path / "site" / page / "index.html").read_text(encoding="utf-8")
        (payload,) = [json.loads(unescape(m)) for m in re.findall(r"data-attn='([^']*)'", html)]
        assert payload["tokens"] == ["{{", "name", "}}"], page
    assert "Macro Syntax Error" in result.stderr and "plain.md" in result.stderr  # without a workaround
