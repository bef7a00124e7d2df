"""The process-wide memo of rendered figures: what ``mkdocs serve`` rebuilds reuse."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_attention.memo import FIGURES, Memo
from mkdocs_attention.pipeline import PageContext, convert

from .helpers import write_site


def test_the_memo_forgets_the_least_recently_used_beyond_its_size() -> None:
    memo = Memo(max_chars=80)
    memo.put("a", "x" * 10)
    memo.put("b", "y" * 10)
    assert memo.get("a") == "x" * 10  # "a" is now the most recent
    memo.put("c", "z" * 11)  # too big to keep: over an eighth of the memo
    assert memo.get("c") is None and len(memo) == 2
    for k in "defghij":  # 90 characters in all: the least recently used ("b") goes
        memo.put(k, k * 10)
    assert memo.chars == 80 and memo.get("b") is None
    assert memo.get("a") == "x" * 10 and memo.get("j") == "j" * 10
    assert memo.hits == 3


def test_a_fence_from_its_text_alone_is_rendered_once() -> None:
    body = "text: The quick brown fox\nheads: 2"
    first = convert(body, "", PageContext(), 1)
    assert FIGURES.hits == 0 and len(FIGURES) == 1
    assert convert(body, "", PageContext(), 1) == first and FIGURES.hits == 1
    # a repeat on the same page is another figure (its id has a suffix), not the same HTML
    ctx = PageContext()
    convert(body, "", ctx, 1)
    again = convert(body, "", ctx, 5)
    fig_id = first[first.index('id="') + 4:first.index('" data-attn-view')]
    assert again == first.replace(fig_id, f"{fig_id}-2")


def test_bad_fences_are_reported_on_every_build(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        for _ in range(2):
            assert "attn-error" in convert("text: a b\nview: pie", "", PageContext(), 1)
    assert len(caplog.messages) == 2 and len(FIGURES) == 0


def rebuild(cfg: Path, site: Path) -> list[str]:
    """One rebuild as ``mkdocs serve`` does it (the config loaded again, the site built
    in-process); the page's figures."""
    build(load_config(str(cfg), site_dir=str(site)))
    html = (site / "index.html").read_text(encoding="utf-8")
    return [f"<figure{f.split('</figure>')[0]}</figure>" for f in html.split("<figure")[1:]]


def test_serve_rebuilds_reuse_toy_figures_and_reread_changed_files(tmp_path: Path) -> None:
    page = ("# Serve\n\n```attention\ntext: The quick brown fox\nheads: 2\n```\n\n"
            "```attention\nfile: w.npy\ntokens: [a, b, c]\n```\n")
    cfg = write_site(tmp_path, {"index.md": page}, "site_name: S\nplugins:\n  - attention\n")
    rng = np.random.default_rng(3)
    np.save(tmp_path / "docs" / "w.npy", rng.dirichlet(np.ones(3), size=3))
    cold = rebuild(cfg, tmp_path / "site")
    assert len(cold) == 2 and FIGURES.hits == 0
    assert len(FIGURES) == 1  # the toy figure; the file figure is not kept
    np.save(tmp_path / "docs" / "w.npy", rng.dirichlet(np.ones(3), size=3))  # the author edits it
    warm = rebuild(cfg, tmp_path / "site")
    assert FIGURES.hits == 1 and warm[0] == cold[0]
    assert warm[1] != cold[1]  # the changed .npy shows on the next rebuild
    FIGURES.clear()
    assert rebuild(cfg, tmp_path / "site-cold") == warm  # the same bytes as a cold build


@pytest.mark.parametrize(("command", "remember"), [("serve", True), ("build", False), ("gh-deploy", False)])
def test_only_serve_keeps_figures_in_the_memo(command: str, remember: bool) -> None:
    """A one-shot build renders each figure once; keeping them all would only hold them in memory."""
    from mkdocs_attention.plugin import AttentionPlugin

    plugin = AttentionPlugin()
    plugin.on_startup(command=command, dirty=False)
    assert plugin.ctx.remember is remember
    html = convert("text: The quick brown fox\nheads: 2", "", plugin.ctx, 1)
    assert len(FIGURES) == (1 if remember else 0)
    plugin.ctx.new_page("other.md", "", 0)  # the same fence on the next page: the same figure
    assert convert("text: The quick brown fox\nheads: 2", "", plugin.ctx, 1) == html
    assert FIGURES.hits == (1 if remember else 0)
