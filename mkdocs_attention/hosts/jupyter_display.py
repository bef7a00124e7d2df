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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..convert import Place, convert_fence, convert_spec, figure_id
from ..errors import AttentionError
from ..sources import LoadEnv
from ..spec import DataFile, build_spec
from ..widget_files import CSS, JS, ON_USE, page_files, widget_text

#: The ids of this kernel's figures: an output repeated in one notebook gets a suffixed id.
_TAKEN: set[str] = set()


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
        scripts, styles = page_files((*self.parts, *ON_USE))
        return (
            "\n".join(widget_text(n) for n in (JS, *scripts)),
            "\n".join(widget_text(n) for n in (CSS, *styles)),
        )

    def _repr_html_(self) -> str:
        js, css = self._assets()
        return f"<style>{css}</style>{self.html}<script>{js}</script>"

    def save(self, path: str | Path, title: str = "Attention") -> Path:
        """A standalone page (script and style inlined), readable offline."""
        js, css = self._assets()
        page = (
            f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{css}</style></head>"
            f"<body>{self.html}<script>{js}</script></body></html>\n"
        )
        out = Path(path)
        out.write_text(page, encoding="utf-8")
        return out


def show(
    text: str | None = None, *, attentions: Any = None, batch_index: int | None = None, **options: Any
) -> Figure:
    """A figure from a sentence (toy model), any fence options as keywords (``tokens=``,
    ``weights=``, ``model=``, ``view=``…), or a model's ``attentions`` with its ``tokens``.
    Bad input raises ``AttentionError`` with the fence's message."""
    env = LoadEnv(base_dir=Path.cwd(), docs_dir=Path.cwd(), project_dir=Path.cwd())
    if attentions is None:
        if text is not None and options:
            options = {"text": text, **options}
        body = text if text is not None and not options else _yaml(options)
        outcome = convert_fence(body, {}, Place("<notebook>", None, env), _TAKEN)
        if outcome.error is not None:
            raise AttentionError(outcome.error.message)
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
    spec = replace(spec, source=DataFile("attentions", stack))
    digest = hashlib.sha256(np.ascontiguousarray(stack).tobytes() + repr(stack.shape).encode()).hexdigest()
    named = {k: str(v) for k, v in options.items()}
    place = Place("<notebook>", None, env)
    outcome = convert_spec(spec, place, _TAKEN, lambda: figure_id(digest, named, _TAKEN))
    if outcome.error is not None:
        raise AttentionError(outcome.error.message)
    return Figure(outcome.html, parts=outcome.parts)


def _yaml(options: dict[str, Any]) -> str:
    """The fence body for ``options``: one ``key: value`` line each, values in YAML's flow style
    (quoted where needed), which the fence reader reads back as they are."""
    lines = []
    for key, value in options.items():
        plain = value.tolist() if isinstance(value, np.ndarray) else value
        text = yaml.safe_dump(plain, default_flow_style=True, allow_unicode=True, width=2**31)
        lines.append(f"{key}: {text.removesuffix(chr(10)).removesuffix(chr(10) + '...')}")
    return "\n".join(lines)


def as_stack(attentions: Any, batch_index: int | None) -> np.ndarray:
    """A model's attentions as one numpy array of (N, N), (heads, N, N) or (layers, heads, N, N).

    A tuple or list is one entry per layer: Hugging Face's (batch, heads, N, N) tensors (batch 1,
    or pick one with ``batch_index``), or (heads, N, N) arrays."""
    if isinstance(attentions, (tuple, list)):
        layers = [_array(a) for a in attentions]
        if not layers:
            raise AttentionError("attentions is empty: give one array per layer")
        shapes = {a.shape for a in layers}
        if len(shapes) > 1:
            raise AttentionError(f"attentions: the layers have different shapes {sorted(shapes)}")
        stack = np.stack(layers)
        if stack.ndim == 5:  # (layers, batch, heads, N, N)
            return _batch(stack, batch_index, axis=1)
        if batch_index is not None:
            raise AttentionError(
                "batch_index is for attentions with a batch axis (layers of "
                "(batch, heads, N, N)); these have none"
            )
        return stack
    array = _array(attentions)
    if batch_index is not None:
        if array.ndim != 4:
            raise AttentionError(
                f"batch_index needs attentions of (batch, heads, N, N); these are {array.shape}"
            )
        return _batch(array[None], batch_index, axis=1)[0]
    return array


def _batch(stack: np.ndarray, index: int | None, axis: int) -> np.ndarray:
    size = stack.shape[axis]
    if index is None:
        if size != 1:
            raise AttentionError(
                f"attentions hold a batch of {size} sentences: say which with batch_index=0…{size - 1}"
            )
        index = 0
    if not 0 <= index < size:
        raise AttentionError(
            f"batch_index {index} does not exist: the batch has {size} sentences (0–{size - 1})"
        )
    return np.take(stack, index, axis=axis)


def _array(value: Any) -> np.ndarray:
    """A numpy array of a tensor (torch's, read through its own methods) or array-like."""
    half = str(getattr(value, "dtype", "")).removeprefix("torch.") in ("float16", "bfloat16")
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
        value = value.float() if hasattr(value, "float") else value
        value = value.numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError):
        raise AttentionError("attentions: not a regular array of numbers (ragged or not numbers)") from None
    if half and array.ndim >= 2:
        # A half-precision softmax's rows sum to 1 only within its rounding (bfloat16: ±0.4 %):
        # rows that close to 1 are made to sum to 1; others are left for the check to report.
        sums = array.sum(-1, keepdims=True)
        if np.all(np.abs(sums - 1) < 0.02):
            array = array / sums
    if array.ndim not in (2, 3, 4):
        raise AttentionError(
            f"attentions has shape {array.shape}; use (N, N), (heads, N, N), "
            "(layers, heads, N, N) or Hugging Face's tuple of (batch, heads, N, N)"
        )
    return array
