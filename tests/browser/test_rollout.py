"""The rollout entry in Chromium: its layer button shows the rollout's rows as edges, and the
head buttons, which would all show the same matrix there, step aside."""

from __future__ import annotations

import numpy as np
import pytest

from mkdocs_attention.numerics import rollout, softmax
from tests.helpers import MATERIAL_CONFIG

from .conftest import built_site, npy
from .test_widget import assert_edges_equal_row

pytestmark = pytest.mark.browser

W = softmax(np.random.default_rng(11).normal(0, 2, (3, 2, 5, 5)))
PAGE = "# Rollout\n\n```attention\nfile: w.npy\ntokens: [a, b, c, d, e]\nrollout: true\n```\n"


def test_the_rollout_layer(tmp_path, new_page) -> None:
    with built_site(tmp_path, {"index.md": PAGE}, MATERIAL_CONFIG, files={"docs/w.npy": npy(W)}) as s:
        url = s.url
        page = new_page(url, viewport={"width": 1200, "height": 900}).page
        page.goto(url + "/")
        fig = page.locator("figure.attn.attn-ready")
        heads = fig.locator(".attn-toolbar[aria-label='Heads']")
        assert heads.is_visible()
        fig.locator(".attn-layer[data-layer='3']").click()
        assert fig.locator(".attn-layer[data-layer='3']").inner_text() == "Rollout"
        assert not heads.is_visible() and fig.get_attribute("data-attn-rollout") == ""
        fig.locator(".attn-token[data-index='4']").click()
        page.mouse.move(1, 1)
        assert_edges_equal_row(fig, 4, rollout(W)[4])
        assert "Abnar" in fig.locator(".attn-note").inner_text()
        fig.locator(".attn-layer[data-layer='1']").click()
        assert heads.is_visible()
        assert_edges_equal_row(fig, 4, W[1, 0, 4])
