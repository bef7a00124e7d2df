"""The build cache: computed attention stored as small JSON files, meant to be committed.

A site whose fences run a Hugging Face model then builds where torch and transformers are not
installed (GitHub Pages CI), and ``mkdocs serve`` rebuilds are instant. An entry's name is a
hash of everything that determines it, so a changed fence simply misses.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from .attention import Attention, Generation, ValueNorms
from .bounded_lru import BoundedLRU
from .codec import decode_norms, decode_weights, encode_logits, encode_weights

FORMAT = 1


def cache_key(fields: dict[str, Any]) -> str:
    """A stable name for an entry: sha256 of the canonical JSON of ``fields``."""
    text = json.dumps({"format": FORMAT, **fields}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Cache:
    """A folder of ``<key>.json`` entries; reads are memoised for the life of the build."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: Entries read or written in this process, up to 256 MB of weights.
        self._memo: BoundedLRU[str, Attention] = BoundedLRU(256_000_000, lambda a: a.weights.nbytes)
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Attention | None:
        known = self._memo.get(key)
        if known is not None:
            self.hits += 1
            return known
        path = self.folder / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            keys = data.get("key_tokens")  # cross-attention's (M×N) only
            shape = (
                len(data["layers"]),
                len(data["heads"]),
                len(data["tokens"]),
                len(data["tokens"] if keys is None else keys),
            )
            att = Attention(
                tokens=tuple(data["tokens"]),
                weights=decode_weights(data["w"], shape),
                head_names=tuple(data["heads"]),
                layer_names=tuple(data["layers"]),
                note=data.get("note"),
                rollout=bool(data.get("whole_model", False)),
                key_tokens=None if keys is None else tuple(keys),
                generation=_generation(data.get("generation")),
            )
            if "value_norms" in data:  # "w" is then the attention α, and the weights come from both
                together = data.get("value_together")  # "Heads together": (L, M, N)
                values = ValueNorms(
                    att.weights,
                    decode_norms(data["value_norms"], shape),
                    None if together is None else decode_weights(together, (shape[0], *shape[2:])),
                )
                att = replace(att, weights=values.weights(), values=values)
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self._memo.put(key, att)
        self.hits += 1
        return att

    def put(self, key: str, att: Attention, about: dict[str, Any]) -> None:
        """Store an entry (weights quantised exactly as the page payload stores them)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        entry: dict[str, Any] = {
            "about": about,
            "tokens": list(att.tokens),
            "layers": list(att.layer_names),
            "heads": list(att.head_names),
            "note": att.note,
            "enc": "u16le-b64",
            "w": encode_weights(att.weights if att.values is None else att.values.attention),
        }
        if att.values is not None:
            entry["value_norms"] = encode_logits(att.values.norms, "f4")
            if att.values.together is not None:
                entry["value_together"] = encode_weights(att.values.together)
        if att.key_tokens is not None:
            entry["key_tokens"] = list(att.key_tokens)
        if att.rollout:  # the last layer is a whole-model entry the model gave (ALTI)
            entry["whole_model"] = True
        if att.generation is not None:
            entry["generation"] = dataclasses.asdict(att.generation)
        # A temporary file of its own: builds sharing the folder never write the same one.
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=self.folder, prefix=f".{key}.", suffix=".tmp", delete=False
        ) as tmp:
            tmp.write(json.dumps(entry, ensure_ascii=False, sort_keys=True, indent=1) + "\n")
        os.replace(tmp.name, self.folder / f"{key}.json")
        self._memo.put(key, att)


def _generation(data: Any) -> Generation | None:
    """An entry's ``generation`` (a model's writing), as ``Cache.put`` stores it."""
    if data is None:
        return None
    return Generation(
        prompt=int(data["prompt"]),
        top=tuple(tuple((str(t), float(p)) for t, p in step) for step in data["top"]),
        chosen=tuple(float(p) for p in data["chosen"]),
    )


#: The caches of hosts that keep no object of their own across pages (Sphinx, Zensical).
_SHARED: dict[Path, Cache] = {}


def shared_cache(folder: Path) -> Cache:
    """One cache per folder and process (a parallel build's workers each have their own)."""
    if folder not in _SHARED:
        _SHARED[folder] = Cache(folder)
    return _SHARED[folder]
