"""Links to a view in Chromium: ``#ID?pin=&layer=&head=`` restores a figure's view on load, from a
link in the prose without a reload, and from another page through Material's instant
navigation; "Copy link" writes the link of what is shown, which opens the same view."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from mkdocs_attention.tokens import tokenize
from tests.helpers import MATERIAL_CONFIG

from .conftest import Server, built_site

pytestmark = pytest.mark.browser

CONFIG = MATERIAL_CONFIG.replace("  font: false\n", "  font: false\n  features: [navigation.instant]\n")
WINOGRAD = "The animal didn't cross the street because it was too tired ."
LONG = "\n\n".join(
    f"Paragraph {i} of prose before the figure, so that it starts below the fold." for i in range(30)
)

PAGES = {
    "index.md": (
        "# Course\n\n[A view of *it*](story/#winograd?pin=it&head=1)\n\n"
        "[A view by index](story/#winograd?pin=7&layer=0&head=0)\n"
    ),
    "story.md": (
        f"# Story\n\n```attention\nid: fox\ntext: the cat saw the dog .\n```\n\n{LONG}\n\n"
        f"See how [*it*](#winograd?pin=it&head=1) attends, or [*animal*](#winograd?pin=animal).\n\n"
        f"```attention\nid: winograd\ntext: {WINOGRAD}\nheads: 2\n```\n"
    ),
}
TOKENS = list(tokenize(WINOGRAD))
IT = TOKENS.index("it")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Built for the address it is served at: Material navigates instantly only to the URLs of
    its sitemap, made from ``site_url`` (see test_navigation.py)."""
    with built_site(tmp_path_factory.mktemp("links"), PAGES, CONFIG, under="course") as s:
        yield s


def state(page) -> dict:
    """What the winograd figure shows: pinned token, layer and head pressed, and whether it is
    in the viewport."""
    return page.evaluate("""() => { const f = document.getElementById('winograd');
        const pin = f.querySelector('.attn-token.attn-pinned');
        const r = f.getBoundingClientRect();
        return {pin: pin ? +pin.dataset.index : null,
                head: f.querySelector('.attn-head[aria-pressed="true"]').dataset.head,
                edges: f.querySelectorAll('.attn-edge').length,
                visible: r.top < innerHeight && r.bottom > 0}; }""")


def test_a_link_opens_the_view(site, new_page) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 800}).page
    page.goto(f"{site.url}/story/#winograd?pin=it&head=1")
    page.wait_for_selector("figure.attn.attn-ready")
    assert state(page) == {"pin": IT, "head": "1", "edges": len(TOKENS), "visible": True}
    assert page.locator("#winograd .attn-status").inner_text().startswith("it attends most to ")
    # a part that names nothing is left out, the rest applies; a fresh load (a goto that only
    # changes the fragment would be a same-document navigation and keep the pin)
    page.goto("about:blank")
    page.goto(f"{site.url}/story/#winograd?pin=nothing&head=9&layer=0")
    page.wait_for_selector("figure.attn.attn-ready")
    assert state(page)["pin"] is None and state(page)["head"] == "0" and state(page)["visible"]


def test_a_link_in_the_prose_without_a_reload(site, new_page) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 800}).page
    page.goto(f"{site.url}/story/")
    page.wait_for_selector("figure.attn.attn-ready")
    page.evaluate("() => { window.__sameLoad = true; }")
    assert not state(page)["visible"]
    page.get_by_role("link", name="it", exact=True).click()
    page.wait_for_function("() => document.querySelector('#winograd .attn-token.attn-pinned')")
    assert state(page) == {"pin": IT, "head": "1", "edges": len(TOKENS), "visible": True}
    page.evaluate("() => scrollTo(0, 0)")
    page.get_by_role("link", name="animal", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('#winograd .attn-token.attn-pinned').dataset.index === '1'"
    )
    assert state(page)["visible"] and state(page)["head"] == "1"  # the head stays as it was
    assert page.evaluate("() => window.__sameLoad") is True


@pytest.mark.parametrize("name", ["A view of it", "A view by index"])
def test_a_link_from_another_page_through_instant_navigation(site, new_page, name) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 800}).page
    # Material navigates instantly only to the URLs of its sitemap, fetched after the page loads:
    # a click before it has arrived is a plain load.
    with page.expect_response(lambda r: r.url.endswith("/sitemap.xml")):
        page.goto(f"{site.url}/")
    page.evaluate("() => { window.__sameLoad = true; }")
    page.get_by_role("link", name=name).click()
    page.wait_for_function("() => document.querySelector('#winograd .attn-token.attn-pinned')")
    assert page.evaluate("() => window.__sameLoad") is True  # instant navigation, not a load
    expected = {"pin": IT, "head": "1"} if name == "A view of it" else {"pin": 7, "head": "0"}
    got = state(page)
    assert {"pin": got["pin"], "head": got["head"]} == expected and got["visible"]


def test_copy_link_writes_the_view_and_opens_it(site, new_page, browser) -> None:
    w = new_page(site.url, viewport={"width": 1200, "height": 800})
    page = w.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page.goto(f"{site.url}/story/")
    fig = page.locator("#winograd.attn-ready")
    fig.locator(".attn-head[data-head='1']").click()
    fig.locator(f".attn-token[data-index='{TOKENS.index('animal')}']").click()
    fig.locator(".attn-link").click()
    page.wait_for_function("() => document.querySelector('#winograd .attn-link').dataset.attnCopied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"{site.url}/story/#winograd?pin=animal&head=1"
    assert page.evaluate("() => location.hash") == "#winograd?pin=animal&head=1"
    assert fig.locator(".attn-status").inner_text() == f"Link copied: {copied}"
    # a token that appears twice ("the", the second) is linked by its index
    fox = page.locator("#fox.attn-ready")
    fox.locator(".attn-token[data-index='3']").click()
    fox.locator(".attn-link").click()
    page.wait_for_function("() => location.hash.startsWith('#fox')")
    assert page.evaluate("() => location.hash") == "#fox?pin=3"
    other = new_page(site.url, viewport={"width": 1200, "height": 800}).page
    other.goto(f"{site.url}/story/#winograd?pin=animal&head=1")
    other.wait_for_selector("figure.attn.attn-ready")
    assert state(other) == {"pin": TOKENS.index("animal"), "head": "1", "edges": len(TOKENS), "visible": True}
    edges = np.array(
        other.locator("#winograd .attn-edge").evaluate_all("es => es.map(e => +e.dataset.weight)")
    )
    assert edges.sum() == pytest.approx(1, abs=0.01)  # the row of a real pin


HELD_CONFIG = CONFIG.replace(
    "  - pymdownx.superfences\n",
    "  - pymdownx.superfences\n  - pymdownx.details\n  - pymdownx.tabbed:\n      alternate_style: true\n",
)
HELD = {
    "index.md": "# Held\n\nNothing here.\n",
    "held.md": (
        "# Held\n\n```attention\nid: first\nsync: pair\ntext: the cat saw the dog .\nheads: 2\n```\n\n"
        "```attention\nid: second\nsync: pair\nview: matrix\ntext: the cat saw the dog .\nheads: 2\n```\n\n"
        '??? note "Closed"\n\n    ```attention\n    id: folded\n    text: a folded figure .\n    ```\n\n'
        '=== "Shown"\n\n    Nothing.\n\n=== "Hidden"\n\n    ```attention\n    id: tabbed\n    text: a tabbed figure .\n    ```\n'
    ),
}


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with built_site(tmp_path_factory.mktemp("held"), HELD, HELD_CONFIG) as s:
        yield s


def pinned(page, fig_id: str) -> dict:
    return page.evaluate(
        """id => { const f = document.getElementById(id), pin = f.querySelector('.attn-token.attn-pinned');
        return {pin: pin ? +pin.dataset.index : null,
                head: (f.querySelector('.attn-head[aria-pressed="true"]') || {dataset: {}}).dataset.head,
                shown: f.checkVisibility()}; }""",
        fig_id,
    )


@pytest.mark.parametrize("how", ["load", "click"])
def test_a_link_sets_the_figures_synced_with_it_too(held, new_page, how) -> None:
    """On a load and from a link on the page (which Material's instant navigation answers by
    drawing the page again): the linked figure's synced peer shows the same view."""
    page = new_page(held.url, viewport={"width": 1200, "height": 800}).page
    if how == "load":
        page.goto(f"{held.url}/held/#first?pin=3&head=1")
    else:
        page.goto(f"{held.url}/held/")
        page.wait_for_selector("#second.attn-ready")
        page.evaluate("() => { location.hash = 'first?pin=3&head=1'; }")
    page.wait_for_function(
        "() => document.querySelectorAll('#first.attn-ready, #second.attn-ready').length === 2"
    )
    page.wait_for_function("() => document.querySelector('#first .attn-token.attn-pinned')")
    page.wait_for_timeout(300)  # what a late peer would have undone
    assert pinned(page, "first") == pinned(page, "second") == {"pin": 3, "head": "1", "shown": True}


@pytest.mark.parametrize("fig_id", ["folded", "tabbed"])
def test_a_link_to_a_figure_in_a_closed_block_opens_it(held, new_page, fig_id) -> None:
    page = new_page(held.url, viewport={"width": 1200, "height": 800}).page
    page.goto(f"{held.url}/held/")
    page.wait_for_selector(f"#{fig_id}.attn-ready", state="attached")
    assert not pinned(page, fig_id)["shown"]
    page.evaluate(f"() => {{ location.hash = '{fig_id}?pin=1'; }}")
    page.wait_for_function(f"() => document.querySelector('#{fig_id} .attn-token.attn-pinned')")
    page.wait_for_function(f"() => document.getElementById('{fig_id}').checkVisibility()")
    assert pinned(page, fig_id)["pin"] == 1
    inside = page.evaluate(
        f"""() => {{ const r = document.getElementById('{fig_id}').getBoundingClientRect();
        return r.top < innerHeight && r.bottom > 0; }}"""
    )
    assert inside
