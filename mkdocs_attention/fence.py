"""Deprecated path of the SuperFences validator and formatter, kept for existing ``mkdocs.yml``
files: use ``mkdocs_attention.hosts.superfences``."""

from .hosts.superfences import formatter, validator

__all__ = ["formatter", "validator"]
