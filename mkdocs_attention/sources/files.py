"""Attention from a file beside the page: ``.npy``, ``.npz`` or ``.json``.

Shapes (N,N), (H,N,N) or (L,H,N,N), or M×N in place of N×N for cross-attention (queries ×
keys). A ``.npz`` holds the weights as ``attention`` (or ``weights``) and, optionally, the tokens
as ``tokens`` and the keys' tokens as ``key_tokens``; a ``.json`` is either the nested list itself
or ``{"attention": [...], "tokens": [...], "key_tokens": [...]}``. Paths are relative to the
Markdown file and may not leave the docs directory.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, replace
from math import prod
from pathlib import Path
from typing import IO, Any, Protocol, cast

import numpy as np

from ..attention import Attention
from ..errors import AttentionError, shown
from ..limits import check_figure_weights, check_layers_heads, check_token_count
from ..spec import check_token
from .checks import check_weights
from .env import LoadEnv
from .written import MAX_NEXT, NPZ_MEMBERS, from_npz_members, generation_from

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
        raise AttentionError(
            f"file {shown(name)} is outside the docs directory; keep data files in {root.name}/"
        )
    if not regular:
        what = "is not a regular file" if path.exists() else "does not exist"
        raise AttentionError(
            f"file {shown(name)} {what} (looked for {path.relative_to(root)} "
            "in the docs directory; paths are relative to the Markdown file)"
        )
    if size > env.max_file_bytes:
        raise AttentionError(
            f"file {shown(name)} is {size / 1e6:.1f} MB, more than the limit of "
            f"{env.max_file_bytes / 1e6:.0f} MB"
        )
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
        raise AttentionError(
            f"file {shown(name)} holds an array of shape {shape} "
            f"({prod(shape) * dtype.itemsize / 1e6:,.0f} MB), more than the limit of "
            f"{max_bytes / 1e6:.0f} MB"
        )
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


#: A file's own token lists: "tokens" (the queries') and "key_tokens", as it has them; and a
#: model's writing, "generation" (``written``).
Named = dict[str, Any]
TOKEN_NAMES = ("tokens", "key_tokens")


def _npz(path: Path, name: str, env: LoadEnv) -> tuple[np.ndarray, Named]:
    with zipfile.ZipFile(path) as z:
        members = {m.removesuffix(".npy"): m for m in z.namelist()}
        key = next((k for k in ARRAY_NAMES if k in members), None)
        if key is None:
            raise AttentionError(
                f"file {shown(name)} has no array named 'attention' or 'weights' "
                f"(it has: {shown(', '.join(sorted(members))) if members else 'nothing'})"
            )
        with z.open(members[key]) as fp:
            shape, dtype = _npy_header(fp, name, env.max_file_bytes)  # its size once inflated
            _numbers(dtype, name)
            _check_shape(shape, f"file {shown(name)}", env)
            fp.seek(0)
            weights = np.lib.format.read_array(fp, allow_pickle=False)
        named: Named = {}
        for list_name in TOKEN_NAMES:
            if list_name not in members:
                continue
            with z.open(members[list_name]) as fp:
                shape, dtype = _npy_header(fp, name, env.max_file_bytes)
                if dtype.kind != "U" or len(shape) != 1:
                    raise AttentionError(
                        f"file {shown(name)}: {shown(list_name)} must be a list of "
                        f"strings (a 1-D array of str), not {dtype} of shape {shape}"
                    )
                check_token_count(shape[0], env.max_tokens, f"file {shown(name)}: ")
                fp.seek(0)
                named[list_name] = np.lib.format.read_array(fp, allow_pickle=False).tolist()
        if "prompt" in members:
            arrays = {}
            for member in NPZ_MEMBERS:
                if member not in members:
                    raise AttentionError(
                        f"file {shown(name)}: a model's writing needs {', '.join(NPZ_MEMBERS)}"
                    )
                with z.open(members[member]) as fp:
                    shape, dtype = _npy_header(fp, name, env.max_file_bytes)
                    if prod(shape) > MAX_NEXT * (env.max_tokens + 1):
                        raise AttentionError(f"file {shown(name)}: {shown(member)} is far too large, {shape}")
                    fp.seek(0)
                    arrays[member] = np.lib.format.read_array(fp, allow_pickle=False)
            try:
                named["generation"] = from_npz_members(arrays)
            except AttentionError as exc:
                raise AttentionError(f"file {shown(name)}: {exc.message}") from None
        return weights, named


def _json(path: Path, name: str) -> tuple[Any, Named]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        return data, {}
    key = next((k for k in ARRAY_NAMES if k in data), None)
    if key is None:
        raise AttentionError(f"file {shown(name)}: a JSON object needs an 'attention' list")
    named: Named = {}
    for list_name in TOKEN_NAMES:
        tokens = data.get(list_name)
        if tokens is not None and not isinstance(tokens, list):
            raise AttentionError(f"file {shown(name)}: {shown(list_name)} must be a list of strings")
        if tokens is not None:
            named[list_name] = tokens
    if "generation" in data:
        named["generation"] = data["generation"]
    return data[key], named


def _read(path: Path, name: str, env: LoadEnv) -> tuple[Any, Named]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".npy":
            return _npy(path, name, env), {}
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
    raise AttentionError(
        f"file {shown(name)}: use a .npy, .npz or .json file, not {suffix or 'no extension'}"
    )


def _check_shape(shape: tuple[int, ...], what: str, env: LoadEnv) -> None:
    """A stack of matrices of at most four dimensions, of at most ``max_tokens`` tokens a side
    (square or not: that is checked against the tokens). How many layers and heads it may show
    is checked once they are chosen (``select``)."""
    if len(shape) not in (2, 3, 4):
        raise AttentionError(f"{what} has shape {shape}; use (N, N), (heads, N, N) or (layers, heads, N, N)")
    if 0 in shape:
        raise AttentionError(f"{what} has shape {shape}: it holds no weights")
    check_token_count(max(shape[-2:]), env.max_tokens, f"{what}: ")


class Stack(Protocol):
    """Weights not read yet: their ``(layers, heads, M, N)`` shape, and the chosen layers and
    heads as float64, copied only then (a notebook's arrays and tensors are this)."""

    @property
    def shape(self) -> tuple[int, int, int, int]: ...

    def pick(self, layers: list[int], heads: list[int]) -> np.ndarray: ...


@dataclass(frozen=True)
class ArrayStack:
    """A ``Stack`` of a numpy array of real numbers, of 2 to 4 dimensions (not copied)."""

    array: np.ndarray

    @property
    def shape(self) -> tuple[int, int, int, int]:
        lead = (1,) * (4 - self.array.ndim)
        return cast("tuple[int, int, int, int]", lead + self.array.shape)

    def pick(self, layers: list[int], heads: list[int]) -> np.ndarray:
        stack = self.array.reshape(self.shape)  # leading axes of one: a view
        return np.asarray(stack[np.ix_(layers, heads)], dtype=np.float64)


def _as_stack(raw: Any, what: str, env: LoadEnv) -> Stack:
    """``raw`` (a ``Stack``, a numpy array, or nested lists) as a ``Stack`` of checked shape."""
    if hasattr(raw, "pick"):
        _check_shape(raw.shape, what, env)
        return cast(Stack, raw)
    if isinstance(raw, np.ndarray) and raw.dtype.kind not in "biuf":
        kind = {"U": "text", "S": "text", "c": "complex numbers"}.get(raw.dtype.kind, f"{raw.dtype} values")
        raise AttentionError(f"{what}: the attention is {kind}, not real numbers")
    try:
        array = raw if isinstance(raw, np.ndarray) else np.asarray(raw, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        raise AttentionError(
            f"{what}: the attention is not a regular array of numbers (ragged rows or non-numbers)"
        ) from None
    _check_shape(array.shape, what, env)
    return ArrayStack(array)


def select(
    stack: Stack | np.ndarray, layers: tuple[int, ...] | None, heads: tuple[int, ...] | None, what: str
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...]]:
    """Pick layers and heads (0-based, as in the source); names keep the source's indices. How
    many may be shown, and how many weights, is checked before anything is copied."""
    if isinstance(stack, np.ndarray):
        stack = ArrayStack(stack)
    n_layers, n_heads, m, n = stack.shape
    for key, chosen, count in (("layer", layers, n_layers), ("head", heads, n_heads)):
        for i in chosen or ():
            if i >= count:
                raise AttentionError(f"{key} {i} does not exist: {what} has {count} {key}s (0–{count - 1})")
    li = list(layers) if layers is not None else list(range(n_layers))
    hi = list(heads) if heads is not None else list(range(n_heads))
    check_layers_heads((len(li), len(hi)), (n_layers, n_heads), what)
    check_figure_weights((len(li), len(hi), m, n), what)
    return (stack.pick(li, hi), tuple(f"Layer {i}" for i in li), tuple(f"Head {i}" for i in hi))


def from_file(
    name: str,
    tokens: tuple[str, ...],
    env: LoadEnv,
    *,
    layers: tuple[int, ...] | None,
    heads: tuple[int, ...] | None,
    causal: bool,
    normalize: bool,
    key_tokens: tuple[str, ...] | None = None,
) -> Attention:
    path = resolve(name, env)
    raw, named = _read(path, name, env)
    writing = named.get("generation")
    attention = from_stack(
        raw,
        f"file {shown(name)}",
        tokens,
        env,
        own_tokens=named.get("tokens"),
        key_tokens=key_tokens,
        own_key_tokens=named.get("key_tokens"),
        layers=layers,
        heads=heads,
        causal=causal or writing is not None,  # a model writes left to right
        normalize=normalize,
    )
    if writing is None:
        return attention
    if attention.cross:
        raise AttentionError(f"file {shown(name)}: a model's writing is self-attention, not key tokens")
    return replace(attention, generation=generation_from(writing, f"file {shown(name)}", attention.n))


def _tokens_of(
    what: str, given: tuple[str, ...] | None, own: list[str] | None, kind: str
) -> tuple[str, ...] | None:
    """The tokens of one side: the fence's (``given``), else the source's own (``own``); both
    given must agree in number. ``kind``: "tokens" or "key_tokens"."""
    for i, tok in enumerate(own or ()):
        check_token(tok, f"{what}: {'token' if kind == 'tokens' else 'key token'} {i + 1}")
    if given and own is not None and len(own) != len(given):
        raise AttentionError(
            f"the fence gives {len(given)} {kind.replace('_', ' ')} but {what} has {len(own)}"
        )
    return given or (tuple(own) if own is not None else None)


def from_stack(
    raw: Any,
    what: str,
    tokens: tuple[str, ...],
    env: LoadEnv,
    *,
    own_tokens: list[str] | None = None,
    key_tokens: tuple[str, ...] | None = None,
    own_key_tokens: list[str] | None = None,
    layers: tuple[int, ...] | None,
    heads: tuple[int, ...] | None,
    causal: bool,
    normalize: bool,
) -> Attention:
    """Attention from an array of (N, N), (heads, N, N) or (layers, heads, N, N) weights (M×N
    with key tokens: cross-attention), a data file's or a notebook's ``attentions``, named
    ``what`` in messages; ``own_tokens`` and ``own_key_tokens`` came with it, if any."""
    stack = _as_stack(raw, what, env)
    m, n = stack.shape[2:]
    queries = _tokens_of(what, tokens, own_tokens, "tokens")
    keys = _tokens_of(what, key_tokens, own_key_tokens, "key_tokens")
    if keys is None and m != n:
        raise AttentionError(
            f"{what} is {m}×{n}: queries × keys of different lengths need the "
            "keys' tokens ('key_tokens: [...]' in the fence or the file)"
        )
    if not queries:
        raise AttentionError(f"{what} has no tokens: add 'tokens: [...]' or 'text: ...' to the fence")
    if (m, n) != (len(queries), len(keys or queries)):
        sides = f"{len(queries)} tokens" + (f" and {len(keys)} key tokens" if keys is not None else "")
        raise AttentionError(f"{what} is {m}×{n} but there are {sides}")
    if keys is not None and causal:
        raise AttentionError(
            "'causal' masks the keys after each query: it needs the queries' own "
            "tokens as keys, not key tokens"
        )
    chosen, layer_names, head_names = select(stack, layers, heads, what)
    checked = check_weights(what, queries, chosen, causal=causal, normalize=normalize)
    return Attention(
        tokens=queries, weights=checked, head_names=head_names, layer_names=layer_names, key_tokens=keys
    )
