"""The widget's files in ``assets/``: the core (``attn.js``, ``attn.css``), which every page with
a figure loads, and its parts (``attn-NAME.js``, ``attn-NAME.css``), each loaded only where a
figure uses it. Hosts ship the folder (MkDocs, Sphinx, the ``assets`` command) and list a page's
parts where they can; the core loads any part a page did not list from its own folder, and links
and export at their first use. A notebook inlines the core and the figure's parts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parent / "assets"
JS, CSS = "attn.js", "attn.css"
#: Parts loaded at their first use (a click, a link to a view), not with the page.
ON_USE = ("links", "export")
#: Every file the widget has, the core first: what a host copies.
FILES = (JS, CSS, *sorted(p.name for p in ASSETS.glob("attn-*.*")))


def parts(payload: Mapping[str, Any], *, has_controls: bool, has_long: bool) -> tuple[str, ...]:
    """The parts a figure uses, in the order the core loads them (the payload carries them as
    ``parts``): its view (cross-attention's arcs are two rows over the arcs'
    arrowheads), the tooltip for the matrix or tokens drawn cut short (``has_long``), its controls
    when it has head or layer buttons, one per payload feature, and the stylesheets
    (``NAME.css``) of the tooltip, the matrix, several heads, the overview, the worked math, a
    difference, a model's writing (a value-norm figure's worked math uses the math's)."""
    view = payload.get("view", "arcs")
    out = ["two-rows", "arcs"] if payload.get("key_tokens") and view == "arcs" else [view]
    tip = view == "matrix" or has_long
    if tip:
        out.append("tip")
    if has_controls:
        out.append("controls")
    out += [name for name in ("overview", "math", "sync", "compare", "steps", "weighting") if name in payload]
    if tip:
        out.append("tip.css")
    if view == "matrix":
        out.append("matrix.css")
    if len(payload["heads"]) > 1:
        out.append("heads.css")
    out += [f"{name}.css" for name in ("overview", "math", "compare", "steps") if name in payload]
    if "norms" in payload.get("weighting", {}) and "math" not in payload:  # its worked math is a math table
        out.append("math.css")
    return tuple(out)


def file_of(part: str) -> str:
    """``attn-NAME.js`` of a part, ``attn-NAME.css`` of a stylesheet ``NAME.css``."""
    return f"attn-{part}" if part.endswith(".css") else f"attn-{part}.js"


def page_files(used: Iterable[str]) -> tuple[list[str], list[str]]:
    """The scripts and stylesheets a page of figures using ``used`` (parts) loads after the
    core's, in the core's order: parts first seen first."""
    names = [file_of(p) for p in dict.fromkeys(used)]
    return [n for n in names if n.endswith(".js")], [n for n in names if n.endswith(".css")]


@cache
def widget_text(name: str) -> str:
    """The text of one of ``FILES``, read once per process."""
    return (ASSETS / name).read_text(encoding="utf-8")


def inlined(parts: Iterable[str]) -> tuple[str, str]:
    """The script and the style of the core and ``parts`` (and of the parts loaded at first use:
    an inlined core has no folder to load them from), joined, for a page or notebook output
    that carries the widget itself."""
    scripts, styles = page_files((*parts, *ON_USE))
    return (
        "\n".join(widget_text(n) for n in (JS, *scripts)),
        "\n".join(widget_text(n) for n in (CSS, *styles)),
    )


def dependency_files(parts: Iterable[str]) -> dict[str, list[Any]]:
    """Absolute paths of the core's and ``parts``' files, for a host that copies and links files
    itself (Quarto's HTML dependencies): ``scripts`` and ``stylesheets`` to link, and
    ``resources`` (``{"name", "path"}``), the parts loaded at first use, copied beside them (the
    core loads those from its own folder)."""
    scripts, styles = page_files(parts)
    on_use, _ = page_files(ON_USE)
    return {
        "scripts": [str(ASSETS / n) for n in (JS, *scripts)],
        "stylesheets": [str(ASSETS / n) for n in (CSS, *styles)],
        "resources": [{"name": n, "path": str(ASSETS / n)} for n in on_use if n not in scripts],
    }
