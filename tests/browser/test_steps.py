"""A model writing (``generate``) in Chromium, on the course's "Writing one token at a time":
the step control (buttons, slider keys), each step's new query pinned with its row of the
model's attention over the tokens so far, later tokens hidden, the next-token bars with the
written token marked in words, the cache line, the announcement, links to a step, the matrix
growing row by row; axe-clean and legible in light and dark, and on a phone."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mkdocs_attention.render.payload import payload_weights

from .reader import assert_legible, run_axe, screenshot
from .test_widget import edges, shown_scores

pytestmark = pytest.mark.browser


def opened(example_server, new_page, hash: str = "", **options):  # type: ignore[no-untyped-def]
    page = new_page(example_server.url, **({"viewport": {"width": 1200, "height": 1500}} | options)).page
    page.goto(example_server.url + "/writing/" + hash)
    page.wait_for_function("() => [...document.querySelectorAll('figure.attn')].every(f => f.attnWidget)")
    return page


def payload(fig) -> dict:
    return json.loads(fig.get_attribute("data-attn"))


def visible_tokens(fig) -> list[int]:
    return fig.locator(".attn-token").evaluate_all(
        "ts => ts.filter(t => t.checkVisibility({visibilityProperty: true})).map(t => +t.dataset.index)"
    )


def test_stepping_pins_each_new_query_with_its_row(example_server, new_page) -> None:
    page = opened(example_server, new_page)
    fig = page.locator("#writing")
    p = payload(fig)
    w, tokens, steps = payload_weights(p), p["tokens"], p["steps"]
    prompt, last = steps["prompt"], len(steps["top"]) - 1
    assert (prompt, last, len(tokens)) == (11, 6, 17)
    # As built: the last step, every token shown, nothing pinned.
    slider = fig.locator(".attn-step-range")
    assert slider.input_value() == "6" and visible_tokens(fig) == list(range(17))
    assert fig.locator(".attn-pinned").count() == 0
    slider.focus()
    page.keyboard.press("Home")
    for s in range(last + 1):
        query = prompt - 1 + s
        assert slider.input_value() == str(s)
        assert fig.locator(".attn-token.attn-pinned").get_attribute("data-index") == str(query)
        # what the step reads so far, and the token being written
        assert visible_tokens(fig) == list(range(min(query + 2, 17)))
        writing = fig.locator(".attn-token.attn-writing")
        assert writing.count() == (1 if s < last else 0)
        # its row of the model's attention over every token before it (and itself)
        got = edges(fig)
        row = w[0, 0, query]
        assert [e["dst"] for e in got] == [j for j in range(query + 1) if row[j] > 0]
        assert [float(e["weight"]) for e in got] == pytest.approx(row[row > 0].tolist(), abs=1e-5)
        assert [t for t, _ in shown_scores(fig)] == tokens[: query + 1]
        # the next-token bars: the model's most likely, the written one said in words
        bars = fig.locator(".attn-next").evaluate_all("ls => ls.map(l => l.textContent)")
        assert bars[0] == f"{steps['top'][s][0][0]}{steps['top'][s][0][1]:.3f}" + (
            " ✓ written" if s < last else ""
        )
        assert (
            fig.locator(".attn-step-cache")
            .text_content()
            .startswith(f"Each layer's cache now holds the keys and values of {query + 1} tokens")
        )
        status = fig.locator(".attn-status").text_content()
        if s < last:
            assert status == (
                f"Step {s} of 6: {'the prompt is read' if s == 0 else 'reads “' + tokens[query] + '”'}, "
                f"writes “{tokens[query + 1]}” ({steps['chosen'][s]:.3f})."
            )
        else:
            assert status.endswith("but stops here.")
        page.keyboard.press("ArrowRight")
    assert fig.locator(".attn-step-next").is_disabled()
    page.keyboard.press("Home")
    assert fig.locator(".attn-step-prev").is_disabled()
    fig.locator(".attn-step-next").click()
    fig.locator(".attn-step-next").click()
    assert slider.input_value() == "2"
    fig.locator(".attn-step-prev").click()
    assert slider.input_value() == "1"


def test_a_link_names_a_step_and_copying_gives_it_back(example_server, new_page) -> None:
    page = opened(example_server, new_page, "#writing?step=2")
    fig = page.locator("#writing")
    assert fig.locator(".attn-step-range").input_value() == "2"
    assert fig.locator(".attn-token.attn-pinned").get_attribute("data-index") == "12"
    fig.locator(".attn-step-next").click()
    fig.locator(".attn-link").click()
    page.wait_for_function("() => location.hash.includes('step=3')")
    assert "pin=13" in page.evaluate("() => location.hash")


def test_the_matrix_grows_one_row_per_step(example_server, new_page) -> None:
    page = opened(example_server, new_page)
    fig = page.locator("figure.attn").nth(1)
    g = payload(fig)["geo"]
    fig.locator(".attn-step-range").focus()
    page.keyboard.press("Home")
    for s in range(7):
        veil = fig.locator(".attn-step-veil")
        rows = 11 + s  # the prompt and the tokens read since
        assert float(veil.get_attribute("y")) == pytest.approx(g["y0"] + g["cell"] * rows)
        assert float(veil.get_attribute("height")) == pytest.approx(g["cell"] * (17 - rows))
        page.keyboard.press("ArrowRight")
    # at the end nothing is veiled: the whole causal matrix, as one pass over the text gives it
    assert float(fig.locator(".attn-step-veil").get_attribute("height")) == 0
    w = payload_weights(payload(fig))
    assert np.all(np.triu(w, 1) == 0) and np.allclose(w.sum(-1), 1, atol=0.06)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_mid_generation_step_is_legible_and_accessible(example_server, new_page, scheme) -> None:
    page = opened(example_server, new_page, "#writing?step=3", color_scheme=scheme)
    fig = page.locator("#writing")
    assert_legible(fig)
    assert run_axe(page) == []
    screenshot(fig, f"steps-{scheme}.png")


def test_on_a_phone_the_control_fits_and_a_tap_steps(example_server, new_page) -> None:
    page = opened(
        example_server, new_page, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    fig = page.locator("#writing")
    bar = fig.locator(".attn-step-bar").bounding_box()
    assert bar is not None and bar["width"] <= 390
    for button in (".attn-step-prev", ".attn-step-next"):
        box = fig.locator(button).bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    fig.locator(".attn-step-prev").tap()
    assert fig.locator(".attn-step-range").input_value() == "5"
    screenshot(fig, "steps-phone.png")


def test_synced_figures_step_together(example_server, new_page) -> None:
    """The lecture's two figures share ``sync: writing``: a step in one is a step in the other,
    each pinning its own new query."""
    page = opened(example_server, new_page)
    arcs, matrix = page.locator("#writing"), page.locator("figure.attn").nth(1)
    arcs.locator(".attn-step-prev").click()
    arcs.locator(".attn-step-prev").click()
    assert matrix.locator(".attn-step-range").input_value() == "4"
    assert matrix.locator(".attn-token.attn-pinned").first.get_attribute("data-index") == "14"
    matrix.locator(".attn-step-range").focus()
    page.keyboard.press("Home")
    assert arcs.locator(".attn-step-range").input_value() == "0"
    assert arcs.locator(".attn-token.attn-pinned").get_attribute("data-index") == "10"
    assert arcs.locator(".attn-status").text_content().startswith("Step 0 of 6: the prompt is read")
