"""Defaults every host shares: those an author may change (the largest data file, the build
cache's folder; the token limit is ``limits.MAX_TOKENS``) and fixed ones (where a site serves the
widget's files, the logger)."""

from __future__ import annotations

import logging

#: Largest data file a fence may read, in megabytes (``max_file_mb``).
MAX_FILE_MB = 50.0
#: Folder, beside the site's configuration, for computed model attention (``cache_dir``).
CACHE_DIR = ".attention-cache"
#: Where a site serves the widget's files: the MkDocs plugin, and ``mkdocs-attention assets``.
ASSET_DIR = "assets/mkdocs-attention"
#: The logger of the build's messages: under ``mkdocs.plugins``, so MkDocs and Zensical show
#: them (and ``--strict`` counts its warnings).
log = logging.getLogger("mkdocs.plugins.attention")


def file_bytes(megabytes: float) -> int:
    """``max_file_mb`` as bytes."""
    return int(megabytes * 1e6)
