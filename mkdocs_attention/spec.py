"""Fence text → ``Spec``: parse the header and body, validate every option, nothing else.

The body is either a plain sentence (the zero-configuration form) or a YAML mapping; short
scalar options may also sit in the fence header. Numbers inside matrices are checked for
shape here and for meaning (finite, rows summing to one) by the sources.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import AttentionError
from .tokens import tokenize

VIEWS = ("arcs",)
PLANNED_VIEWS = ("lines", "matrix")
DIRECTIONS = ("out", "in")
MODELS = ("toy",)

#: Keys this version understands.
KEYS = (
    "text", "tokens", "model", "weights", "causal", "heads", "dim", "seed",
    "view", "direction", "precision", "title", "caption",
)
#: Keys the design names that a later version adds; using one is a clear error, not a typo.
PLANNED = (
    "scores", "queries", "keys", "file", "temperature", "layer", "head", "threshold", "top_k",
    "normalize", "focus",
)
#: Keys that may be given in the fence header (short scalars only).
HEADER_KEYS = (
    "model", "causal", "heads", "dim", "seed", "view", "direction", "precision", "title", "caption",
)

Matrix = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class HeadWeights:
    """One head's hand-written N×N weights, as given by the author."""

    name: str
    rows: Matrix


@dataclass(frozen=True)
class Spec:
    """A validated fence: what to show and how. Immutable so it can key caches."""

    tokens: tuple[str, ...]
    model: str = "toy"
    weights: tuple[HeadWeights, ...] | None = None
    causal: bool = False
    heads: int = 1
    dim: int = 32
    seed: int = 0
    view: str = "arcs"
    direction: str = "out"
    precision: int = 2
    title: str | None = None
    caption: str | None = None

    @property
    def source(self) -> str:
        """Which source computes the weights: ``weights`` or a model name."""
        return "weights" if self.weights is not None else self.model


_YAML_START = re.compile(r"^\s*[A-Za-z_][\w-]*\s*:(?:\s|$)")
_HEADER_ITEM = re.compile(r"""\s*([A-Za-z_][\w-]*)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'{}=]+))\s*""")


def parse_header(header: str) -> dict[str, str]:
    """Parse ``{key=value key2="v w"}`` (braces optional) into strings; typing happens later."""
    text = header.strip()
    if text.startswith("{"):
        if not text.endswith("}"):
            raise AttentionError(f"fence header {header.strip()!r}: a '{{' is never closed")
        text = text[1:-1]
    options: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _HEADER_ITEM.match(text, pos)
        if not m:
            rest = text[pos:].strip()
            raise AttentionError(
                f"fence header: cannot read {rest!r}; write options as key=value, "
                'for example ```attention {view=arcs heads=2} or view="arcs"'
            )
        key = m.group(1)
        value = next(g for g in (m.group(3), m.group(4), m.group(5)) if g is not None)
        if key in options:
            raise AttentionError(f"fence header: {key!r} is given twice")
        options[key] = value
        pos = m.end()
    return options


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice (plain YAML silently keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise AttentionError(f"option {key!r} is given twice", line=key_node.start_mark.line)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_body(body: str) -> dict[str, Any]:
    """A YAML mapping when the first line reads ``key:``; otherwise the whole body is the text."""
    if not body.strip():
        raise AttentionError(
            "the fence is empty: write a sentence, or YAML options such as 'text: The cat sat.'"
        )
    first = next(line for line in body.splitlines() if line.strip())
    if not _YAML_START.match(first):
        return {"text": " ".join(body.split())}
    try:
        data = yaml.load(body, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise AttentionError(
            f"the YAML body cannot be read: {problem}", line=mark.line if mark else None
        ) from None
    if not isinstance(data, dict):
        raise AttentionError("the YAML body must be a mapping of options, such as 'text: ...'")
    for key in data:
        if not isinstance(key, str):
            raise AttentionError(f"option names must be words, not {key!r}")
    return data


def _check_known(key: str) -> None:
    if key in KEYS:
        return
    if key in PLANNED:
        raise AttentionError(f"option {key!r} is not supported by this version of mkdocs-attention")
    close = difflib.get_close_matches(key, KEYS + PLANNED, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known options: {', '.join(KEYS)}"
    if not close and key[:1].isupper():
        hint += " (a sentence starting with 'Word:' reads as YAML: write it as 'text: ...')"
    raise AttentionError(f"unknown option {key!r}{hint}")


def _as_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise AttentionError(f"{key!r} must be true or false, not {value!r}")


def _as_int(key: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AttentionError(f"{key!r} must be a whole number, not {value!r}")
    if not lo <= value <= hi:
        raise AttentionError(f"{key!r} must be between {lo} and {hi}, not {value}")
    return value


def _as_choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AttentionError(f"{key!r} must be one of {', '.join(choices)}, not {value!r}{hint}")
    return str(value)


def _as_text(key: str, value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise AttentionError(f"{key!r} must be text, not {value!r}")
    return str(value)


def _as_tokens(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise AttentionError("'tokens' must be a non-empty list, such as [The, cat, sat]")
    out = []
    for i, tok in enumerate(value):
        if isinstance(tok, bool) or tok is None or isinstance(tok, (list, dict)):
            raise AttentionError(
                f"token {i + 1} reads as {tok!r}, not as text; put it in quotes, e.g. \"{tok}\""
            )
        if tok == "":
            raise AttentionError(f"token {i + 1} is empty; every token needs at least one character")
        out.append(str(tok))
    return tuple(out)


def _as_matrix(where: str, value: Any) -> Matrix:
    if not isinstance(value, list) or not value:
        raise AttentionError(f"{where} must be a list of rows (an N×N matrix)")
    rows = []
    for r, row in enumerate(value):
        if not isinstance(row, list):
            raise AttentionError(f"{where}: row {r + 1} is not a list of numbers")
        for c, x in enumerate(row):
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                raise AttentionError(f"{where}: row {r + 1}, column {c + 1} is {x!r}, not a number")
        rows.append(tuple(float(x) for x in row))
    n = len(rows)
    for r, row in enumerate(rows):
        if len(row) != n:
            raise AttentionError(
                f"{where} must be square (N×N): it has {n} rows but row {r + 1} has {len(row)} values"
            )
    return tuple(rows)


def _is_matrix(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(row, list) and all(not isinstance(x, list) for x in row) for row in value
    )


def _as_weights(value: Any) -> tuple[HeadWeights, ...]:
    if isinstance(value, dict):
        if not value:
            raise AttentionError("'weights' is an empty mapping: give head name → N×N matrix")
        heads = tuple(
            HeadWeights(str(name), _as_matrix(f"weights of head {name!r}", m))
            for name, m in value.items()
        )
    elif _is_matrix(value):
        heads = (HeadWeights("Head 1", _as_matrix("'weights'", value)),)
    elif isinstance(value, list) and value and all(_is_matrix(m) for m in value):
        heads = tuple(
            HeadWeights(f"Head {h + 1}", _as_matrix(f"weights of head {h + 1}", m))
            for h, m in enumerate(value)
        )
    else:
        raise AttentionError(
            "'weights' must be an N×N list of rows, a list of N×N matrices (one per head), "
            "or a mapping head name → N×N matrix"
        )
    sizes = {len(h.rows) for h in heads}
    if len(sizes) > 1:
        raise AttentionError(f"all heads in 'weights' must have the same size, got {sorted(sizes)}")
    return heads


def build_spec(options: Mapping[str, Any], *, max_tokens: int = 512) -> Spec:
    """Validate merged options into a ``Spec``; every problem is an ``AttentionError``."""
    for key in options:
        _check_known(key)
    o = dict(options)
    if "text" in o and "tokens" in o:
        raise AttentionError("give either 'text' or 'tokens', not both")
    if "tokens" in o:
        tokens = _as_tokens(o["tokens"])
    elif "text" in o:
        tokens = tokenize(_as_text("text", o["text"]))
        if not tokens:
            raise AttentionError("'text' has no words or punctuation to show")
    else:
        raise AttentionError("nothing to show: add 'text: a sentence' or 'tokens: [a, list]'")
    if len(tokens) > max_tokens:
        raise AttentionError(
            f"{len(tokens)} tokens is more than the limit of {max_tokens} "
            "(raise the plugin's max_tokens option to allow it)"
        )

    kwargs: dict[str, Any] = {"tokens": tokens}
    if "weights" in o:
        if "model" in o:
            raise AttentionError("give one source: 'weights' or 'model', not both")
        for key in ("heads", "dim", "seed"):
            if key in o:
                raise AttentionError(f"{key!r} configures the toy model; it has no effect with 'weights'")
        weights = _as_weights(o["weights"])
        if len(weights[0].rows) != len(tokens):
            n = len(weights[0].rows)
            raise AttentionError(
                f"'weights' is {n}×{n} but there are {len(tokens)} tokens "
                f"({', '.join(tokens[:12])}{', …' if len(tokens) > 12 else ''})"
            )
        kwargs["weights"] = weights
    if "model" in o:
        model = _as_text("model", o["model"])
        if model != "toy":
            raise AttentionError(
                f"model {model!r}: only the built-in 'toy' model is supported by this version"
            )
        kwargs["model"] = model
    if "heads" in o:
        kwargs["heads"] = _as_int("heads", o["heads"], 1, 64)
    if "dim" in o:
        kwargs["dim"] = _as_int("dim", o["dim"], 2, 4096)
    if "seed" in o:
        kwargs["seed"] = _as_int("seed", o["seed"], 0, 2**32 - 1)
    heads, dim = kwargs.get("heads", 1), kwargs.get("dim", 32)
    if "weights" not in kwargs and dim % heads:
        raise AttentionError(f"'dim' ({dim}) must be a multiple of 'heads' ({heads})")
    if "causal" in o:
        kwargs["causal"] = _as_bool("causal", o["causal"])
    if "view" in o:
        if o["view"] in PLANNED_VIEWS:
            raise AttentionError(f"view {o['view']!r} is not supported by this version; use 'arcs'")
        kwargs["view"] = _as_choice("view", o["view"], VIEWS)
    if "direction" in o:
        kwargs["direction"] = _as_choice("direction", o["direction"], DIRECTIONS)
    if "precision" in o:
        kwargs["precision"] = _as_int("precision", o["precision"], 0, 6)
    for key in ("title", "caption"):
        if key in o:
            kwargs[key] = _as_text(key, o[key])
    return Spec(**kwargs)


def parse_fence(
    body: str, header: str | Mapping[str, str] = "", *, max_tokens: int = 512
) -> Spec:
    """Parse a whole fence (header options + body) into a validated ``Spec``."""
    head = parse_header(header) if isinstance(header, str) else dict(header)
    for key in head:
        _check_known(key)
        if key not in HEADER_KEYS:
            raise AttentionError(f"{key!r} cannot go in the fence header; put it in the YAML body")
    options = parse_body(body)
    both = sorted(set(head) & set(options))
    if both:
        raise AttentionError(f"{both[0]!r} is given both in the fence header and in the body")
    return build_spec({**head, **options}, max_tokens=max_tokens)
