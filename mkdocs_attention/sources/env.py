"""Where a fence's sources may look: its page's folder, the docs folder, the build cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..limits import MAX_TOKENS
from ..settings import MAX_FILE_MB, file_bytes

if TYPE_CHECKING:
    from ..cache import Cache


@dataclass(frozen=True)
class LoadEnv:
    """Set per page by the glue; the defaults suit bare Python-Markdown in the current folder."""

    base_dir: Path = Path()
    docs_dir: Path = Path()
    project_dir: Path = Path()  # the folder of mkdocs.yml: local model paths start here
    max_tokens: int = MAX_TOKENS
    max_file_bytes: int = file_bytes(MAX_FILE_MB)
    cache: Cache | None = None
    where: str = ""  # "docs/page.md:12", for progress messages
