"""The example course built by Sphinx (Furo theme, MyST) from the very pages MkDocs builds:
``make demo-sphinx``, or ``sphinx-build -c example_site/sphinx example_site/docs OUT``.

The pages are MkDocs pages. Their ``attention`` fences are MyST fences unchanged; two things
MkDocs has and MyST has not are supplied here: the navigation (``nav`` in ``mkdocs.yml``, a
hidden toctree here) and Material's ``!!! tip "Title"`` admonitions (MyST writes
``:::{tip} Title``).
"""

import re
from pathlib import Path

import yaml

project = "Transformers, gently"
extensions = ["myst_parser", "mkdocs_attention.sphinx"]
myst_enable_extensions = ["colon_fence"]
# Links to a section ("heads.md#induction-in-a-model-trained-here") as MkDocs makes them.
myst_heading_anchors = 3
html_theme = "furo"
html_title = project
exclude_patterns = ["site"]
# The course's model folder and build cache are MkDocs' (beside mkdocs.yml): one cache for both.
attention_project_dir = ".."
attention_cache_dir = "../.attention-cache"

_NAV = yaml.safe_load((Path(__file__).parent.parent / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
_PAGES = [next(iter(item.values())).removesuffix(".md") for item in _NAV][1:]
_ADMONITION = re.compile(r'^!!! (\w+) "([^"]*)"\n((?:    .*\n|\n)+)', re.M)


def _as_myst(app, docname, source):
    text = _ADMONITION.sub(
        lambda m: f":::{{{m[1]}}} {m[2]}\n" + re.sub(r"^    ", "", m[3], flags=re.M).rstrip("\n") + "\n:::\n",
        source[0],
    )
    if docname == "index":
        text += "\n```{toctree}\n:hidden:\n\n" + "\n".join(_PAGES) + "\n```\n"
    source[0] = text


def setup(app):
    app.connect("source-read", _as_myst)
