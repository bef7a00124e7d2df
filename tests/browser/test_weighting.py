"""Weightings in Chromium, on the course's "Is attention an explanation?" page: a value-norm figure
shows α ‖f‖ (rows rescaled) from the α and norms its page carries, the reader switches to α and
back with the weighting buttons, and the pinned query's worked math gives α, ‖f(x)‖, their product
and the share; legible and axe-clean in light and dark."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from mkdocs_attention.numerics import value_weighted
from mkdocs_attention.render.payload import payload_weights
from tests.helpers import EXAMPLE_SITE, MATERIAL_CONFIG

from .conftest import built_site
from .reader import assert_legible, run_axe, screenshot
from .test_widget import edges

pytestmark = pytest.mark.browser

PAGE = "/beyond-weights/"
COURSE_PAGE = (EXAMPLE_SITE / "docs" / "beyond-weights.md").read_text(encoding="utf-8")
IT = 9  # "it" in "The animal did not cross the street because it was too tired."


def carried(fig) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """α (L, H, N, N) and the norms (L, H, N) as the page carries them, and the tokens."""
    p = json.loads(fig.get_attribute("data-attn"))
    alpha = payload_weights(p)
    raw = np.frombuffer(base64.b64decode(p["weighting"]["norms"]), dtype="<f4").astype(np.float64)
    return alpha, raw.reshape(alpha.shape[0], alpha.shape[1], alpha.shape[3]), p["tokens"]


def opened(example_server, new_page, **options):
    page = new_page(example_server.url, viewport={"width": 1100, "height": 1400}, **options).page
    page.goto(example_server.url + PAGE)
    fig = page.locator("figure.attn").nth(1)
    fig.locator(".attn-head").first.wait_for()
    page.wait_for_function("() => document.querySelectorAll('figure.attn')[1].attnWidget")
    return page, fig


def edge_weights(fig) -> np.ndarray:
    got = sorted(edges(fig), key=lambda e: e["dst"])
    assert [e["src"] for e in got] == [IT] * len(got)
    out = np.zeros(15)
    for e in got:
        out[e["dst"]] = float(e["weight"])
    return out


def test_the_figure_shows_value_norms_and_switches_to_attention(example_server, new_page) -> None:
    page, fig = opened(example_server, new_page)
    alpha, norms, tokens = carried(fig)
    assert tokens[IT] == "it"
    weighed = value_weighted(alpha, norms)
    pressed = ".attn-weighting[aria-pressed='true']"
    assert fig.locator(pressed).get_attribute("data-weighting") == "value-norm"
    assert fig.get_attribute("data-attn-weighting") == "value-norm"
    fig.locator(".attn-head[data-head='3']").click()
    fig.locator(f".attn-token[data-index='{IT}']").click()
    assert np.abs(edge_weights(fig) - weighed[0, 3, IT]).max() < 1e-5
    assert int(np.argmax(edge_weights(fig))) == tokens.index("animal")
    fig.locator(".attn-weighting[data-weighting='attention']").click()
    assert fig.locator(pressed).get_attribute("data-weighting") == "attention"
    assert fig.get_attribute("data-attn-weighting") == "attention"
    assert np.abs(edge_weights(fig) - alpha[0, 3, IT]).max() < 1e-5
    assert int(np.argmax(edge_weights(fig))) == 0  # plain weights point at [CLS]
    # Another head keeps the weighting chosen; pressing back gives the norms' weights again.
    fig.locator(".attn-head[data-head='4']").click()
    assert np.abs(edge_weights(fig) - alpha[0, 4, IT]).max() < 1e-5
    fig.locator(".attn-weighting[data-weighting='value-norm']").click()
    assert np.abs(edge_weights(fig) - weighed[0, 4, IT]).max() < 1e-5
    # The page's first figure (plain attention) has no weighting buttons.
    assert page.locator("figure.attn").nth(0).locator(".attn-weighting").count() == 0


def test_the_worked_math_of_the_pinned_query(example_server, new_page) -> None:
    _, fig = opened(example_server, new_page)
    alpha, norms, tokens = carried(fig)
    fig.locator(".attn-head[data-head='3']").click()
    fig.locator(f".attn-token[data-index='{IT}']").click()
    table = fig.locator(".attn-math table")
    assert (
        "\u201cit\u201d" in table.locator("caption").inner_text()
        and "Head 3" in table.locator("caption").inner_text()
    )
    assert table.locator("thead th").all_inner_texts() == [
        "key",
        "\u03b1",
        "\u2016f(x)\u2016",
        "\u03b1 \u00b7 \u2016f(x)\u2016",
        "share",
    ]
    rows = [r.locator("th, td").all_inner_texts() for r in table.locator("tbody tr").all()]
    assert [r[0] for r in rows] == tokens
    a, n = alpha[0, 3, IT], norms[0, 3]
    share = value_weighted(alpha, norms)[0, 3, IT]
    for j, (_, a_text, n_text, product, s_text) in enumerate(rows):
        assert abs(float(a_text) - a[j]) <= 0.0005 + 1e-9
        assert abs(float(n_text) - n[j]) <= 0.0005 + 1e-9
        assert abs(float(product) - a[j] * n[j]) <= 0.0005 + 1e-9
        assert abs(float(s_text) - share[j]) <= 0.0005 + 1e-9
    # The lesson in numbers: [CLS] gets most of α but sends a short vector.
    assert float(rows[0][1]) > 0.5 and float(rows[0][2]) < 0.2 and float(rows[0][4]) < 0.05
    # The math follows the head; unpinned, it goes.
    fig.locator(".attn-head[data-head='4']").click()
    assert "Head 4" in table.locator("caption").inner_text()
    fig.locator(f".attn-token[data-index='{IT}']").click()
    assert fig.locator(".attn-math table").count() == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_legible_and_axe_clean(example_server, new_page, scheme) -> None:
    page, fig = opened(example_server, new_page, color_scheme=scheme)
    fig.locator(f".attn-token[data-index='{IT}']").click()
    fig.locator(".attn-math table").wait_for()
    assert_legible(fig)
    assert run_axe(page) == []
    screenshot(fig, f"weighting-{scheme}.png")


def test_heads_together_is_the_layer_as_a_whole(example_server, new_page) -> None:
    """The last head, "Heads together": what the layer moves, ‖Σ_h α f_h‖ as the page carries it;
    switched to attention, the heads' mean weight; no worked math (it is no α times a norm)."""
    _, fig = opened(example_server, new_page)
    p = json.loads(fig.get_attribute("data-attn"))
    alpha, _, tokens = carried(fig)
    together = np.frombuffer(base64.b64decode(p["weighting"]["together"]), "<u2").reshape(1, 15, 15) / 65535
    last = len(p["heads"]) - 1
    assert p["heads"][last] == "Heads together"
    fig.locator(f".attn-head[data-head='{last}']").click()
    fig.locator(f".attn-token[data-index='{IT}']").click()
    assert np.abs(edge_weights(fig) - together[0, IT]).max() < 1e-5
    assert int(np.argmax(edge_weights(fig))) == tokens.index("animal")
    assert fig.locator(".attn-math table").count() == 0
    fig.locator(".attn-weighting[data-weighting='attention']").click()
    assert np.abs(edge_weights(fig) - alpha[0, last, IT]).max() < 1e-5
    assert np.abs(alpha[0, last] - alpha[0, :last].mean(0)).max() < 1e-4  # the heads' mean


def test_an_alti_figure_switches_between_its_layers_and_its_entry(example_server, new_page) -> None:
    page = new_page(example_server.url, viewport={"width": 1100, "height": 1400}).page
    page.goto(example_server.url + PAGE)
    fig = page.locator("figure.attn").nth(2)
    page.wait_for_function("() => document.querySelectorAll('figure.attn')[2].attnWidget")
    buttons = fig.locator(".attn-weighting")
    assert buttons.all_inner_texts() == ["Attention", "ALTI"]
    pressed = ".attn-weighting[aria-pressed='true']"
    assert fig.locator(pressed).get_attribute("data-weighting") == "attention"
    fig.locator(".attn-layer[data-layer='3']").click()
    fig.locator(".attn-weighting[data-weighting='alti']").click()
    assert fig.locator(".attn-layer[aria-pressed='true']").inner_text() == "ALTI"
    assert fig.get_attribute("data-attn-weighting") == "alti" and fig.get_attribute("data-attn-rollout") == ""
    fig.locator(f".attn-token[data-index='{IT}']").click()
    alti = payload_weights(json.loads(fig.get_attribute("data-attn")))[-1, 0, IT]
    assert np.abs(edge_weights(fig) - alti).max() < 1e-5
    fig.locator(".attn-weighting[data-weighting='attention']").click()  # back to the layer shown
    assert fig.locator(".attn-layer[aria-pressed='true']").inner_text() == "Layer 3"
    assert fig.locator(pressed).get_attribute("data-weighting") == "attention"
    # The layer buttons say the same: the entry's button presses "ALTI" too.
    fig.locator(".attn-layer[data-layer='6']").click()
    assert fig.locator(pressed).get_attribute("data-weighting") == "alti"


def test_a_link_carries_the_weighting(example_server, new_page) -> None:
    """Copy link on a value-norm figure switched to attention gives `weighting=attention`, and
    opening it shows α, the pin kept."""
    page, fig = opened(example_server, new_page)
    alpha, _, _ = carried(fig)
    fig.locator(".attn-weighting[data-weighting='attention']").click()
    fig.locator(f".attn-token[data-index='{IT}']").click()
    fig.locator(".attn-link").click()
    page.wait_for_function("() => location.hash.includes('weighting=attention')")
    again = new_page(example_server.url, viewport={"width": 1100, "height": 1400}).page
    again.goto(page.evaluate("() => location.href"))
    shown = again.locator("figure.attn").nth(1)
    again.wait_for_function(
        "() => document.querySelectorAll('figure.attn')[1].getAttribute('data-attn-weighting') === 'attention'"
    )
    assert shown.locator(f".attn-token[data-index='{IT}']").get_attribute("aria-pressed") == "true"
    np.testing.assert_allclose(edge_weights(shown), alpha[0, 0, IT], atol=5e-4)


SYNCED = """\
# Synced

```attention
{fence}
sync: w
```

```attention
{fence}
sync: w
id: second
```
"""


def test_a_synced_value_norm_figure_switches_with_its_peer(tmp_path, new_page) -> None:
    """The course's value-norm fence twice with `sync` (its figure from the example's build
    cache): pressing Attention in one switches the other, and back."""
    fence = re.search(r"```attention\n(model:[^`]*?weighting: value-norm\n)", COURSE_PAGE).group(1)
    fence = "\n".join(line for line in fence.splitlines() if not line.startswith(("title:", "caption:")))
    config = MATERIAL_CONFIG.replace(
        "  - attention\n", f"  - attention:\n      cache_dir: {EXAMPLE_SITE / '.attention-cache'}\n"
    )
    with built_site(tmp_path, {"index.md": SYNCED.format(fence=fence)}, config) as site:
        page = new_page(site.url, viewport={"width": 1100, "height": 1400}).page
        page.goto(site.url + "/")
        page.wait_for_function("() => [...document.querySelectorAll('figure.attn')].every(f => f.attnWidget)")
        one, two = page.locator("figure.attn").nth(0), page.locator("figure.attn").nth(1)
        assert two.get_attribute("data-attn-weighting") == "value-norm"
        one.locator(".attn-weighting[data-weighting='attention']").click()
        assert two.get_attribute("data-attn-weighting") == "attention"
        two.locator(".attn-weighting[data-weighting='value-norm']").click()
        assert one.get_attribute("data-attn-weighting") == "value-norm"
