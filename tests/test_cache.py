"""The build cache: entries written whole by builds sharing the folder, memory bounded by bytes."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import numpy as np

from mkdocs_attention.attention import Attention
from mkdocs_attention.bounded_lru import BoundedLRU
from mkdocs_attention.cache import Cache


def entry(n: int = 4) -> Attention:
    w = np.full((1, 2, n, n), 1 / n)
    return Attention(tokens=tuple(f"t{i}" for i in range(n)), weights=w, head_names=("a", "b"))


def _write_many(folder: str) -> None:
    cache = Cache(Path(folder))
    for _ in range(200):
        cache.put("same-key", entry(), {"model": "m"})


def test_builds_sharing_the_folder_never_lose_an_entry(tmp_path: Path) -> None:
    # Two processes write the same entry 200 times each, as two builds of one site would.
    procs = [multiprocessing.Process(target=_write_many, args=(str(tmp_path),)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert [f.name for f in tmp_path.iterdir()] == ["same-key.json"]  # no temporary file left
    data = json.loads((tmp_path / "same-key.json").read_text(encoding="utf-8"))
    assert data["tokens"] == ["t0", "t1", "t2", "t3"]
    hit = Cache(tmp_path).get("same-key")
    assert hit is not None and np.allclose(hit.weights, 0.25, atol=1e-4)


def test_memory_is_bounded_by_bytes() -> None:
    lru: BoundedLRU[str, bytes] = BoundedLRU(100, len)
    for k in "abcd":
        lru.put(k, b"x" * 40)
    assert len(lru) == 2 and lru.bytes == 80 and lru.get("a") is None and lru.get("d") is not None
    lru.put("big", b"x" * 101)  # larger than the bound alone: not kept
    assert lru.get("big") is None and lru.bytes == 80
