"""MkDocs hook of the build-cost sites (row 1a): the CPU time of the build itself.

From MkDocs' first build event to the end of its last, so it leaves out starting Python,
importing MkDocs, the theme and the plugins, and loading the config: work every variant does
alike, whose noise on a shared machine is most of a whole build's. Written to the file named by
``ATTN_BENCH_PHASE`` (nothing is written without it).
"""

from __future__ import annotations

import os
import time
from typing import Any

from mkdocs.plugins import event_priority

_START: list[float] = []


@event_priority(100)  # before every plugin's
def on_pre_build(config: Any, **kwargs: Any) -> None:
    _START[:] = [time.process_time()]


@event_priority(-100)  # after every plugin's (the search index is written here)
def on_post_build(config: Any, **kwargs: Any) -> None:
    out = os.environ.get("ATTN_BENCH_PHASE")
    if out and _START:
        with open(out, "w", encoding="utf-8") as f:
            f.write(repr(time.process_time() - _START[0]))
