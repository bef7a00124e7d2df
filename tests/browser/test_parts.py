"""The widget by parts: each page of the example course lists exactly the parts its figures use
(the build's ``widget_files.parts``, which each figure's payload names for the script), so the
script loads nothing more; a page without figures has none; links and export arrive at their
first use."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "self-attention/",
    "step-by-step/",
    "views/",
    "heads/",
    "beyond-weights/",
    "writing/",
    "translation/",
]
LISTED = re.compile(r'assets/mkdocs-attention/attn-([\w.-]+?)(\.js)?"')


def listed(html: str) -> set[str]:
    """The parts a page lists: ``NAME`` for attn-NAME.js, ``NAME.css`` for attn-NAME.css."""
    return {name for name, _ in LISTED.findall(html)}


def loaded(page) -> set[str]:
    return set(
        page.evaluate("""() => performance.getEntriesByType('resource').map(r => r.name)
        .map(n => n.split('?')[0].split('/').pop()).filter(n => n.startsWith('attn-'))
        .map(n => n.slice(5).replace(/\\.js$/, ''))""")
    )


@pytest.mark.parametrize("path", PAGES)
def test_a_page_loads_exactly_the_parts_its_figures_use(example_server, new_page, path) -> None:
    html = (example_server.root / path / "index.html").read_text(encoding="utf-8")
    page = new_page(example_server.url).page
    page.goto(example_server.url + "/" + path)
    figures = page.locator("figure.attn")
    if figures.count():
        page.wait_for_function("() => [...document.querySelectorAll('figure.attn')].every(f => f.attnWidget)")
    registered = set(page.evaluate("() => Object.keys(window.mkdocsAttention.parts)"))
    assert registered == listed(html), "the script needed other parts than the page lists"
    assert loaded(page) == listed(html), "the script fetched a part the page did not list"
    if not figures.count():
        assert listed(html) == set()


def test_links_and_export_load_at_first_use(example_server, new_page) -> None:
    w = new_page(example_server.url, accept_downloads=True)
    page = w.page
    page.goto(example_server.url + "/self-attention/")
    page.wait_for_selector("figure.attn.attn-ready")
    assert not {"links", "export"} & loaded(page)
    fig = page.locator("figure.attn").nth(1)
    fig.locator(".attn-token[data-index='3']").click()
    with page.expect_download() as saved:
        fig.locator(".attn-export[data-format='svg']").click()
    assert saved.value.suggested_filename.endswith(".svg")
    assert "export" in loaded(page) and "links" not in loaded(page)
    fig.locator(".attn-link").click()
    page.wait_for_function("() => location.hash.includes('?pin=')")
    assert "links" in loaded(page)
