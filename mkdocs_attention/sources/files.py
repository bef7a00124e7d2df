"""Attention from a file beside the page: ``.npy``, ``.npz`` or ``.json``.

Shapes (N,N), (H,N,N) or (L,H,N,N). A ``.npz`` holds the weights as ``attention`` (or
``weights``) and, optionally, the tokens as ``tokens``; a ``.json`` is either the nested list
itself or ``{"attention": [...], "tokens": [...]}``. Paths are relative to the Markdown file
and may not leave the docs directory.
"""

from __future__ import annotations

import json
import zipfile
from math import prod
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..attention import Attention
from ..errors import AttentionError, shown
from ..limits import check_stack_shape, check_token_count
from ..spec import check_token
from .checks import check_weights
from .env import LoadEnv

ARRAY_NAMES = ("attention", "weights")


def resolve(name: str, env: LoadEnv) -> Path:
    """The file's real path: a regular file inside the docs directory, within the size limit."""
    try:
        base = env.base_dir.resolve()
        path = (base / name).resolve()
        root = env.docs_dir.resolve()
        inside = path.is_relative_to(root)
        regular = inside and path.is_file()
        size = path.stat().st_size if regular else 0
    except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL, a name too long
        raise AttentionError(f"file {shown(name)} cannot be read: {_why(exc)}") from None
    if not inside:
        raise AttentionError(f"file {shown(name)} is outside the docs directory; "
                             f"keep data files in {root.name}/")
    if not regular:
        what = "is not a regular file" if path.exists() else "does not exist"
        raise AttentionError(f"file {shown(name)} {what} (looked for {path.relative_to(root)} "
                             "in the docs directory; paths are relative to the Markdown file)")
    if size > env.max_file_bytes:
        raise AttentionError(f"file {shown(name)} is {size / 1e6:.1f} MB, more than the limit of "
                             f"{env.max_file_bytes / 1e6:.0f} MB")
    return path


def _why(exc: Exception) -> str:
    """What went wrong with a path, in words that name no folder of the machine."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return "a symlink loop" if isinstance(exc, RuntimeError) else str(exc)


_HEADERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def _npy_header(fp: IO[bytes], name: str, max_bytes: int) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and type of the ``.npy`` data at ``fp`` (read up to its data), refused when the data
    would be larger than ``max_bytes``."""
    read_header = _HEADERS.get(np.lib.format.read_magic(fp))
    if read_header is None:
        raise AttentionError(f"file {shown(name)}: a .npy format version this reader does not take")
    shape, _, dtype = read_header(fp)
    if prod(shape) * dtype.itemsize > max_bytes:
        raise AttentionError(f"file {shown(name)} holds an array of shape {shape} "
                             f"({prod(shape) * dtype.itemsize / 1e6:,.0f} MB), more than the limit of "
                             f"{max_bytes / 1e6:.0f} MB")
    return shape, dtype


def _numbers(dtype: np.dtype, name: str) -> None:
    """Weights are real numbers (booleans and integers read as such)."""
    if dtype.hasobject or dtype.kind not in "biuf":
        raise AttentionError(f"file {shown(name)} holds {dtype} values, not real numbers")


def _npy(path: Path, name: str, env: LoadEnv) -> np.ndarray:
    with path.open("rb") as fp:
        shape, dtype = _npy_header(fp, name, env.max_file_bytes)
        _numbers(dtype, name)
        if prod(shape) * dtype.itemsize > path.stat().st_size - fp.tell():
            raise AttentionError(f"file {shown(name)} is shorter than its header says (shape {shape})")
        _check_shape(shape, f"file {shown(name)}", env)
        fp.seek(0)
        return np.lib.format.read_array(fp, allow_pickle=False)


def _npz(path: Path, name: str, env: LoadEnv) -> tuple[np.ndarray, list[str] | None]:
    with zipfile.ZipFile(path) as z:
        members = {m.removesuffix(".npy"): m for m in z.namelist()}
        key = next((k for k in ARRAY_NAMES if k in members), None)
        if key is None:
            raise AttentionError(f"file {shown(name)} has no array named 'attention' or 'weights' "
                                 f"(it has: {shown(', '.join(sorted(members))) if members else 'nothing'})")
        with z.open(members[key]) as fp:
            shape, dtype = _npy_header(fp, name, env.max_file_bytes)  # its size once inflated
            _numbers(dtype, name)
            _check_shape(shape, f"file {shown(name)}", env)
            fp.seek(0)
            weights = np.lib.format.read_array(fp, allow_pickle=False)
        if "tokens" not in members:
            return weights, None
        with z.open(members["tokens"]) as fp:
            shape, dtype = _npy_header(fp, name, env.max_file_bytes)
            if dtype.kind != "U" or len(shape) != 1:
                raise AttentionError(f"file {shown(name)}: 'tokens' must be a list of strings "
                                     f"(a 1-D array of str), not {dtype} of shape {shape}")
            check_token_count(shape[0], env.max_tokens, f"file {shown(name)}: ")
            fp.seek(0)
            return weights, np.lib.format.read_array(fp, allow_pickle=False).tolist()


def _json(path: Path, name: str) -> tuple[Any, list[str] | None]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return data, None
    key = next((k for k in ARRAY_NAMES if k in data), None)
    if key is None:
        raise AttentionError(f"file {shown(name)}: a JSON object needs an 'attention' list")
    tokens = data.get("tokens")
    if tokens is not None and not isinstance(tokens, list):
        raise AttentionError(f"file {shown(name)}: 'tokens' must be a list of strings")
    return data[key], tokens


def _read(path: Path, name: str, env: LoadEnv) -> tuple[Any, list[str] | None]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".npy":
            return _npy(path, name, env), None
        if suffix == ".npz":
            return _npz(path, name, env)
        if suffix == ".json":
            return _json(path, name)
    except AttentionError:
        raise
    except RecursionError:
        raise AttentionError(f"file {shown(name)} is nested too deeply to read") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise AttentionError(f"file {shown(name)} cannot be read: {_why(exc)}") from None
    raise AttentionError(f"file {shown(name)}: use a .npy, .npz or .json file, "
                         f"not {suffix or 'no extension'}")


def _check_shape(shape: tuple[int, ...], what: str, env: LoadEnv) -> None:
    """A stack of square matrices of at most four dimensions, within the limits."""
    if len(shape) not in (2, 3, 4):
        raise AttentionError(f"{what} has shape {shape}; use (N, N), (heads, N, N) or "
                             "(layers, heads, N, N)")
    if shape[-1] != shape[-2]:
        raise AttentionError(f"{what} has shape {shape}: the last two sizes must be equal "
                             "(queries × keys)")
    if 0 in shape:
        raise AttentionError(f"{what} has shape {shape}: it holds no weights")
    check_stack_shape((1,) * (4 - len(shape)) + tuple(shape), what, env.max_tokens)


def _as_stack(raw: Any, what: str, env: LoadEnv) -> np.ndarray:
    if isinstance(raw, np.ndarray) and raw.dtype.kind == "U":
        raise AttentionError(f"{what}: the attention is text, not numbers")
    try:
        arr = np.asarray(raw, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        raise AttentionError(f"{what}: the attention is not a regular array of numbers "
                             "(ragged rows or non-numbers)") from None
    _check_shape(arr.shape, what, env)
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
    raw, file_tokens = _read(path, name, env)
    return from_stack(raw, f"file {shown(name)}", tokens, env, own_tokens=file_tokens, layers=layers,
                      heads=heads, causal=causal, normalize=normalize)


def from_stack(raw: Any, what: str, tokens: tuple[str, ...], env: LoadEnv, *,
               own_tokens: list[str] | None = None, layers: tuple[int, ...] | None,
               heads: tuple[int, ...] | None, causal: bool, normalize: bool) -> Attention:
    """Attention from an array of (N, N), (heads, N, N) or (layers, heads, N, N) weights (a data
    file's, or a notebook's ``attentions``), named ``what`` in messages; ``own_tokens`` are the
    tokens that came with it, if any."""
    stack = _as_stack(raw, what, env)
    n = stack.shape[-1]
    for i, tok in enumerate(own_tokens or ()):
        check_token(tok, f"{what}: token {i + 1}")
    if tokens and own_tokens and len(own_tokens) != len(tokens):
        raise AttentionError(f"the fence gives {len(tokens)} tokens but {what} has {len(own_tokens)}")
    tokens = tokens or tuple(own_tokens or ())
    if not tokens:
        raise AttentionError(f"{what} has no tokens: add 'tokens: [...]' or 'text: ...' to the fence")
    if len(tokens) != n:
        raise AttentionError(f"{what} is {n}×{n} but there are {len(tokens)} tokens")
    chosen, layer_names, head_names = select(stack, layers, heads, what)
    checked = check_weights(what, tokens, chosen, causal=causal, normalize=normalize)
    return Attention(tokens=tokens, weights=checked, head_names=head_names, layer_names=layer_names)
