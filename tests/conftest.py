"""Shared by every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mkdocs_attention.memo import FIGURES


@pytest.fixture(autouse=True)
def fresh_memo() -> Iterator[None]:
    """Each test renders its figures itself: the process-wide memo of rendered figures (kept
    for ``mkdocs serve``) would otherwise hand one test the figures of another."""
    FIGURES.clear()
    yield
    FIGURES.clear()
