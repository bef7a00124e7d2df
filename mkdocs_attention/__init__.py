"""mkdocs-attention: interactive self-attention diagrams from fenced blocks, built offline.

Public API: the ``attention`` MkDocs plugin and Markdown extension (``mkdocs_attention.hosts``),
the SuperFences ``validator``/``formatter`` in ``mkdocs_attention.hosts.superfences``, the one
call every host makes, ``convert_fence``, ``show`` for notebooks, and for scripting
``parse_fence`` → ``load`` → ``render_figure``.
"""

from .convert import Outcome, Place, convert_fence, figure_id
from .errors import AttentionError
from .hosts.jupyter_display import Figure, show
from .render import render_figure
from .sources import LoadEnv, load
from .spec import OPTIONS, Spec, parse_fence

__version__ = "0.1.0"
__all__ = [
    "OPTIONS",
    "AttentionError",
    "Figure",
    "LoadEnv",
    "Outcome",
    "Place",
    "Spec",
    "__version__",
    "convert_fence",
    "figure_id",
    "load",
    "parse_fence",
    "render_figure",
    "show",
]
