"""The Sphinx extension, by the name ``conf.py`` lists: ``extensions = ["mkdocs_attention.sphinx"]``
(see ``hosts/sphinx_extension.py``)."""

from .hosts.sphinx_extension import setup

__all__ = ["setup"]
