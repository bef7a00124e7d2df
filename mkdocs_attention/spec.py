"""Fence text → ``Spec``: parse the header and body, validate every option, nothing else.

The body is either a plain sentence (the zero-configuration form) or a YAML mapping; short
scalar options may also sit in the fence header. Numbers inside matrices are checked for
shape here and for meaning (finite, rows summing to one) by the sources.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import AttentionError
from .tokens import tokenize

VIEWS = ("arcs", "lines", "matrix")
DIRECTIONS = ("out", "in")
MODELS = ("toy",)

#: Keys this version understands.
KEYS = (
    "text", "tokens", "model", "weights", "scores", "queries", "keys", "file", "causal",
    "temperature", "normalize", "heads", "dim", "seed", "layer", "head", "hide_special",
    "revision", "focus", "view", "direction", "threshold", "top_k", "precision", "title", "caption",
)
#: Keys that may be given in the fence header (short scalars only).
HEADER_KEYS = (
    "model", "file", "causal", "temperature", "normalize", "heads", "dim", "seed", "layer", "head",
    "hide_special", "revision", "focus", "view", "direction", "threshold", "top_k", "precision",
    "title", "caption",
)
#: The sources a fence can name; at most one per fence.
SOURCES = ("weights", "scores", "queries", "file", "model")

Matrix = tuple[tuple[float, ...], ...]
Indices = tuple[int, ...]


@dataclass(frozen=True)
class HeadWeights:
    """One head's hand-written N×N weights, as given by the author."""

    name: str
    rows: Matrix


@dataclass(frozen=True)
class Spec:
    """A validated fence: what to show and how. Immutable so it can key caches.

    ``tokens`` is empty when the source supplies them (a file with tokens, a real model).
    """

    tokens: tuple[str, ...]
    text: str | None = None
    model: str = "toy"
    weights: tuple[HeadWeights, ...] | None = None
    scores: tuple[HeadWeights, ...] | None = None
    queries: tuple[Matrix, ...] | None = None
    keys: tuple[Matrix, ...] | None = None
    file: str | None = None
    normalize: bool = False
    temperature: float = 1.0
    layer: Indices | None = None
    head: Indices | None = None
    hide_special: bool = False
    revision: str | None = None
    causal: bool = False
    focus: int | str | None = None
    heads: int = 1
    dim: int = 32
    seed: int = 0
    view: str = "arcs"
    direction: str = "out"
    #: Edges lighter than this are not drawn (their scores are still listed).
    threshold: float = 0.0
    #: When set, only the k strongest edges of the active token are drawn.
    top_k: int | None = None
    precision: int = 2
    title: str | None = None
    caption: str | None = None

    @property
    def source(self) -> str:
        """Which source computes the weights: weights, scores, qk, file, toy or hf."""
        if self.weights is not None:
            return "weights"
        if self.scores is not None:
            return "scores"
        if self.queries is not None:
            return "qk"
        if self.file is not None:
            return "file"
        return "toy" if self.model == "toy" else "hf"


#: A number in exponent form without a dot (``1e-5``), which YAML 1.1 leaves as a string.
_EXPONENT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")
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


class _Strict:
    """Refuse a key given twice (plain YAML silently keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if key in seen:
                raise AttentionError(f"option {key!r} is given twice", line=key_node.start_mark.line)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _StrictLoader(_Strict, yaml.SafeLoader):
    """The pure-Python parser: its error messages and marks are the ones we report."""


if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(_Strict, yaml.CSafeLoader):
        """libyaml's parser, several times faster, for the common case of a body that reads."""
else:  # PyYAML built without libyaml
    _FastLoader = _StrictLoader  # type: ignore[misc, assignment]


def _load_yaml(body: str) -> Any:
    """Parse with libyaml; on a YAML error, parse again in Python to report its message and line."""
    try:
        return yaml.load(body, Loader=_FastLoader)
    except yaml.YAMLError:
        if _FastLoader is _StrictLoader:
            raise
    return yaml.load(body, Loader=_StrictLoader)


#: One ``key: value`` line whose value is a one-line plain scalar of printable ASCII that cannot
#: start anything but a plain scalar (no indicator first, no surrounding space); ``_simple_yaml``
#: also refuses ``: `` and `` #`` inside.
_SIMPLE_LINE = re.compile(r"([a-z_]+): (?![-?:,\[\]{}#&*!|>'\"%@` ])([ -~]*[!-9;-~])")
_RESOLVER = yaml.resolver.Resolver()
_STR, _INT, _FLOAT, _BOOL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool"))
_DECIMAL = re.compile(r"0|[1-9][0-9]*|(?:0|[1-9][0-9]*)\.[0-9]+")


def _simple_yaml(body: str) -> dict[str, Any] | None:
    """The mapping of a body made only of ``key: value`` lines with plain one-line values (most
    fences), as YAML reads it; None for anything else, which YAML itself then parses.

    PyYAML builds such a small mapping through its Python constructor and resolver even with
    libyaml; here each value is resolved by the same resolver, and only the types whose reading
    is unambiguous (text, decimal numbers, true/false) are taken.
    """
    out: dict[str, Any] = {}
    for line in body.split("\n"):
        if not line:
            continue
        m = _SIMPLE_LINE.fullmatch(line)
        if m is None:
            return None
        key, value = m.groups()
        if ": " in value or " #" in value:  # (a per-character lookahead in the regex costs 4 µs)
            return None
        if key in out or key not in KEYS:
            return None  # YAML's path reports it with its line; an unknown key, as YAML reads it
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if tag == _STR:
            out[key] = value
        elif tag in (_INT, _FLOAT) and _DECIMAL.fullmatch(value):
            out[key] = int(value) if tag == _INT else float(value)
        elif tag == _BOOL and value in ("true", "false"):
            out[key] = value == "true"
        else:
            return None
    return out or None


def parse_body(body: str) -> dict[str, Any]:
    """A YAML mapping when the first line reads ``key:``; otherwise the whole body is the text."""
    if not body.strip():
        raise AttentionError(
            "the fence is empty: write a sentence, or YAML options such as 'text: The cat sat.'"
        )
    first = next(line for line in body.splitlines() if line.strip())
    if not _YAML_START.match(first):
        return {"text": " ".join(body.split())}
    simple = _simple_yaml(body)
    if simple is not None:
        return simple
    try:
        data = _load_yaml(body)
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
    close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
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
    rows = _as_rows(where, value)
    n = len(rows)
    for r, row in enumerate(rows):
        if len(row) != n:
            raise AttentionError(
                f"{where} must be square (N×N): it has {n} rows but row {r + 1} has {len(row)} values"
            )
    return rows


def _as_rows(where: str, value: Any) -> Matrix:
    if not isinstance(value, list) or not value:
        raise AttentionError(f"{where} must be a list of rows (an N×N matrix)")
    rows = []
    for r, row in enumerate(value):
        if not isinstance(row, list):
            raise AttentionError(f"{where}: row {r + 1} is not a list of numbers")
        values = []
        for c, x in enumerate(row):
            if isinstance(x, str) and _EXPONENT.fullmatch(x.strip()):
                x = float(x)  # YAML 1.1 reads numpy's "4e-06" as text
            if isinstance(x, bool) or not isinstance(x, (int, float)):
                raise AttentionError(f"{where}: row {r + 1}, column {c + 1} is {x!r}, not a number")
            values.append(float(x))
        rows.append(tuple(values))
    return tuple(rows)


def _is_matrix(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(
        isinstance(row, list) and all(not isinstance(x, list) for x in row) for row in value
    )


def _as_heads(key: str, value: Any) -> tuple[HeadWeights, ...]:
    """``weights``/``scores``: N×N, a list of N×N (one per head), or name → N×N."""
    if isinstance(value, dict):
        if not value:
            raise AttentionError(f"{key!r} is an empty mapping: give head name → N×N matrix")
        heads = tuple(
            HeadWeights(str(name), _as_matrix(f"{key} of head {name!r}", m))
            for name, m in value.items()
        )
    elif _is_matrix(value):
        heads = (HeadWeights("Head 1", _as_matrix(f"{key!r}", value)),)
    elif isinstance(value, list) and value and all(_is_matrix(m) for m in value):
        heads = tuple(
            HeadWeights(f"Head {h + 1}", _as_matrix(f"{key} of head {h + 1}", m))
            for h, m in enumerate(value)
        )
    else:
        raise AttentionError(
            f"{key!r} must be an N×N list of rows, a list of N×N matrices (one per head), "
            "or a mapping head name → N×N matrix"
        )
    sizes = {len(h.rows) for h in heads}
    if len(sizes) > 1:
        raise AttentionError(f"all heads in {key!r} must have the same size, got {sorted(sizes)}")
    return heads


def _as_vectors(key: str, value: Any) -> tuple[Matrix, ...]:
    """``queries``/``keys``: an N×d list of vectors, or a list of them (one per head)."""
    if _is_matrix(value):
        mats = [value]
    elif isinstance(value, list) and value and all(_is_matrix(m) for m in value):
        mats = value
    else:
        raise AttentionError(f"{key!r} must be a list of N vectors (N×d), or one such list per head")
    out = []
    for h, m in enumerate(mats):
        where = f"{key!r}" if len(mats) == 1 else f"{key} of head {h + 1}"
        rows = _as_rows(where, m)
        widths = {len(r) for r in rows}
        if len(widths) > 1 or 0 in widths:
            raise AttentionError(f"{where}: every vector must have the same length, got {sorted(widths)}")
        out.append(rows)
    if len({(len(m), len(m[0])) for m in out}) > 1:
        raise AttentionError(f"all heads in {key!r} must have the same shape")
    return tuple(out)


def _as_indices(key: str, value: Any) -> Indices:
    """``layer``/``head``: one 0-based index or a list of them (header form: ``0,2``)."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
        value = [int(p) if re.fullmatch(r"\d+", p) else p for p in parts]
        value = value[0] if len(value) == 1 else value
    items = value if isinstance(value, list) else [value]
    if not items:
        raise AttentionError(f"{key!r} must be an index (0, 1, …) or a list of them")
    out = tuple(_as_int(key, v, 0, 4095) for v in items)
    if len(set(out)) != len(out):
        raise AttentionError(f"{key!r} lists an index twice: {list(out)}")
    return out


def _as_float(key: str, value: Any, lo: float) -> float:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AttentionError(f"{key!r} must be a number, not {value!r}")
    if value <= lo:
        raise AttentionError(f"{key!r} must be greater than {lo:g}, not {value!r}")
    return float(value)


def _as_fraction(key: str, value: Any) -> float:
    """A weight cut-off: a number from 0 up to (not including) 1."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise AttentionError(f"{key!r} must be a weight from 0 up to (not including) 1, not {value!r}")
    return float(value)


def _tokens(o: dict[str, Any], source: str, max_tokens: int) -> tuple[str, ...]:
    if "text" in o and "tokens" in o:
        raise AttentionError("give either 'text' or 'tokens', not both")
    if source == "hf":
        if "tokens" in o:
            raise AttentionError("a Hugging Face model tokenizes 'text' itself: give 'text', not 'tokens'")
        if "text" not in o:
            raise AttentionError("nothing to show: add 'text: a sentence' for the model to read")
        return ()
    if "tokens" in o:
        tokens = _as_tokens(o["tokens"])
    elif "text" in o:
        tokens = tokenize(_as_text("text", o["text"]))
        if not tokens:
            raise AttentionError("'text' has no words or punctuation to show")
    elif source == "file":
        return ()  # the file must then carry its tokens
    else:
        raise AttentionError("nothing to show: add 'text: a sentence' or 'tokens: [a, list]'")
    if len(tokens) > max_tokens:
        raise AttentionError(
            f"{len(tokens)} tokens is more than the limit of {max_tokens} "
            "(raise the plugin's max_tokens option to allow it)"
        )
    return tokens


def _size_error(key: str, n: int, tokens: tuple[str, ...]) -> AttentionError:
    listed = ", ".join(tokens[:12]) + (", …" if len(tokens) > 12 else "")
    return AttentionError(f"{key!r} is {n}×{n} but there are {len(tokens)} tokens ({listed})")


#: Which options make sense with which source; anything else is an error, not ignored.
_ONLY = {
    "heads": ("toy",), "dim": ("toy",), "seed": ("toy",),
    "temperature": ("toy", "scores", "qk"),
    "normalize": ("weights", "file"),
    "layer": ("file", "hf"), "head": ("file", "hf"),
    "hide_special": ("hf",), "revision": ("hf",),
}


def build_spec(options: Mapping[str, Any], *, max_tokens: int = 512) -> Spec:
    """Validate merged options into a ``Spec``; every problem is an ``AttentionError``."""
    for key in options:
        _check_known(key)
    o = dict(options)
    if ("queries" in o) != ("keys" in o):
        raise AttentionError("'queries' and 'keys' go together: give both")
    model = _as_text("model", o["model"]) if "model" in o else "toy"
    named = [k for k in SOURCES[:-1] if k in o]
    if "model" in o and (model != "toy" or named):
        named.append("model")
    if len(named) > 1:
        shown = ["queries+keys" if k == "queries" else k for k in named]
        raise AttentionError(f"give one source, not {' and '.join(repr(k) for k in shown)}")
    source = {"weights": "weights", "scores": "scores", "queries": "qk", "file": "file"}.get(
        named[0] if named else "", "toy" if model == "toy" else "hf")
    for key, allowed in _ONLY.items():
        if key in o and source not in allowed:
            what = {"toy": "the toy model", "hf": "a Hugging Face model"}
            users = " or ".join(what.get(a, f"'{a if a != 'qk' else 'queries'}'") for a in allowed)
            raise AttentionError(f"{key!r} applies to {users} only; it has no effect here")

    tokens = _tokens(o, source, max_tokens)
    kwargs: dict[str, Any] = {"tokens": tokens, "model": model}
    if source == "hf":
        kwargs["text"] = " ".join(_as_text("text", o["text"]).split())
        if not kwargs["text"]:
            raise AttentionError("'text' is empty: give the model a sentence to read")
    for key in ("weights", "scores"):
        if key in o:
            heads = _as_heads(key, o[key])
            if len(heads[0].rows) != len(tokens):
                raise _size_error(key, len(heads[0].rows), tokens)
            kwargs[key] = heads
    if "queries" in o:
        q, k = _as_vectors("queries", o["queries"]), _as_vectors("keys", o["keys"])
        if len(q) != len(k):
            raise AttentionError(f"'queries' has {len(q)} heads but 'keys' has {len(k)}")
        if len(q[0][0]) != len(k[0][0]):
            raise AttentionError(
                f"queries have {len(q[0][0])} numbers each but keys have {len(k[0][0])}: "
                "q·k needs the same length")
        for key, m in (("queries", q), ("keys", k)):
            if len(m[0]) != len(tokens):
                raise AttentionError(f"{key!r} has {len(m[0])} vectors but there are {len(tokens)} tokens")
        kwargs["queries"], kwargs["keys"] = q, k
    if "file" in o:
        kwargs["file"] = _as_text("file", o["file"])
    if "heads" in o:
        kwargs["heads"] = _as_int("heads", o["heads"], 1, 64)
    if "dim" in o:
        kwargs["dim"] = _as_int("dim", o["dim"], 2, 4096)
    if "seed" in o:
        kwargs["seed"] = _as_int("seed", o["seed"], 0, 2**32 - 1)
    heads, dim = kwargs.get("heads", 1), kwargs.get("dim", 32)
    if source == "toy" and dim % heads:
        raise AttentionError(f"'dim' ({dim}) must be a multiple of 'heads' ({heads})")
    if "temperature" in o:
        kwargs["temperature"] = _as_float("temperature", o["temperature"], 0.0)
    for key in ("layer", "head"):
        if key in o:
            kwargs[key] = _as_indices(key, o[key])
    if "revision" in o:
        kwargs["revision"] = _as_text("revision", o["revision"])
    for key in ("causal", "normalize", "hide_special"):
        if key in o:
            kwargs[key] = _as_bool(key, o[key])
    if "focus" in o:
        f = o["focus"]
        if isinstance(f, str) and re.fullmatch(r"\d+", f.strip()):
            f = int(f)
        if isinstance(f, bool) or not isinstance(f, (int, str)) or (isinstance(f, int) and f < 0):
            raise AttentionError(f"'focus' must be a token or its 0-based index, not {f!r}")
        kwargs["focus"] = f
    if "view" in o:
        kwargs["view"] = _as_choice("view", o["view"], VIEWS)
    if "threshold" in o:
        kwargs["threshold"] = _as_fraction("threshold", o["threshold"])
    if "top_k" in o:
        kwargs["top_k"] = _as_int("top_k", o["top_k"], 1, 4096)
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
