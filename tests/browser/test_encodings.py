"""Each payload encoding decodes in the browser to the weights the build wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.helpers import PLAIN_THEME_CONFIG

from .conftest import built_site

pytestmark = pytest.mark.browser

W = np.array([[0.45, 0.55, 0.0], [0.123456, 0.654321, 0.222223], [0.001, 0.004, 0.995]])
PAGE = "".join(
    f"```attention\ntokens: [a, b, c]\nweights: {W.tolist()}\nprecision: {p}\n```\n\n" for p in (2, 3, 5)
)


def test_u8_u16_u32_payloads_decode_to_the_built_weights(tmp_path: Path, new_page) -> None:
    with built_site(tmp_path, {"index.md": "# E\n\n" + PAGE}, PLAIN_THEME_CONFIG) as s:
        url = s.url
        page = new_page(url).page
        page.goto(url + "/")
        figs = page.locator("figure.attn.attn-ready")
        assert figs.count() == 3
        for k, (enc, scale) in enumerate([("u8-b64", 100), ("u16le-b64", 65535), ("u32le-b64", 2**32 - 1)]):
            fig = figs.nth(k)
            p = fig.evaluate("f => JSON.parse(f.dataset.attn)")
            assert (p["enc"], p["scale"]) == (enc, scale)
            for q in range(3):
                fig.locator(f".attn-token[data-index='{q}']").hover()
                got = fig.locator(".attn-edge").evaluate_all(
                    "es => es.map(e => [+e.dataset.target, +e.dataset.weight])"
                )
                decoded = np.rint(W[q] * scale) / scale
                assert [j for j, _ in got] == [j for j in range(3) if decoded[j] > 0]
                for j, w in got:
                    assert w == pytest.approx(decoded[j], abs=5e-6)  # data-weight has 5 decimals
                    assert abs(w - W[q, j]) <= 0.5 / scale + 5e-6
