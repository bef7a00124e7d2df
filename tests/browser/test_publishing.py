"""Publishing: the example course as a GitHub Pages project site (``site_url:
https://example.org/course/`` served at ``/course/``), with ``use_directory_urls`` on and off,
its ``404.html`` for any missing address, offline from the built folder (the ``new_page``
fixture fails on any request that leaves the local server). ``mkdocs gh-deploy`` and the
Actions workflow of the docs are tested in tests/test_publishing.py."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_ELSEWHERE, mkdocs_build

from .conftest import Server, _QuietHandler
from .reader import nav_paths

pytestmark = pytest.mark.browser

#: (directory URL, file URL) of every page of the example site, from its nav.
PAGES = [(p.lstrip("/"), "index.html" if p == "/" else p.strip("/") + ".html") for p in nav_paths()]


class PagesHandler(_QuietHandler):
    """Like GitHub Pages: a missing path gets the site's ``404.html`` with status 404."""

    not_found: Path

    def send_head(self) -> object:
        path = Path(self.translate_path(self.path))
        if path.exists():
            return super().send_head()
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "file-urls"])
def project_site(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, bool]]:
    """The example site built as-is (site_url .../course/) into <www>/course/, served from <www>."""
    directory_urls: bool = request.param
    root = tmp_path_factory.mktemp("pages")
    cfg = root / "mkdocs.yml"
    cfg.write_text(
        f"{EXAMPLE_ELSEWHERE}use_directory_urls: {str(directory_urls).lower()}\n",
        encoding="utf-8",
    )
    www = root / "www"
    result = mkdocs_build(cfg, www / "course")
    assert result.returncode == 0, result.stderr
    handler = type("Handler", (PagesHandler,), {"not_found": www / "course" / "404.html"})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(www)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/course/", www / "course"), directory_urls
    httpd.shutdown()


def assets_loaded(page) -> list[str]:
    """The widget's files as the browser fetched them (absolute URLs)."""
    return page.evaluate("""() => performance.getEntriesByType('resource').map(r => r.name)
        .filter(n => n.includes('/mkdocs-attention/'))""")


def test_every_page_under_the_sub_path(project_site, new_page) -> None:
    """Every page, offline: besides the fixture's check, the browser can reach nothing but
    the local server (anything else is aborted and recorded)."""
    server, directory_urls = project_site
    origin = server.url.split("/course/")[0]
    page = new_page(origin, viewport={"width": 1280, "height": 900}).page
    blocked: list[str] = []
    page.context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(origin)
            else (blocked.append(route.request.url), route.abort())
        ),
    )
    total = 0
    for urls in PAGES:
        response = page.goto(server.url + urls[0 if directory_urls else 1])
        assert response.status == 200
        # The core on every page, the parts the page's figures use, all under the sub-path.
        base = server.url + "assets/mkdocs-attention/"
        loaded = set(assets_loaded(page))
        assert {base + "attn.css", base + "attn.js"} <= loaded
        assert all(url.startswith(base) for url in loaded), loaded
        figs = page.locator("figure.attn")
        count = figs.count()
        total += count
        assert page.locator("figure.attn.attn-ready").count() == count
        if count:
            figs.nth(0).locator(".attn-token[data-index='1']").click()
            assert figs.nth(0).locator(".attn-edge").count() > 0
            assert figs.nth(0).locator(".attn-token[aria-pressed='true']").count() == 1
    assert total >= 5
    # The site's own links lead to the right files (a full load: the sitemap names example.org).
    which = 0 if directory_urls else 1
    page.goto(server.url + PAGES[0][which])
    page.locator(".md-nav--primary a", has_text="Self-attention in five minutes").first.click()
    page.wait_for_url(server.url + PAGES[1][which])
    page.wait_for_selector("figure.attn.attn-ready")
    assert blocked == []


def test_404_page_at_any_depth(project_site, new_page) -> None:
    """GitHub Pages answers a missing address with 404.html as is: its asset URLs must not
    depend on the depth of the address asked for."""
    server, _ = project_site
    origin = server.url.split("/course/")[0]
    w = new_page(origin)
    # The page's own 404 status is logged as a console error: that one is expected.
    for path in ("missing", "a/b/c/missing/"):
        response = w.page.goto(server.url + path)
        assert response.status == 404
        assert w.page.locator("h1").first.text_content().strip() == "404 - Not found"
        assert sorted(assets_loaded(w.page)) == [
            server.url + "assets/mkdocs-attention/attn.css",
            server.url + "assets/mkdocs-attention/attn.js",
        ]
        assert w.page.evaluate("() => typeof window.mkdocsAttention.mount") == "function"
        assert w.page.evaluate("""() => Array.from(document.styleSheets)
            .some(s => s.href && s.href.endsWith('/attn.css') && s.cssRules.length > 10)""")
    w.errors[:] = [e for e in w.errors if "status of 404" not in e]


def test_straight_from_the_built_folder(project_site, new_page) -> None:
    """A student opens the downloaded folder from disk (file://): no server at all."""
    server, directory_urls = project_site
    w = new_page("file://")  # any request that is not a local file fails the test
    for urls in PAGES:
        name = urls[1] if not directory_urls else (urls[0] or "") + "index.html"
        w.page.goto((server.root / name).as_uri())
        figs = w.page.locator("figure.attn")
        assert w.page.locator("figure.attn.attn-ready").count() == figs.count()
        if figs.count():
            figs.nth(0).locator(".attn-token[data-index='1']").click()
            assert figs.nth(0).locator(".attn-token[aria-pressed='true']").count() == 1
    if not directory_urls:  # file URLs: the site's own links work from disk too
        w.page.goto((server.root / "index.html").as_uri())
        w.page.locator(".md-nav--primary a", has_text="Self-attention in five minutes").first.click()
        w.page.wait_for_url("**/self-attention.html")
        assert w.page.locator("figure.attn.attn-ready").count() == 4
