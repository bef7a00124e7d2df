"""Browser fixtures: the system Chromium driven by Playwright, sites served on localhost.

Playwright's own browser download does not work everywhere (no internet), so Chromium is the
system one: ``MKDOCS_ATTENTION_CHROMIUM`` if set, else the first of chromium/chrome on PATH.
Every page fixture fails its test on a console error, an uncaught exception, a dialog, or a
request that leaves the local server.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_SITE, mkdocs_build

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("MKDOCS_ATTENTION_CHROMIUM")
    if path:
        return path
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium found: install it (make test-deps) or set MKDOCS_ATTENTION_CHROMIUM")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Server:
    url: str
    root: Path




def serve(root: Path, headers: dict[str, str] | None = None) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``root`` on an ephemeral localhost port in a daemon thread."""
    extra = dict(headers or {})

    class Handler(_QuietHandler):
        def end_headers(self) -> None:
            for k, v in extra.items():
                self.send_header(k, v)
            super().end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@contextmanager
def serving(sites: dict[str, Path]) -> Iterator[dict[str, Server]]:
    """Serve each built site (name → folder) on its own port for the ``with`` block."""
    httpds, servers = [], {}
    for name, root in sites.items():
        httpd, url = serve(root)
        httpds.append(httpd)
        servers[name] = Server(url, root)
    try:
        yield servers
    finally:
        for httpd in httpds:
            httpd.shutdown()


@contextmanager
def built(cfg: Path, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Build ``cfg``'s site with the real ``mkdocs build --strict`` and serve it; yields its URL."""
    result = mkdocs_build(cfg, cfg.parent / "site")
    assert result.returncode == 0, result.stderr
    httpd, url = serve(cfg.parent / "site", headers)
    try:
        yield url
    finally:
        httpd.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with playwright_sync.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def example_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    site = tmp_path_factory.mktemp("example") / "site"
    result = mkdocs_build(EXAMPLE_SITE / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    httpd, url = serve(site)
    yield Server(url, site)
    httpd.shutdown()


@dataclass
class Watched:
    """A Playwright page plus everything that went wrong on it."""

    page: object
    origin: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def check(self) -> None:
        assert not self.errors, f"console errors / page errors / dialogs: {self.errors}"
        assert not self.foreign, f"requests left the local server: {self.foreign}"


def watch(page: object, origin: str) -> Watched:
    w = Watched(page, origin)
    page.on("console", lambda m: w.errors.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (w.errors.append(f"dialog: {d.message}"), d.dismiss()))

    def on_request(req: object) -> None:
        url = req.url
        if not (url.startswith(origin) or url.startswith(("data:", "blob:", "about:"))):
            w.foreign.append(url)

    page.on("request", on_request)
    return w


@pytest.fixture
def new_page(browser: object) -> Iterator[object]:
    """Factory: ``new_page(origin, **context_options)`` → Watched; checked at teardown."""
    contexts, watched = [], []

    def make(origin: str, **options: object) -> Watched:
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        w = watch(ctx.new_page(), origin)
        watched.append(w)
        return w

    yield make
    for ctx in contexts:
        ctx.close()
    for w in watched:
        w.check()
