"""A real JupyterLab 4 server on loopback, driven by Chromium: open a notebook, run its cells,
hover a token of the output figure and see its edges. JupyterLab serves everything itself (no
CDN); the figure's script comes inlined in the output."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .reader import HAND, assert_legible, luminance
from .test_notebooks import nbformat
from .test_widget import FOX9, assert_edges_equal_row

pytest.importorskip("jupyterlab", reason="needs the test extra: jupyterlab")

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    root = tmp_path_factory.mktemp("lab")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from mkdocs_attention import show\n"
            f"show(tokens={json.dumps(list(FOX9))}, weights={json.dumps(HAND.tolist())}, title='Hand')"
        )
    ]
    nbformat.write(nb, root / "nb.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / ".jupyter"),
        "JUPYTER_RUNTIME_DIR": str(root / ".run"),
    }
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.skip(f"JupyterLab cannot start here: {server.stderr.read().decode()[-500:]}")
                time.sleep(0.5)
        else:
            pytest.skip("JupyterLab did not answer on loopback within 60 s")
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_running_a_cell_shows_a_working_figure(lab, browser) -> None:
    url, token = lab
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith((url, "data:", "blob:", "ws:", "about:")) else foreign.append(r.url)
        ),
    )
    try:
        page.goto(f"{url}/lab/tree/nb.ipynb?token={token}")
        page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=60000)
        fig = page.locator(".jp-OutputArea figure.attn.attn-ready")
        # A cell run before the kernel's session is connected is not run, and a click while
        # JupyterLab is still laying out (or shows a notification over the cell) may not land:
        # try again until the figure comes.
        for _ in range(6):
            try:
                page.locator(".jp-Notebook .jp-Cell .cm-content").first.click(timeout=10000)
                page.keyboard.press("Shift+Enter")
                fig.wait_for(timeout=10000)
                break
            except Exception:
                continue
        fig.wait_for(timeout=1000)
        fig.locator(".attn-token[data-index='3']").hover()
        assert_edges_equal_row(fig, 3, HAND[3])
        Path(__file__).parent.joinpath("artifacts").mkdir(exist_ok=True)
        fig.screenshot(path=str(Path(__file__).parent / "artifacts" / "jupyterlab.png"))
        light = assert_legible(fig)
        # JupyterLab's dark theme, switched from its menu: the figure takes its colours.
        page.locator(".lm-MenuBar-itemLabel", has_text="Settings").click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).hover()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^JupyterLab Dark$")).click()
        page.wait_for_function("document.body.dataset.jpThemeLight === 'false'")
        fig.locator(".attn-token[data-index='3']").click()
        page.mouse.move(1, 1)
        dark = assert_legible(fig)
        assert luminance(light["base"]) > 0.9 and luminance(dark["base"]) < 0.05
        assert not foreign, foreign
    finally:
        context.close()
