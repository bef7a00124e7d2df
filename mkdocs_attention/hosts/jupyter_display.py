"""The notebook host: ``from mkdocs_attention import show``.

``show(...)`` returns a ``Figure`` whose HTML representation (what Jupyter, VS Code and Colab
display) is the figure with the widget's core and the parts it uses inlined once per output
(links and export too: an inlined core has no folder to load them from): no CDN, no network,
several figures per notebook, and a front-end that refuses scripts (an untrusted notebook)
still shows the static SVG and the table.

Options are the fence's, as keywords; ``show(text)`` and ``show(**options)`` go through the very
call a fence does (``convert_fence`` of the fence ``Figure.fence``), so they give the fence's
bytes; ``show(attentions=…)`` reads its options as a fence with a data file, the array standing
for the file, and joins the fence's way there (``convert_spec``: the same checks, ``compare``,
``rollout``, ``id``). ``attentions`` takes a model's own weights (Hugging Face's tuple of (batch, heads, N, N)
tensors, or arrays of (N, N), (heads, N, N), (layers, heads, N, N)); torch is never imported
here, tensors are read through their own ``detach().cpu()``.
"""

from __future__ import annotations

import hashlib
import html
import operator
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..convert import HASH_ID, Place, convert_fence, convert_spec, figure_id
from ..errors import AttentionError, shown
from ..limits import MAX_FENCE_NUMBERS
from ..sources import LoadEnv
from ..spec import OPTIONS, DataFile, build_spec
from ..widget_files import inlined
from .generate_output import writing_of


class _KernelIds:
    """The figure ids of this kernel's outputs, each with the cell run that took it.

    A notebook is one page: no two outputs may share an id. A cell run again replaces its
    outputs, so the ids its earlier runs took are free again; the front-ends that say which cell
    runs (JupyterLab, Notebook 7, VS Code: ``cellId`` in the request) are followed exactly.
    Without one, an id given again to the very same figure is taken to be such a re-run."""

    def __init__(self) -> None:
        self.owners: dict[str, tuple[str, str]] = {}

    def taken(self, figure: str) -> set[str]:
        """The ids not free for ``figure`` (what makes it: its fence or its data and options)."""
        cell, run = _cell_run()
        if cell:
            self.owners = {i: o for i, o in self.owners.items() if o[0] != cell or o[1] == run}
            return set(self.owners)
        return {i for i, o in self.owners.items() if o != ("", figure)}

    def took(self, fig_id: str | None, figure: str) -> None:
        """``fig_id`` is ``figure``'s now; without a cell id only an id the author gave is
        free for a re-run (a hash id shown again gets a suffix, as on a page)."""
        if fig_id is not None:
            cell, run = _cell_run()
            self.owners[fig_id] = (cell, run) if cell else ("", "" if HASH_ID.fullmatch(fig_id) else figure)


def _cell_run() -> tuple[str, str]:
    """The running cell's id and its request's, when the front-end sends them (else empty)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return "", ""
    get_parent = getattr(getattr(get_ipython(), "kernel", None), "get_parent", None)
    parent = get_parent() if callable(get_parent) else None
    if not isinstance(parent, dict):
        return "", ""
    cell = (parent.get("metadata") or {}).get("cellId")
    return (str(cell), str((parent.get("header") or {}).get("msg_id", ""))) if cell else ("", "")


_IDS = _KernelIds()


@dataclass(frozen=True)
class Figure:
    """A figure as a notebook shows it."""

    #: The ``<figure class="attn">`` alone, as a fence gives it.
    html: str
    #: The Markdown fence that gives this figure in course notes (None for ``attentions``).
    fence: str | None = None
    #: The widget's parts the figure uses (``widget_files.parts``).
    parts: tuple[str, ...] = ()

    def _assets(self) -> tuple[str, str]:
        """The script and the style the figure needs: the core's and its parts', joined."""
        return inlined(self.parts)

    def _repr_html_(self) -> str:
        js, css = self._assets()
        return f"<style>{css}</style>{self.html}<script>{js}</script>"

    def save(self, path: str | Path, title: str | None = None) -> Path:
        """A standalone page (script and style inlined), readable offline; ``title`` is the
        page's (``Attention`` when none is given)."""
        js, css = self._assets()
        name = "Attention" if title is None else str(title)
        page = (
            f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(name)}</title><style>{css}</style></head>"
            f"<body>{self.html}<script>{js}</script></body></html>\n"
        )
        out = Path(path)
        out.write_text(page, encoding="utf-8")
        return out


def show(
    text: str | None = None,
    *,
    attentions: Any = None,
    batch_index: int | None = None,
    generated: Any = None,
    tokenizer: Any = None,
    **options: Any,
) -> Figure:
    """A figure from a sentence (toy model), any fence options as keywords (``tokens=``,
    ``weights=``, ``model=``, ``view=``…), a model's ``attentions`` with its ``tokens``, or a
    model's writing: ``generated=`` the result of its ``generate(..., output_attentions=True,
    output_logits=True, return_dict_in_generate=True)`` with its ``tokenizer``. Option values
    may be numpy or torch values; None is an option not given. Bad input raises
    ``AttentionError`` with the fence's message."""
    env = LoadEnv(base_dir=Path.cwd(), docs_dir=Path.cwd(), project_dir=Path.cwd())
    place = Place("<notebook>", None, env)
    options = {k: _plain(k, v) for k, v in options.items() if v is not None}
    writing = None
    if generated is not None:
        if attentions is not None or tokenizer is None:
            raise AttentionError("give generated= with its tokenizer=, and no attentions=")
        attentions, tokens, writing = writing_of(generated, tokenizer, batch_index)
        batch_index = None
        options.setdefault("tokens", tokens)
    if attentions is None:
        if text is not None and options:
            options = {"text": text, **options}
        body = text if text is not None and not options else _yaml(options)
        taken = _IDS.taken(body)
        outcome = convert_fence(body, {}, place, taken)
        if outcome.error is not None:
            raise AttentionError(outcome.error.message)
        _IDS.took(outcome.id, body)
        return Figure(outcome.html, f"```attention\n{body}\n```\n", outcome.parts)
    if "file" in options:
        raise AttentionError("give either attentions or file, not both")
    stack = as_stack(attentions, batch_index)
    if text is not None:
        options = {"text": text, **options}
    # Read as a fence with a data file is, the array standing for the file: then the fence's way.
    try:
        spec = build_spec({**options, "file": "attentions"}, max_tokens=env.max_tokens)
    except AttentionError as exc:
        raise AttentionError(exc.message) from None
    spec = replace(spec, source=DataFile("generated" if writing else "attentions", stack, writing))
    named = {k: str(v) for k, v in options.items()}
    figure = f"{stack.shape} {named}"  # a re-run of the same call: same shape, same options

    def hashed() -> str:  # of the weights shown (picked by then) and the options
        digest = hashlib.sha256(b"".join(a.tobytes() for a in stack.picked) + repr(stack.shape).encode())
        return figure_id(digest.hexdigest(), named, taken)

    taken = _IDS.taken(figure)
    outcome = convert_spec(spec, place, taken, hashed)
    if outcome.error is not None:
        raise AttentionError(outcome.error.message)
    _IDS.took(outcome.id, figure)
    return Figure(outcome.html, parts=outcome.parts)


def _plain(key: str, value: Any) -> Any:
    """An option's value as a fence would hold it: numpy and torch numbers and arrays as Python
    numbers and lists (at most ``MAX_FENCE_NUMBERS`` of them), tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(f"{key}: {k}", v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(key, v) for v in value]
    if isinstance(value, np.generic) or _is_tensor(value) or isinstance(value, np.ndarray):
        size = value.numel() if _is_tensor(value) else value.size
        if size > MAX_FENCE_NUMBERS:
            raise AttentionError(
                f"{shown(key)} holds {size:,} numbers, more than the {MAX_FENCE_NUMBERS:,} a fence may "
                "hold: give a model's weights as attentions=…"
            )
        return (value.detach().cpu() if _is_tensor(value) else value).tolist()
    if isinstance(value, bool) and key in OPTIONS and OPTIONS[key].text:
        raise AttentionError(f"{shown(key)} must be text, not {value}")
    return value


def _yaml(options: dict[str, Any]) -> str:
    """The fence body for ``options``: one ``key: value`` line each, values in YAML's flow style
    (quoted where needed), which the fence reader reads back as they are."""
    lines = []
    for key, value in options.items():
        try:
            text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=2**31)
        except yaml.YAMLError:
            raise AttentionError(
                f"{shown(key)} cannot be {shown(value)}: give text, numbers, true/false or lists of them"
            ) from None
        lines.append(f"{key}: {text.removesuffix(chr(10)).removesuffix(chr(10) + '...')}")
    return "\n".join(lines)


def _is_tensor(value: Any) -> bool:
    """A torch tensor (torch is never imported here: it is known by its methods)."""
    return hasattr(value, "detach") and hasattr(value, "cpu") and hasattr(value, "numel")


@dataclass(frozen=True)
class GivenStack:
    """A model's attentions as given (numpy arrays or torch tensors, not copied): the
    ``files.Stack`` a figure picks its layers and heads from, one layer at a time."""

    #: Layer ``i`` as an array or tensor of (heads, M, N).
    layer: Callable[[int], Any]
    shape: tuple[int, int, int, int]
    #: Half-precision weights, whose rows sum to 1 only within their rounding.
    half: bool = False
    #: What ``pick`` gave (for the figure's id).
    picked: list[np.ndarray] = field(default_factory=list, compare=False)

    def pick(self, layers: list[int], heads: list[int]) -> np.ndarray:
        out = np.stack([_float64(self.layer(i)[heads]) for i in layers])
        if self.half:
            # A half-precision softmax's rows sum to 1 only within its rounding (bfloat16: ±0.4 %):
            # rows that close to 1 are made to sum to 1; others are left for the check to report.
            sums = out.sum(-1, keepdims=True)
            if np.all(np.abs(sums - 1) < 0.02):
                out = out / sums
        self.picked[:] = [out]
        return out


def as_stack(attentions: Any, batch_index: Any) -> GivenStack:
    """A model's attentions as a stack of (layers, heads, N, N), from (N, N), (heads, N, N) or
    (layers, heads, N, N) arrays; or a tuple or list of one entry per layer: Hugging Face's
    (batch, heads, N, N) tensors (batch 1, or pick one with ``batch_index``), or (heads, N, N)
    arrays. Only shapes are read here: nothing is copied until layers and heads are chosen."""
    index = _index(batch_index)
    if isinstance(attentions, (tuple, list)) and any(hasattr(a, "shape") for a in attentions):
        parts = [_view(a) for a in attentions]
        shapes = {tuple(a.shape) for a in parts}
        if len(shapes) > 1:
            raise AttentionError(f"attentions: the layers have different shapes {sorted(shapes)}")
        (shape,) = shapes
        if len(shape) == 4:  # (batch, heads, N, N) per layer
            b = _batch(shape[0], index)
            return GivenStack(lambda i: parts[i][b], (len(parts), *shape[1:]), _half(parts[0]))
        if index is not None:
            raise AttentionError(
                "batch_index is for attentions with a batch axis (layers of "
                "(batch, heads, N, N)); these have none"
            )
        if len(shape) == 3:
            return GivenStack(lambda i: parts[i], (len(parts), *shape), _half(parts[0]))
        if len(shape) == 2:
            return GivenStack(lambda i: parts[i][None], (len(parts), 1, *shape), _half(parts[0]))
        raise _bad_shape((len(parts), *shape))
    if isinstance(attentions, (tuple, list)) and not attentions:
        raise AttentionError("attentions is empty: give one array per layer")
    array = _view(attentions)
    shape = tuple(array.shape)
    if index is not None:
        if len(shape) != 4:
            raise AttentionError(f"batch_index needs attentions of (batch, heads, N, N); these are {shape}")
        b = _batch(shape[0], index)
        return GivenStack(lambda i: array[b], (1, *shape[1:]), _half(array))
    if len(shape) == 4:
        return GivenStack(lambda i: array[i], shape, _half(array))
    if len(shape) == 3:
        return GivenStack(lambda i: array, (1, *shape), _half(array))
    if len(shape) == 2:
        return GivenStack(lambda i: array[None], (1, 1, *shape), _half(array))
    raise _bad_shape(shape)


def _bad_shape(shape: tuple[int, ...]) -> AttentionError:
    return AttentionError(
        f"attentions has shape {shape}; use (N, N), (heads, N, N), "
        "(layers, heads, N, N) or Hugging Face's tuple of (batch, heads, N, N)"
    )


def _index(batch_index: Any) -> int | None:
    """``batch_index`` as an int (numpy's and torch's whole numbers too)."""
    if batch_index is None:
        return None
    try:
        if isinstance(batch_index, bool):
            raise TypeError
        return operator.index(batch_index)
    except TypeError:
        raise AttentionError(f"batch_index must be a whole number, not {shown(batch_index)}") from None


def _batch(size: int, index: int | None) -> int:
    if index is None:
        if size != 1:
            raise AttentionError(
                f"attentions hold a batch of {size} sentences: say which with batch_index=0…{size - 1}"
            )
        return 0
    if not 0 <= index < size:
        raise AttentionError(
            f"batch_index {index} does not exist: the batch has {size} sentences (0–{size - 1})"
        )
    return index


def _view(value: Any) -> Any:
    """A tensor or numpy array of real numbers as it is (not copied), or array-like data as a
    numpy array."""
    if _is_tensor(value):
        if value.is_complex():
            dtype = str(value.dtype).removeprefix("torch.")
            raise AttentionError(f"attentions hold {dtype} values, not real numbers")
        return value
    if not isinstance(value, np.ndarray):
        try:
            value = np.asarray(value, dtype=np.float64)
        except (ValueError, TypeError, OverflowError):
            raise AttentionError(
                "attentions: not a regular array of numbers (ragged or not numbers)"
            ) from None
    if value.dtype.kind not in "biuf":
        raise AttentionError(f"attentions hold {value.dtype} values, not real numbers")
    return value


def _half(value: Any) -> bool:
    return str(value.dtype).removeprefix("torch.") in ("float16", "bfloat16")


def _float64(value: Any) -> np.ndarray:
    """The picked part of a layer as float64 (a tensor read through its own methods)."""
    if _is_tensor(value):
        return np.asarray(value.detach().cpu().double().numpy())
    return np.asarray(value, dtype=np.float64)
