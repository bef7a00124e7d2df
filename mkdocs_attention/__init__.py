"""mkdocs-attention: interactive self-attention diagrams from fenced blocks, built offline.

Public API: the ``attention`` MkDocs plugin, the ``attention`` Markdown extension, the
SuperFences ``validator``/``formatter`` in ``mkdocs_attention.fence``, and for scripting
``parse_fence`` → ``load`` → ``render_figure``.
"""

from .errors import AttentionError
from .render import render_figure
from .sources import load
from .spec import Spec, parse_fence

__version__ = "0.1.0"
__all__ = ["AttentionError", "Spec", "__version__", "load", "parse_fence", "render_figure"]
