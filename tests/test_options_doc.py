"""docs/fence.md's option table and ``spec.OPTIONS`` say the same: every option, its default."""

from __future__ import annotations

import re

from mkdocs_attention.spec import OPTIONS
from tests.helpers import ROOT


def documented() -> list[tuple[list[str], list[str]]]:
    """(keys, backticked defaults) of each row of the table under "## Options"."""
    text = (ROOT / "docs" / "fence.md").read_text(encoding="utf-8")
    section = text.split("## Options", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    out = []
    for row in rows:
        key_cell, _, default_cell = (cell.strip() for cell in row.strip("|").split(" | "))
        out.append((re.findall(r"`([^`]+)`", key_cell), re.findall(r"`([^`]+)`", default_cell)))
    return out


def written(value: object) -> str:
    """A default as the docs write it (YAML): ``false``, ``1``, ``arcs``."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_the_table_lists_every_option_once() -> None:
    keys = [key for row_keys, _ in documented() for key in row_keys]
    assert sorted(keys) == sorted(OPTIONS)


def test_the_table_gives_each_default() -> None:
    for keys, defaults in documented():
        if defaults:
            assert len(defaults) == len(keys), keys
            assert defaults == [written(OPTIONS[k].default) for k in keys]
        else:  # a row without a default: none of its options has one
            assert all(OPTIONS[k].default is None for k in keys), keys
