"""Attention from a file beside the page: ``.npy``, ``.npz`` or ``.json``.

Shapes (N,N), (H,N,N) or (L,H,N,N). A ``.npz`` holds the weights as ``attention`` (or
``weights``) and, optionally, the tokens as ``tokens``; a ``.json`` is either the nested list
itself or ``{"attention": [...], "tokens": [...]}``. Paths are relative to the Markdown file
and may not leave the docs directory.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from ..attention import Attention
from ..errors import AttentionError, shown
from ..limits import check_token_count
from .checks import check_weights
from .env import LoadEnv

ARRAY_NAMES = ("attention", "weights")


def resolve(name: str, env: LoadEnv) -> Path:
    """The file's real path, refusing anything outside the docs directory."""
    base = env.base_dir.resolve()
    path = (base / name).resolve()
    root = env.docs_dir.resolve()
    if not path.is_relative_to(root):
        raise AttentionError(f"file {shown(name)} is outside the docs directory; "
                             f"keep data files in {root.name}/")
    if not path.is_file():
        raise AttentionError(f"file {shown(name)} does not exist (looked for {path.relative_to(root)} "
                             "in the docs directory; paths are relative to the Markdown file)")
    size = path.stat().st_size
    if size > env.max_file_bytes:
        raise AttentionError(f"file {shown(name)} is {size / 1e6:.1f} MB, more than the limit of "
                             f"{env.max_file_bytes / 1e6:.0f} MB")
    return path


def _read(path: Path, name: str) -> tuple[Any, list[str] | None]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".npy":
            return np.load(path, allow_pickle=False), None
        if suffix == ".npz":
            with np.load(path, allow_pickle=False) as z:
                key = next((k for k in ARRAY_NAMES if k in z.files), None)
                if key is None:
                    raise AttentionError(f"file {shown(name)} has no array named 'attention' or 'weights' "
                                         f"(it has: {', '.join(z.files) or 'nothing'})")
                tokens = [str(t) for t in z["tokens"].tolist()] if "tokens" in z.files else None
                return z[key], tokens
        if suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                key = next((k for k in ARRAY_NAMES if k in data), None)
                if key is None:
                    raise AttentionError(f"file {shown(name)}: a JSON object needs an 'attention' list")
                tokens = data.get("tokens")
                if tokens is not None and not (isinstance(tokens, list) and
                                               all(isinstance(t, str) and t for t in tokens)):
                    raise AttentionError(f"file {shown(name)}: 'tokens' must be a list of non-empty strings")
                return data[key], tokens
            return data, None
    except AttentionError:
        raise
    except (OSError, ValueError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise AttentionError(f"file {shown(name)} cannot be read: {exc}") from None
    raise AttentionError(f"file {shown(name)}: use a .npy, .npz or .json file, "
                         f"not {suffix or 'no extension'}")


def _as_stack(raw: Any, name: str) -> np.ndarray:
    try:
        arr = np.asarray(raw, dtype=np.float64)
    except (ValueError, TypeError):
        raise AttentionError(f"file {shown(name)}: the attention is not a regular array of numbers "
                             "(ragged rows or non-numbers)") from None
    if arr.ndim not in (2, 3, 4):
        raise AttentionError(f"file {shown(name)} has shape {arr.shape}; use (N, N), (heads, N, N) or "
                             "(layers, heads, N, N)")
    if arr.shape[-1] != arr.shape[-2]:
        raise AttentionError(f"file {shown(name)} has shape {arr.shape}: the last two sizes must be equal "
                             "(queries × keys)")
    return arr.reshape((1,) * (4 - arr.ndim) + arr.shape)


def select(stack: np.ndarray, layers: tuple[int, ...] | None, heads: tuple[int, ...] | None,
           what: str) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...]]:
    """Pick layers and heads (0-based, as in the source); names keep the source's indices."""
    n_layers, n_heads = stack.shape[:2]
    for key, chosen, count in (("layer", layers, n_layers), ("head", heads, n_heads)):
        for i in chosen or ():
            if i >= count:
                raise AttentionError(f"{key} {i} does not exist: {what} has {count} {key}s "
                                     f"(0–{count - 1})")
    li = list(layers) if layers is not None else list(range(n_layers))
    hi = list(heads) if heads is not None else list(range(n_heads))
    return (stack[np.ix_(li, hi)], tuple(f"Layer {i}" for i in li), tuple(f"Head {i}" for i in hi))


def from_file(name: str, tokens: tuple[str, ...], env: LoadEnv, *, layers: tuple[int, ...] | None,
              heads: tuple[int, ...] | None, causal: bool, normalize: bool) -> Attention:
    path = resolve(name, env)
    raw, file_tokens = _read(path, name)
    stack = _as_stack(raw, name)
    n = stack.shape[-1]
    if tokens and file_tokens and len(file_tokens) != len(tokens):
        raise AttentionError(f"the fence gives {len(tokens)} tokens but file {shown(name)} has "
                             f"{len(file_tokens)}")
    tokens = tokens or tuple(file_tokens or ())
    if not tokens:
        raise AttentionError(f"file {shown(name)} has no tokens: add 'tokens: [...]' or 'text: ...' "
                             "to the fence")
    if len(tokens) != n:
        raise AttentionError(f"file {shown(name)} is {n}×{n} but there are {len(tokens)} tokens")
    check_token_count(n, env.max_tokens)
    chosen, layer_names, head_names = select(stack, layers, heads, f"file {shown(name)}")
    checked = check_weights(f"file {shown(name)}", tokens, chosen, causal=causal, normalize=normalize)
    return Attention(tokens=tokens, weights=checked, head_names=head_names, layer_names=layer_names)
