"""Math renderers that scan the whole page, as Material documents them, beside figures whose tokens,
title and caption hold TeX-like text. KaTeX and MathJax are the npm packages (``npm ci`` in
``tests/browser``), served from the site itself: no CDN.

The figure is plain text: its title, caption, tokens and scores are never typeset, so the picture,
the score list and the table always show what the fence says. KaTeX's auto-render needs
``ignoredClasses: ["attn"]`` for that (its default skips no class); Material's MathJax set-up
only typesets ``.arithmatex`` and so skips figures as it is."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import mkdocs_build, write_site

from .conftest import serving

pytestmark = pytest.mark.browser

NODE_MODULES = Path(__file__).parent / "node_modules"
TOKENS = ["$x_1$", "$$", "\\(a\\)", "b"]
TITLE = "Where $x_1$ looks"
CAPTION = "Weights of $x_1$ and \\(y\\)."
PAGE = f"""
# Math

The prose has math: $x^2 + y^2$.

```attention
title: {json.dumps(TITLE)}
caption: {json.dumps(CAPTION)}
tokens: {json.dumps(TOKENS)}
weights: [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.2, 0.3, 0.5, 0], [0.1, 0.2, 0.3, 0.4]]
```
"""
CONFIG = """
site_name: Math
theme:
  name: material
  font: false
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.arithmatex:
      generic: true
plugins: [attention]
extra_javascript: {scripts}
extra_css: {styles}
"""
#: Material's documented KaTeX set-up, with the one line our docs add (``ignoredClasses``).
KATEX_JS = """
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$",  right: "$$",  display: true },
      { left: "$",   right: "$",   display: false },
      { left: "\\\\(", right: "\\\\)", display: false },
      { left: "\\\\[", right: "\\\\]", display: true }
    ],%s
  })
})
"""
#: Material's documented MathJax set-up, as it is.
MATHJAX_JS = """
window.MathJax = {
  tex: {
    inlineMath: [["\\\\(", "\\\\)"]],
    displayMath: [["\\\\[", "\\\\]"]],
    processEscapes: true,
    processEnvironments: true
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex"
  }
};
document$.subscribe(() => {
  MathJax.typesetPromise()
})
"""


def _site(root: Path, renderer: str, ignored: bool = True) -> Path:
    docs = root / "docs"
    if renderer == "katex":
        scripts = ["javascripts/katex.js", "katex/katex.min.js", "katex/contrib/auto-render.min.js"]
        styles = ["katex/katex.min.css"]
        option = '\n    ignoredClasses: ["attn"],' if ignored else ""
        config = write_site(root, {"index.md": PAGE}, CONFIG.format(scripts=scripts, styles=styles))
        shutil.copytree(
            NODE_MODULES / "katex" / "dist", docs / "katex", ignore=shutil.ignore_patterns("*.md")
        )
        (docs / "javascripts").mkdir()
        (docs / "javascripts" / "katex.js").write_text(KATEX_JS % option)
    else:
        scripts = ["javascripts/mathjax.js", "mathjax/tex-mml-chtml.js"]
        config = write_site(root, {"index.md": PAGE}, CONFIG.format(scripts=scripts, styles=[]))
        es5 = NODE_MODULES / "mathjax" / "es5"
        (docs / "mathjax").mkdir()
        shutil.copy(es5 / "tex-mml-chtml.js", docs / "mathjax")
        shutil.copytree(es5 / "output" / "chtml" / "fonts", docs / "mathjax" / "output" / "chtml" / "fonts")
        (docs / "javascripts").mkdir()
        (docs / "javascripts" / "mathjax.js").write_text(MATHJAX_JS)
    result = mkdocs_build(config, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if not (NODE_MODULES / "katex").is_dir() or not (NODE_MODULES / "mathjax").is_dir():
        pytest.fail("KaTeX and MathJax come from npm: run `make test-deps` (npm ci in tests/browser)")
    sites = {
        name: _site(tmp_path_factory.mktemp(name), renderer, ignored)
        for name, renderer, ignored in [
            ("katex", "katex", True),
            ("katex-bare", "katex", False),
            ("mathjax", "mathjax", True),
        ]
    }
    with serving(sites) as servers:
        yield {name: server.url for name, server in servers.items()}


def _typeset(w: object, url: str, marker: str) -> dict:
    """Open the page, wait until the prose math is typeset, and read back the figure's text."""
    page = w.page
    page.goto(url + "/")
    page.wait_for_selector(f"article {marker}", state="attached", timeout=15000)
    page.wait_for_selector("figure.attn.attn-ready", state="attached")
    return page.evaluate("""() => {
      const fig = document.querySelector('figure.attn');
      return {
        tokens: [...fig.querySelectorAll('.attn-tokens .attn-token-text')].map(t => t.textContent),
        typeset: fig.querySelectorAll('.katex, mjx-container').length,
        title: fig.querySelector('.attn-title').textContent,
        caption: fig.querySelector('.attn-caption').textContent,
        cells: [...fig.querySelectorAll('.attn-table th[scope=col]')].map(t => t.textContent),
      };
    }""")


@pytest.mark.parametrize("name, marker", [("katex", ".katex"), ("mathjax", "mjx-container")])
def test_math_renderers_leave_the_figure_as_written(
    sites: dict[str, str], new_page: object, name: str, marker: str
) -> None:
    w = new_page(sites[name])
    seen = _typeset(w, sites[name], marker)
    assert seen["typeset"] == 0
    assert seen["tokens"] == TOKENS
    assert seen["cells"] == TOKENS
    assert (seen["title"], seen["caption"]) == (TITLE, CAPTION)
    # The widget reads the same tokens: pinning the last one lists them all as written.
    w.page.locator("figure.attn .attn-tokens .attn-token[data-index='3']").click()
    listed = w.page.locator("figure.attn .attn-scores li").all_inner_texts()
    assert len(listed) == len(TOKENS)
    assert all(any(text.startswith(tok) for tok in TOKENS) for text in listed), listed


def test_katex_without_the_documented_option_rewrites_the_figure(
    sites: dict[str, str], new_page: object
) -> None:
    """The control: Material's KaTeX set-up without ``ignoredClasses`` does typeset inside the
    figure (what the troubleshooting page warns about), so the test above can fail."""
    w = new_page(sites["katex-bare"])
    seen = _typeset(w, sites["katex-bare"], ".katex")
    assert seen["typeset"] > 0
    assert seen["tokens"] != TOKENS
