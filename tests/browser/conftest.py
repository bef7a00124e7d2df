"""Browser fixtures: the system Chromium driven by Playwright, sites served on localhost.

Playwright's own browser download does not work everywhere (no internet), so Chromium is the
system one: ``MKDOCS_ATTENTION_CHROMIUM`` if set, else the first of chromium/chrome on PATH.
Every page fixture fails its test on a console error, an uncaught exception, a dialog, or a
request that leaves the local server.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import EXAMPLE_SITE, MATERIAL_CONFIG, mkdocs_build, write_site

playwright_sync = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
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
def built_site(
    root: Path,
    pages: dict[str, str],
    config: str = MATERIAL_CONFIG,
    *,
    files: dict[str, str | bytes] | None = None,
    headers: dict[str, str] | None = None,
    under: str = "",
) -> Iterator[Server]:
    """Write a MkDocs site in ``root``, build it with the real ``mkdocs build --strict`` and serve
    it for the ``with`` block.

    ``pages`` go under ``docs/``, ``config`` is ``mkdocs.yml``, ``files`` (path under ``root`` →
    text or bytes, e.g. ``{"docs/w.npy": npy(w)}``) are written before the build; ``headers`` are
    sent with every response. With ``under="course"`` the site is served at ``/course/`` and built
    for that very address (``site_url``), as Material's instant navigation needs.
    """
    www = root / "site"
    www.mkdir(parents=True, exist_ok=True)
    httpd, origin = serve(www, headers)
    try:
        if under:
            config = textwrap.dedent(config).lstrip("\n") + f"site_url: {origin}/{under}/\n"
        cfg = write_site(root, pages, config)
        for name, content in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        site_dir = www / under if under else www
        result = mkdocs_build(cfg, site_dir)
        assert result.returncode == 0, result.stderr
        yield Server(f"{origin}/{under}" if under else origin, site_dir)
    finally:
        httpd.shutdown()


def npy(array: np.ndarray) -> bytes:
    """``array`` as the bytes of a ``.npy`` file."""
    out = io.BytesIO()
    np.save(out, array)
    return out.getvalue()


def npz(**arrays: np.ndarray) -> bytes:
    """``arrays`` as the bytes of a ``.npz`` file."""
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


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
    page.on(
        "console",
        lambda m: w.errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None,
    )
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
