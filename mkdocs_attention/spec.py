"""Fence text → ``Spec``: parse the header and body, validate every option, nothing else.

The body is either a plain sentence (the zero-configuration form) or a YAML mapping; short
scalar options may also sit in the fence header. Every option is one row of ``OPTIONS``: its
reader (parse and validate one value), default, the sources it applies to, whether it may go in
the header, and its one-line documentation (docs/fence.md's table is checked against it).
Numbers inside matrices are checked for shape here and for meaning (finite, rows summing to
one) by the sources.
"""

from __future__ import annotations

import contextlib
import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar

import yaml

from .errors import AttentionError, shown
from .limits import MAX_FENCE_CHARS, MAX_FENCE_NUMBERS, MAX_TOKENS, check_token_count
from .numerics import HEAD_STATS
from .tokens import tokenize

VIEWS = ("arcs", "lines", "matrix")
DIRECTIONS = ("out", "in")
#: An encoder-decoder model's attentions: the source's self-attention, the target's (causal), and
#: the target's tokens over the source's (cross-attention).
PARTS = ("encoder", "decoder", "cross")
#: What a figure's weights are: the attention itself, each weight times the size of what its key
#: sends (``sources.value_norms``), or the attention with a whole-model entry after its layers:
#: attention flow (``numerics.attention_flow``) or ALTI (``sources.alti``).
WEIGHTINGS = ("attention", "value-norm", "flow", "alti")

Matrix = tuple[tuple[float, ...], ...]
Indices = tuple[int, ...]


@dataclass(frozen=True)
class HeadWeights:
    """One head's hand-written N×N weights (or scores), as given by the author."""

    name: str
    rows: Matrix


@dataclass(frozen=True)
class RepeatedProbe:
    """``probe: repeated``: the classic input that shows previous-token and induction heads
    (Olsson et al., 2022): the model's start token, then ``length`` distinct random tokens of its
    vocabulary (drawn with ``seed``), then the same tokens again."""

    length: int = 10
    seed: int = 0


@dataclass(frozen=True)
class Generate:
    """``generate``: a causal model writes ``tokens`` new tokens after its text, one at a time,
    greedily (the most likely each time) or, with a ``temperature``, sampled (from the ``top_k``
    most likely, when given) with ``seed``."""

    tokens: int
    temperature: float | None = None
    top_k: int | None = None
    seed: int = 0

    @property
    def sampled(self) -> bool:
        return self.temperature is not None


#: A number in exponent form without a dot (``1e-5``), which YAML 1.1 leaves as a string.
_EXPONENT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")
_YAML_START = re.compile(r"^\s*[A-Za-z_][\w-]*\s*:(?:\s|$)")
_HEADER_ITEM = re.compile(r"""\s*([A-Za-z_][\w-]*)\s*=\s*("([^"]*)"|'([^']*)'|([^\s"'{}=]+))\s*""")


def parse_header(header: str) -> dict[str, str]:
    """Parse ``{key=value key2="v w"}`` (braces optional) into strings; typing happens later."""
    text = header.strip()
    if text.startswith("{"):
        if not text.endswith("}"):
            raise AttentionError(f"fence header {shown(header.strip())}: a '{{' is never closed")
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
                f"fence header: cannot read {shown(rest)}; write options as key=value, "
                'for example ```attention {view=arcs heads=2} or view="arcs"'
            )
        key = m.group(1)
        value = next(g for g in (m.group(3), m.group(4), m.group(5)) if g is not None)
        if key in options:
            raise AttentionError(f"fence header: {shown(key)} is given twice")
        options[key] = value
        pos = m.end()
    return options


#: Tags YAML gives a plain scalar by its look (``010`` an octal int, ``1:30`` a sexagesimal one,
#: ``yes`` a bool): for a text option the author's characters are kept instead.
_LOOKS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp"))
_STR = "tag:yaml.org,2002:str"


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's where PyYAML has it), refusing a key given twice (plain YAML
    silently keeps the last) and keeping text options as written."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)  # whole, to be named in a message
            if not isinstance(key, str):
                raise AttentionError(
                    f"option names must be words, not {shown(key)}", line=key_node.start_mark.line
                )
            if key in seen:
                raise AttentionError(f"option {shown(key)} is given twice", line=key_node.start_mark.line)
            seen.add(key)
            if key in OPTIONS and OPTIONS[key].text:
                _keep_as_written(value_node)
        return super().construct_mapping(node, deep=deep)


def _keep_as_written(node: yaml.Node) -> None:
    """Read a plain scalar (or a flat list of them) as the text it is, not as what it looks like."""
    for scalar in node.value if isinstance(node, yaml.SequenceNode) else [node]:
        if isinstance(scalar, yaml.ScalarNode) and not scalar.style and scalar.tag in _LOOKS:  # plain
            scalar.tag = _STR


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
    except AttentionError:
        raise
    except RecursionError:
        raise AttentionError("the YAML body is nested too deeply to read") from None
    except ValueError as exc:  # Python refuses to read a whole number of over 4,300 digits
        raise AttentionError(f"the YAML body cannot be read: {str(exc).split('; ')[0]}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        # libyaml marks a problem found at the end of the body on the line after it.
        line = min(mark.line, body.rstrip("\n").count("\n")) if mark else None
        raise AttentionError(f"the YAML body cannot be read: {problem}", line=line) from None
    if not isinstance(data, dict):
        raise AttentionError("the YAML body must be a mapping of options, such as 'text: ...'")
    if _values_over(data, MAX_FENCE_NUMBERS):
        raise AttentionError(
            f"the fence holds more than {MAX_FENCE_NUMBERS:,} values; put large data in a file ('file:')"
        )
    return data


def _values_over(data: Any, budget: int) -> bool:
    """Whether ``data`` holds more than ``budget`` scalars, counting each time a YAML alias repeats
    one: stops as soon as it knows, so a tree of aliases standing for billions costs no more."""
    stack, seen = [data], 0
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            seen += len(item)
            if seen > budget:
                return True
            stack.extend(x for x in item if isinstance(x, (list, dict)))
        else:
            seen += 1
    return seen > budget


def _check_known(key: str) -> None:
    if key in OPTIONS:
        return
    # Options are lower-case: a capitalised key is most likely a sentence's first word, unless it
    # is an option in capitals.
    sentence = key[:1].isupper() and key.lower() not in OPTIONS
    close = [] if sentence else difflib.get_close_matches(key.lower(), OPTIONS, n=1, cutoff=0.6)
    hint = f"; did you mean {shown(close[0])}?" if close else f"; known options: {', '.join(OPTIONS)}"
    if sentence:
        hint += " (a sentence starting with 'Word:' reads as YAML: write it as 'text: ...')"
    raise AttentionError(f"unknown option {shown(key)}{hint}")


def _as_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise AttentionError(f"{shown(key)} must be true or false, not {shown(value)}")


#: Most digits a whole number written in a fence may have (Python reads at most 4,300).
_MAX_DIGITS = 30


def _whole_of(key: str, text: str) -> int:
    """The whole number ``text`` (digits, maybe a sign) of option ``key``."""
    digits = text.strip().lstrip("+-")
    if len(digits) > _MAX_DIGITS:
        raise AttentionError(f"{shown(key)}: a number of {len(digits):,} digits is far too large")
    return int(text)


def _as_int(key: str, value: Any, lo: int, hi: int) -> int:
    if isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        value = _whole_of(key, value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise AttentionError(f"{shown(key)} must be a whole number, not {shown(value)}")
    if not lo <= value <= hi:
        raise AttentionError(f"{shown(key)} must be between {lo} and {hi}, not {shown(value)}")
    return value


def _as_choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        close = difflib.get_close_matches(str(value), choices, n=1)
        hint = f"; did you mean {shown(close[0])}?" if close else ""
        raise AttentionError(f"{shown(key)} must be one of {', '.join(choices)}, not {shown(value)}{hint}")
    return str(value)


def _as_text(key: str, value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise AttentionError(f"{shown(key)} must be text, not {shown(value)}")
    return str(value)


def _as_tokens(value: Any, key: str = "tokens") -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise AttentionError(f"{shown(key)} must be a non-empty list, such as [The, cat, sat]")
    what = "token" if key == "tokens" else "key token"
    for i, tok in enumerate(value):
        check_token(tok, f"{what} {i + 1}")
    return tuple(value)


#: Characters no token may hold: C0 and C1 controls but the tab and newline (invisible, and
#: STX and ETX are Python-Markdown's own placeholders), the byte-order mark, and what is no
#: character at all (U+FFFE, U+FFFF, lone surrogates), which a saved SVG (XML) cannot hold.
_NOT_IN_TOKENS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")


def check_token(tok: Any, what: str) -> None:
    """Tokens are text as the author wrote it: a non-empty string of visible characters."""
    if not isinstance(tok, str):
        raise AttentionError(f"{what} reads as {shown(tok)}, not as text; put it in quotes")
    if tok == "":
        raise AttentionError(f"{what} is empty; every token needs at least one character")
    bad = _NOT_IN_TOKENS.search(tok)
    if bad:
        code = ord(bad.group(0))
        kind = "the non-character" if code >= 0xD800 and code != 0xFEFF else "the control character"
        raise AttentionError(f"{what} ({shown(tok)}) holds {kind} U+{code:04X}; a token is visible text")


def _as_matrix(where: str, value: Any) -> Matrix:
    """Rows of numbers, all as long (square or not: that depends on ``key_tokens``)."""
    rows = _as_rows(where, value)
    for r, row in enumerate(rows):
        if len(row) != len(rows[0]):
            raise AttentionError(
                f"{where}: row {r + 1} has {len(row)} values but row 1 has "
                f"{len(rows[0])}; every row has one value per key"
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
                raise AttentionError(f"{where}: row {r + 1}, column {c + 1} is {shown(x)}, not a number")
            values.append(float(x))
        rows.append(tuple(values))
    return tuple(rows)


def _is_matrix(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(row, list) and all(not isinstance(x, list) for x in row) for row in value)
    )


def _as_heads(key: str, value: Any) -> tuple[HeadWeights, ...]:
    """``weights``/``scores``: N×N, a list of N×N (one per head), or name → N×N."""
    if isinstance(value, dict):
        if not value:
            raise AttentionError(f"{shown(key)} is an empty mapping: give head name → N×N matrix")
        heads = tuple(
            HeadWeights(str(name), _as_matrix(f"{key} of head {shown(name)}", m)) for name, m in value.items()
        )
    elif _is_matrix(value):
        heads = (HeadWeights("Head 1", _as_matrix(f"{shown(key)}", value)),)
    elif isinstance(value, list) and value and all(_is_matrix(m) for m in value):
        heads = tuple(
            HeadWeights(f"Head {h + 1}", _as_matrix(f"{key} of head {h + 1}", m)) for h, m in enumerate(value)
        )
    else:
        raise AttentionError(
            f"{shown(key)} must be an N×N list of rows, a list of N×N matrices (one per head), "
            "or a mapping head name → N×N matrix"
        )
    sizes = {(len(h.rows), len(h.rows[0])) for h in heads}
    if len(sizes) > 1:
        listed = ", ".join(f"{m}×{n}" for m, n in sorted(sizes))
        raise AttentionError(f"all heads in {shown(key)} must have the same size, got {listed}")
    return heads


def _as_vectors(key: str, value: Any) -> tuple[Matrix, ...]:
    """``queries``/``keys``: an N×d list of vectors, or a list of them (one per head)."""
    if _is_matrix(value):
        mats = [value]
    elif isinstance(value, list) and value and all(_is_matrix(m) for m in value):
        mats = value
    else:
        raise AttentionError(f"{shown(key)} must be a list of N vectors (N×d), or one such list per head")
    out = []
    for h, m in enumerate(mats):
        where = f"{shown(key)}" if len(mats) == 1 else f"{key} of head {h + 1}"
        rows = _as_rows(where, m)
        widths = {len(r) for r in rows}
        if len(widths) > 1 or 0 in widths:
            raise AttentionError(f"{where}: every vector must have the same length, got {sorted(widths)}")
        out.append(rows)
    if len({(len(m), len(m[0])) for m in out}) > 1:
        raise AttentionError(f"all heads in {shown(key)} must have the same shape")
    return tuple(out)


def _as_indices(key: str, value: Any) -> Indices:
    """``layer``/``head``: one 0-based index or a list of them (header form: ``0,2``)."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
        value = [_whole_of(key, p) if re.fullmatch(r"\d+", p) else p for p in parts]
        value = value[0] if len(value) == 1 else value
    items = value if isinstance(value, list) else [value]
    if not items:
        raise AttentionError(f"{shown(key)} must be an index (0, 1, …) or a list of them")
    out = tuple(_as_int(key, v, 0, 4095) for v in items)
    if len(set(out)) != len(out):
        raise AttentionError(f"{shown(key)} lists an index twice: {list(out)}")
    return out


def _as_float(key: str, value: Any, lo: float) -> float:
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AttentionError(f"{shown(key)} must be a number, not {shown(value)}")
    if value <= lo:
        raise AttentionError(f"{shown(key)} must be greater than {lo:g}, not {shown(value)}")
    return float(value)


def _as_fraction(key: str, value: Any) -> float:
    """A weight cut-off: a number from 0 up to (not including) 1."""
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
        raise AttentionError(
            f"{shown(key)} must be a weight from 0 up to (not including) 1, not {shown(value)}"
        )
    return float(value)


def _as_focus(key: str, value: Any) -> int | str:
    if isinstance(value, str) and re.fullmatch(r"\d+", value.strip()):
        value = _whole_of(key, value)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or (isinstance(value, int) and value < 0):
        raise AttentionError(f"'focus' must be a token or its 0-based index, not {shown(value)}")
    return value


#: A figure id a reader can type into a link: a letter, then letters, digits, "-" or "_".
_FIGURE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


def _name(what: str, example: str) -> Callable[[str, Any], str]:
    """A reader of a name that links or groups figures (``id``, ``sync``)."""

    def read(key: str, value: Any) -> str:
        text = _as_text(key, value)
        if not _FIGURE_ID.fullmatch(text):
            raise AttentionError(
                f"{shown(key)} {shown(text)} is not a usable {what}: start with a letter, "
                f"then letters, digits, '-' or '_' (at most 64), such as {example}"
            )
        return text

    return read


def _whole(lo: int, hi: int) -> Callable[[str, Any], int]:
    return lambda key, value: _as_int(key, value, lo, hi)


def _one_of(choices: tuple[str, ...]) -> Callable[[str, Any], str]:
    return lambda key, value: _as_choice(key, value, choices)


def _as_probe(key: str, value: Any) -> RepeatedProbe:
    """``repeated`` (10 tokens, seed 0) or a mapping ``{repeated: 12, seed: 3}``."""
    if value == "repeated":
        return RepeatedProbe()
    if isinstance(value, Mapping) and "repeated" in value:
        unknown = sorted(str(k) for k in value if k not in ("repeated", "seed"))
        if unknown:
            raise AttentionError(
                f"{shown(key)} takes 'repeated' (how many tokens) and 'seed', not {shown(unknown[0])}"
            )
        return RepeatedProbe(
            _as_int(f"{key}: repeated", value["repeated"], 1, MAX_TOKENS // 2),
            _as_int(f"{key}: seed", value.get("seed", 0), 0, 2**32 - 1),
        )
    raise AttentionError(
        f"{shown(key)} must be 'repeated' or a mapping like {{repeated: 12, seed: 3}}, not {shown(value)}"
    )


#: Most tokens ``generate`` writes.
MAX_GENERATE = 256
_GENERATE_KEYS = ("tokens", "temperature", "top_k", "seed")


def _as_generate(key: str, value: Any) -> Generate:
    """``8`` (greedy) or a mapping ``{tokens: 8, temperature: 0.8, top_k: 20, seed: 3}``."""
    if not isinstance(value, Mapping):
        return Generate(_as_int(key, value, 1, MAX_GENERATE))
    unknown = sorted(str(k) for k in value if k not in _GENERATE_KEYS)
    if unknown or "tokens" not in value:
        raise AttentionError(
            f"{shown(key)} takes 'tokens' (how many to write) and, to sample, 'temperature', "
            f"'top_k' and 'seed'" + (f"; not {shown(unknown[0])}" if unknown else "")
        )
    temperature = value.get("temperature")
    if temperature is None and ("top_k" in value or "seed" in value):
        raise AttentionError(
            f"{shown(key)}: 'top_k' and 'seed' choose how tokens are sampled; add 'temperature' "
            "(1 samples from the model's own probabilities), or leave them out to write greedily"
        )
    return Generate(
        _as_int(f"{key}: tokens", value["tokens"], 1, MAX_GENERATE),
        None if temperature is None else _as_float(f"{key}: temperature", temperature, 0.0),
        None if value.get("top_k") is None else _as_int(f"{key}: top_k", value["top_k"], 1, 2**31 - 1),
        _as_int(f"{key}: seed", value.get("seed", 0), 0, 2**32 - 1),
    )


def _positive(key: str, value: Any) -> float:
    return _as_float(key, value, 0.0)


@dataclass(frozen=True)
class Option:
    """One fence option: how a value is read, its default, where it applies, what it means."""

    name: str
    read: Callable[[str, Any], Any] = field(repr=False)
    doc: str
    default: Any = None
    #: The sources (``SOURCES``) it applies to, None for all; given with any other it is an error.
    sources: tuple[str, ...] | None = None
    #: Whether it may go in the fence header (short scalars only).
    header: bool = True
    #: Whether its value is text: YAML keeps a plain scalar's characters (``010`` stays ``010``).
    text: bool = False
    #: Whether a ``compare:`` mapping may hold it, as its second source's own option.
    compare: bool = False


def _option(
    default: Any,
    read: Callable[[str, Any], Any],
    doc: str,
    *,
    sources: tuple[str, ...] | None = None,
    header: bool = True,
    text: bool = False,
    compare: bool = False,
) -> Any:
    """A ``Spec`` field that is a fence option of the field's name (``OPTIONS`` gathers them)."""
    return field(
        default=default, metadata={"option": Option("", read, doc, default, sources, header, text, compare)}
    )


# ── Sources: each kind says which options name it, what it holds, and how messages call it ───


@dataclass(frozen=True)
class SourceKind:
    """What every source says of itself: its ``kind`` (as ``Spec.source`` spells it), how messages
    call it, the options that name it (with their readers), whether it can be ``compare``'s second
    source, how it is made from the options read, and the files it reads."""

    kind: ClassVar[str]
    what: ClassVar[str]
    options: ClassVar[tuple[Option, ...]] = ()
    second: ClassVar[bool] = False

    @classmethod
    def make(cls, data: Mapping[str, Any]) -> SourceKind:
        return cls()

    def files(self, page_dir: Path, project_dir: Path) -> tuple[Path, ...]:
        """The files the source reads (a change to one changes the figure)."""
        return ()


@dataclass(frozen=True)
class ToyModel(SourceKind):
    """The built-in numpy layer (``heads``, ``dim``, ``seed``, ``temperature``): the source of a
    fence that names none."""

    kind: ClassVar[str] = "toy"
    what: ClassVar[str] = "the toy model"


@dataclass(frozen=True)
class HFModel(SourceKind):
    """A Hugging Face model, by hub id or local path."""

    name: str = ""
    kind: ClassVar[str] = "hf"
    what: ClassVar[str] = "a Hugging Face model"
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "model",
            _as_text,
            "`toy`, the built-in numpy layer, or a Hugging Face model id or local path",
            "toy",
            text=True,
        ),
    )

    @classmethod
    def make(cls, data: Mapping[str, Any]) -> HFModel:
        return cls(data["model"])

    def files(self, page_dir: Path, project_dir: Path) -> tuple[Path, ...]:
        folder = project_dir / Path(self.name).expanduser()
        if not folder.is_dir():
            return ()  # a hub id
        return tuple(folder.absolute() / name for name in MODEL_FILES if (folder / name).is_file())


@dataclass(frozen=True)
class Weights(SourceKind):
    """Hand-written weights, one matrix per head."""

    heads: tuple[HeadWeights, ...] = ()
    kind: ClassVar[str] = "weights"
    what: ClassVar[str] = "'weights'"
    options: ClassVar[tuple[Option, ...]] = (
        Option(
            "weights",
            _as_heads,
            "hand-written weights: N×N, a list of them (one per head) or head name → N×N",
            header=False,
        ),
    )
    second: ClassVar[bool] = True

    @classmethod
    def make(cls, data: Mapping[str, Any]) -> Weights:
        return cls(data["weights"])


@dataclass(frozen=True)
class Scores(SourceKind):
    """Hand-written pre-softmax scores, one matrix per head."""

    heads: tuple[HeadWeights, ...] = ()
    kind: ClassVar[str] = "scores"
    what: ClassVar[str] = "'scores'"
    options: ClassVar[tuple[Option, ...]] = (
        Option("scores", _as_heads, "pre-softmax logits, same shapes as `weights`", header=False),
    )
    second: ClassVar[bool] = True

    @classmethod
    def make(cls, data: Mapping[str, Any]) -> Scores:
        return cls(data["scores"])


@dataclass(frozen=True)
class QueriesKeys(SourceKind):
    """Query and key vectors, one list of each per head."""

    queries: tuple[Matrix, ...] = ()
    keys: tuple[Matrix, ...] = ()
    kind: ClassVar[str] = "qk"
    what: ClassVar[str] = "'queries'"
    options: ClassVar[tuple[Option, ...]] = (
        Option("queries", _as_vectors, "N×d query vectors, or one list per head (with `keys`)", header=False),
        Option("keys", _as_vectors, "N×d key vectors, or one list per head (with `queries`)", header=False),
    )
    second: ClassVar[bool] = True

    @classmethod
    def make(cls, data: Mapping[str, Any]) -> QueriesKeys:
        return cls(data["queries"], data["keys"])


@dataclass(frozen=True)
class DataFile(SourceKind):
    """A ``.npy``, ``.npz`` or ``.json`` file, relative to the page; or, from a notebook's
    ``show(attentions=…)``, the array itself (``data``; ``path`` then names it in messages), and
    from ``show(generated=…)`` the model's writing too (``writing``, an ``attention.Generation``)."""

    path: str = ""
    data: Any = field(default=None, compare=False, repr=False)
    writing: Any = field(default=None, compare=False, repr=False)
    kind: ClassVar[str] = "file"
    what: ClassVar[str] = "'file'"
    options: ClassVar[tuple[Option, ...]] = (
        Option("file", _as_text, "a `.npy`, `.npz` or `.json` file beside the page", text=True),
    )
    second: ClassVar[bool] = True

    @classmethod
    def make(cls, data: Mapping[str, Any]) -> DataFile:
        return cls(data["file"])

    def files(self, page_dir: Path, project_dir: Path) -> tuple[Path, ...]:
        return ((page_dir / self.path).absolute(),) if self.data is None else ()


#: Where a figure's weights come from: exactly one per fence, decided when the spec is built.
Source = SourceKind
#: Every source by ``kind``, in the order messages list them.
SOURCE_KINDS: dict[str, type[SourceKind]] = {
    s.kind: s for s in (ToyModel, HFModel, Weights, Scores, QueriesKeys, DataFile)
}
SOURCES = tuple(SOURCE_KINDS)
#: The files of a local model folder whose change changes its attention (a Marian model's
#: tokenizer: the SentencePiece models of both languages and the vocabulary they share).
MODEL_FILES = (
    "config.json",
    "model.safetensors",
    "pytorch_model.bin",
    "tokenizer.json",
    "vocab.txt",
    "vocab.json",
    "source.spm",
    "target.spm",
)


def _as_compare(key: str, value: Any) -> str | dict[str, Any]:
    """``causal``, or a mapping of a second source (validated as a fence once the tokens are known)."""
    if value == "causal":
        return "causal"
    if not isinstance(value, dict):
        raise AttentionError("'compare' is 'causal' or a second source, such as 'compare: {file: b.npy}'")
    for k in value:
        if k not in OPTIONS or not OPTIONS[k].compare:
            raise AttentionError(
                f"'compare' cannot hold {shown(k)}: it takes a second source "
                "(weights, scores, queries and keys, or file) and its options; tokens "
                "are the figure's"
            )
    return dict(value)


_TOY, _HF = ("toy",), ("hf",)


@dataclass(frozen=True)
class Spec:
    """A validated fence: what to show and how. Immutable so it can key caches.

    Each field that is a fence option declares it (``_option``: default, reader, documentation,
    where it applies); ``source`` holds the source the fence names, whose options each kind of
    source declares. ``tokens`` is empty when the source supplies them (a file with tokens, a
    real model).
    """

    #: A model's text (other sources show ``tokens``).
    text: str | None = _option(
        None,
        _as_text,
        "the sentence, split into words and punctuation (for a model: the text it reads)",
        header=False,
        text=True,
    )
    tokens: tuple[str, ...] = field(
        default=(),
        metadata={
            "option": Option(
                "",
                lambda _key, value: _as_tokens(value),
                "a list of token strings, used verbatim (instead of `text`)",
                header=False,
                text=True,
            )
        },
    )
    #: The keys' tokens when they differ from ``tokens`` (cross-attention).
    key_tokens: tuple[str, ...] | None = _option(
        None,
        lambda key, value: _as_tokens(value, key),
        "the keys' tokens when they are not the queries' "
        "(cross-attention): matrices are then M×N, queries × keys",
        header=False,
        text=True,
        sources=("weights", "scores", "qk", "file"),
    )
    source: Source = ToyModel()
    causal: bool = _option(
        False, _as_bool, "mask keys after the query; for weights, a file or a model, check none is used"
    )
    temperature: float = _option(
        1.0, _positive, "divides the logits before the softmax", sources=("toy", "scores", "qk"), compare=True
    )
    normalize: bool = _option(
        False, _as_bool, "divide each row by its sum", sources=("weights", "file"), compare=True
    )
    heads: int = _option(1, _whole(1, 64), "toy model: number of heads", sources=_TOY)
    dim: int = _option(32, _whole(2, 1024), "toy model: width, a multiple of `heads`", sources=_TOY)
    seed: int = _option(0, _whole(0, 2**32 - 1), "toy model: seed", sources=_TOY)
    layer: Indices | None = _option(
        None,
        _as_indices,
        "0-based index (or list) of a file's or model's layers",
        sources=("file", "hf"),
        compare=True,
    )
    head: Indices | None = _option(
        None,
        _as_indices,
        "0-based index (or list) of a file's or model's heads",
        sources=("file", "hf"),
        compare=True,
    )
    rollout: bool = _option(
        False,
        _as_bool,
        "add a Rollout entry after the last layer: the attention "
        "rollout (Abnar & Zuidema, 2020) of a file's or model's layers",
        sources=("file", "hf"),
    )
    #: None: decided by the figure's shape (on for 2+ layers × 2+ heads).
    overview: bool | None = _option(
        None,
        _as_bool,
        "a grid of layer × head thumbnails above the figure; a "
        "click shows that head (default: on with 2 or more layers and 2 or "
        "more heads)",
    )
    sort_heads: str | None = _option(
        None,
        _one_of(tuple(stat.name for stat in HEAD_STATS)),
        "order the "
        "overview's heads in each layer by a head summary, smallest first: "
        "`entropy`, `previous`, `first`, `self`, `distance`, `duplicate` or `induction`",
    )
    #: "causal", or the second source's own spec (with this figure's tokens).
    compare: str | Spec | None = _option(
        None,
        _as_compare,
        "show B − A: `causal` (the same logits with the "
        "mask, minus without) or a second source of the same shape "
        "(`compare: {file: b.npy}`)",
        sources=("toy", "weights", "scores", "qk", "file"),
    )
    hide_special: bool = _option(
        False, _as_bool, "model: drop special tokens (rows renormalised)", sources=_HF
    )
    merge: str | None = _option(
        None,
        _one_of(("words",)),
        "model: `words` shows attention between whole words, not word pieces: to a word, the sum "
        "over its pieces; from a word, the mean over its pieces (rows still sum to 1)",
        sources=_HF,
    )
    weighting: str = _option(
        "attention",
        _one_of(WEIGHTINGS),
        "`attention` (the weights α themselves); for a model, `value-norm`: each weight times the "
        "size of what its key sends through the head, ‖α f(x)‖ with f(x) = (x W_V + b_V) W_O "
        "(Kobayashi et al., 2020), each row rescaled to sum to 1; for a file's or model's layers, "
        "`flow`: a last entry, Flow, of attention flow (Abnar & Zuidema, 2020), the max-flow from "
        "each token at the top through every layer to each input token; for a model, `alti`: a last "
        "entry, ALTI, of how much each input token makes up each token through every attention "
        "block with its residual stream and LayerNorm (Ferrando et al., 2022)",
        sources=("file", "hf"),
    )
    probe: RepeatedProbe | None = _option(
        None,
        _as_probe,
        "model: instead of `text`, `repeated` reads the model's start token, then 10 random tokens of "
        "its vocabulary, then the same 10 again, where induction heads show; "
        "`{repeated: 12, seed: 3}` picks how many and which",
        sources=_HF,
    )
    generate: Generate | None = _option(
        None,
        _as_generate,
        "causal model: write this many tokens after `text`, one at a time, and step through "
        "them: each new token's attention and what the model predicted; greedy, or sampled with "
        "`{tokens: 8, temperature: 0.8, top_k: 20, seed: 3}`",
        sources=_HF,
    )
    revision: str | None = _option(None, _as_text, "model: hub revision", sources=_HF, text=True)
    #: An encoder-decoder model's decoder input (``part`` decoder or cross).
    target: str | None = _option(
        None,
        _as_text,
        "encoder-decoder model: the text the decoder reads (a "
        "translation, a summary), for `part: decoder` or `cross`; `text` is the "
        "encoder's",
        header=False,
        text=True,
        sources=_HF,
    )
    part: str = _option(
        "encoder",
        _one_of(PARTS),
        "encoder-decoder model: `encoder` (the source's "
        "self-attention), `decoder` (the target's, causal) or `cross` (target tokens × "
        "source tokens)",
        sources=_HF,
    )
    focus: int | str | None = _option(
        None, _as_focus, "the token (text or 0-based index) shown without JavaScript and in print"
    )
    view: str = _option("arcs", _one_of(VIEWS), "`arcs`, `lines` or `matrix`")
    direction: str = _option(
        "out", _one_of(DIRECTIONS), "`out`: edges to what the token attends to; `in`: from what attends to it"
    )
    threshold: float = _option(0.0, _as_fraction, "hide edges lighter than this weight")
    top_k: int | None = _option(None, _whole(1, 4096), "draw only the k strongest edges of the active token")
    precision: int = _option(2, _whole(0, 6), "decimals shown for scores")
    #: The figure's id when the author names it (else a hash of the fence).
    id: str | None = _option(
        None,
        _name("figure id", "fox-example"),
        "a readable figure id for links (`#fox-example?pin=fox`); unique on the page",
        text=True,
    )
    sync: str | None = _option(
        None,
        _name("name", "heads"),
        "a name: the page's figures with the same name share hover, pin, head, layer and direction",
        text=True,
    )
    title: str | None = _option(None, _as_text, "text shown above the figure", text=True)
    caption: str | None = _option(None, _as_text, "text shown below the figure", text=True)


def _options() -> dict[str, Option]:
    """Every fence option, in ``Spec``'s order: its fields' and, in place of ``source``, each
    source's (a source's own options may go in ``compare``)."""
    out: dict[str, Option] = {}
    for f in fields(Spec):
        if f.name == "source":
            for kind in SOURCE_KINDS.values():
                out.update((o.name, replace(o, compare=kind.second)) for o in kind.options)
        elif "option" in f.metadata:
            out[f.name] = replace(f.metadata["option"], name=f.name)
    return out


OPTIONS: dict[str, Option] = _options()


def _listed(tokens: tuple[str, ...]) -> str:
    return ", ".join(tokens[:12]) + (", …" if len(tokens) > 12 else "")


def _size_error(
    key: str, shape: tuple[int, int], tokens: tuple[str, ...], keys: tuple[str, ...] | None
) -> AttentionError:
    m, n = shape
    if keys is None:
        return AttentionError(
            f"{shown(key)} is {m}×{n} but there are {len(tokens)} tokens ({_listed(tokens)})"
        )
    return AttentionError(
        f"{shown(key)} is {m}×{n} but there are {len(tokens)} tokens "
        f"({_listed(tokens)}) and {len(keys)} key tokens ({_listed(keys)})"
    )


def _source(o: Mapping[str, Any]) -> str:
    """Which source the options name (its ``kind``); more than one is an error. ``model: toy``
    names the toy model, the default."""
    if ("queries" in o) != ("keys" in o):
        raise AttentionError("'queries' and 'keys' go together: give both")
    model = _as_text("model", o["model"]) if "model" in o else "toy"
    named = [kind for kind in SOURCE_KINDS.values() if any(opt.name in o for opt in kind.options)]
    named.sort(key=lambda kind: kind is HFModel)  # a model is named last
    if model == "toy" and named == [HFModel]:
        return "toy"
    if len(named) > 1:
        listed = ["+".join(opt.name for opt in kind.options) for kind in named]
        raise AttentionError(f"give one source, not {' and '.join(repr(k) for k in listed)}")
    return named[0].kind if named else "toy"


def _tokens(o: Mapping[str, Any], source: str, max_tokens: int) -> tuple[str, ...]:
    if "text" in o and "tokens" in o:
        raise AttentionError("give either 'text' or 'tokens', not both")
    if source == "hf":
        if "tokens" in o:
            raise AttentionError("a Hugging Face model tokenizes 'text' itself: give 'text', not 'tokens'")
        if "probe" in o and "text" in o:
            raise AttentionError("give either 'text' or 'probe', not both: the probe is what the model reads")
        if "text" not in o and "probe" not in o:
            raise AttentionError("nothing to show: add 'text: a sentence' for the model to read")
        return ()
    if "tokens" in o:
        tokens = _as_tokens(o["tokens"])
    elif "text" in o:
        tokens = tokenize(_as_text("text", o["text"]))
        if not tokens:
            raise AttentionError("'text' has no words or punctuation to show")
        for i, tok in enumerate(tokens):
            check_token(tok, f"token {i + 1} of 'text'")
    elif source == "file":
        return ()  # the file must then carry its tokens
    else:
        raise AttentionError("nothing to show: add 'text: a sentence' or 'tokens: [a, list]'")
    check_token_count(len(tokens), max_tokens)
    return tokens


def _not_here(key: str, option: Option) -> AttentionError:
    users = " or ".join(SOURCE_KINDS[kind].what for kind in option.sources or SOURCES)
    return AttentionError(f"{shown(key)} applies to {users} only; it has no effect here")


def build_spec(options: Mapping[str, Any], *, max_tokens: int = MAX_TOKENS) -> Spec:
    """Validate merged options into a ``Spec``; every problem is an ``AttentionError``."""
    for key in options:
        _check_known(key)
    source = _source(options)
    for key in options:
        if source not in (OPTIONS[key].sources or SOURCES):
            raise _not_here(key, OPTIONS[key])
    tokens = _tokens(options, source, max_tokens)
    values: dict[str, Any] = {"tokens": tokens}
    for key, raw in options.items():
        if key not in ("text", "tokens"):
            values[key] = OPTIONS[key].read(key, raw)
    if "generate" in values:
        _check_generate(values)
    _check_weighting(values, source)
    if source == "hf" and "probe" in values:
        _check_probe(values)
    elif source == "hf":
        values["text"] = " ".join(_as_text("text", options["text"]).split())
        if not values["text"]:
            raise AttentionError("'text' is empty: give the model a sentence to read")
        _check_part(values)
    _check_sizes(values, tokens)
    if values.get("key_tokens") is not None:
        check_token_count(len(values["key_tokens"]), max_tokens)
        for key in ("causal", "compare"):
            if values.get(key) is True or values.get(key) == "causal":
                raise AttentionError(
                    f"{shown(key + (': causal' if key == 'compare' else ''))} masks the keys after "
                    "each query: it needs the queries' own tokens as keys, not 'key_tokens'"
                )
        if values.get("rollout"):
            raise AttentionError(
                "'rollout' chains layers over the same tokens: it needs queries "
                "and keys alike, not 'key_tokens'"
            )
    if "compare" in values:
        values["compare"] = _compare_spec(values, source, tokens, max_tokens)
    if values.get("sort_heads") and values.get("overview") is False:
        raise AttentionError(
            "'sort_heads' orders the overview's heads: it has no effect with 'overview: false'"
        )
    heads, dim = (values.get(k, OPTIONS[k].default) for k in ("heads", "dim"))
    if source == "toy" and dim % heads:
        raise AttentionError(f"'dim' ({dim}) must be a multiple of 'heads' ({heads})")
    data = {
        o.name: values.pop(o.name) for kind in SOURCE_KINDS.values() for o in kind.options if o.name in values
    }
    values["source"] = SOURCE_KINDS[source].make(data)
    return Spec(**values)


def _check_generate(values: dict[str, Any]) -> None:
    """What a model writes is one sequence of its own tokens, read causally: no probe, decoder
    part, hidden or merged tokens."""
    for key, why in (
        ("probe", "a probe is read, not continued: give the prompt as 'text'"),
        ("target", "a decoder-only model writes after 'text'; leave out 'target'"),
        ("part", "a decoder-only model writes after 'text'; leave out 'part'"),
        ("hide_special", "the steps are the tokens the model reads and writes, special ones too"),
        ("merge", "the model writes word pieces, one at a time"),
        ("weighting", "the steps show the attention of each new token"),
    ):
        if key in values and values[key] not in (None, False, "encoder", "attention"):
            raise AttentionError(f"'generate' cannot go with {shown(key)}: {why}")


def _check_weighting(values: dict[str, Any], source: str) -> None:
    """Value norms and ALTI are read from a model's projections; flow and ALTI are whole-model
    entries, as rollout is, and one of them is enough."""
    weighting = values.get("weighting", "attention")
    if weighting in ("value-norm", "alti") and source != "hf":
        raise AttentionError(
            f"'weighting: {weighting}' reads a model's value and output projections: it needs 'model'"
        )
    if weighting in ("flow", "alti") and values.get("rollout"):
        raise AttentionError(
            f"'weighting: {weighting}' and 'rollout' each add a whole-model entry after the last "
            "layer; choose one"
        )


def _check_probe(values: dict[str, Any]) -> None:
    """A probe is an input of its own tokens: no words to merge, no decoder to give it."""
    if values.get("merge"):
        raise AttentionError("'merge: words' joins a text's word pieces; a probe's random tokens are none")
    if "target" in values or values.get("part", "encoder") != "encoder":
        raise AttentionError(
            "'probe' is what the model (or an encoder-decoder's encoder) reads: leave out 'target' and 'part'"
        )


def _check_part(values: dict[str, Any]) -> None:
    """``part`` and ``target`` of an encoder-decoder model: the decoder's parts read ``target``, the
    encoder's does not; cross-attention has no causal mask and no rollout."""
    part = values.get("part", OPTIONS["part"].default)
    if "target" in values:
        values["target"] = " ".join(values["target"].split())
        if not values["target"]:
            raise AttentionError("'target' is empty: give the decoder a sentence to read")
        if part == "encoder":
            raise AttentionError(
                "'target' is what the decoder reads: it shows with 'part: decoder' or "
                "'part: cross'; the encoder's attention (part: encoder, the default) "
                "does not depend on it"
            )
    elif part != "encoder":
        raise AttentionError(
            f"'part: {part}' shows the decoder reading 'target': add 'target: ...', "
            "the text it reads (a translation, a summary)"
        )
    if part == "cross" and values.get("causal"):
        raise AttentionError(
            "'causal' masks the keys after each query, but with 'part: cross' the keys "
            "are the source's tokens, not the queries'; 'part: decoder' is causal"
        )
    if part != "encoder" and values.get("merge"):
        raise AttentionError(
            f"'merge: words' joins the pieces of the text's words: it shows the encoder's "
            f"self-attention (or a decoder-only model's), not 'part: {part}'"
        )
    if part == "cross" and values.get("rollout"):
        raise AttentionError(
            "'rollout' chains layers over the same tokens, but with 'part: cross' the "
            "queries are the target's tokens and the keys the source's; use it with "
            "'part: encoder' or 'part: decoder'"
        )


def _compare_spec(
    values: dict[str, Any], source: str, tokens: tuple[str, ...], max_tokens: int
) -> str | Spec:
    """``compare``'s value checked against the figure: ``causal`` needs logits and no mask of its
    own; a second source is read as a fence with the figure's tokens."""
    compare = values["compare"]
    for key in ("rollout", "overview", "sort_heads", "weighting"):  # they would not show B − A
        if values.get(key) not in (None, False, "attention"):
            raise AttentionError(f"{shown(key)} does not go with 'compare'")
    if compare == "causal":
        if source not in ("toy", "scores", "qk"):
            raise AttentionError(
                "'compare: causal' masks the same logits: it needs the toy model, "
                "'scores' or 'queries' and 'keys'"
            )
        if values.get("causal"):
            raise AttentionError(
                "'compare: causal' shows the figure with the mask minus without it; leave 'causal' out"
            )
        return "causal"
    other = dict(compare)
    if tokens:
        other["tokens"] = list(tokens)
    if values.get("key_tokens") is not None:
        other["key_tokens"] = list(values["key_tokens"])
    try:
        spec = build_spec(other, max_tokens=max_tokens)
    except AttentionError as exc:
        raise AttentionError(f"'compare': {exc.message}", line=exc.line) from None
    if not spec.source.second:
        raise AttentionError("'compare' needs a second source: weights, scores, queries and keys, or file")
    return spec


def _check_sizes(values: dict[str, Any], tokens: tuple[str, ...]) -> None:
    """Hand-written matrices and vectors must match the tokens (and each other): N×N, or M×N
    queries × keys with ``key_tokens``."""
    keys = values.get("key_tokens")
    for key in ("weights", "scores"):
        if key not in values:
            continue
        rows = values[key][0].rows
        shape = (len(rows), len(rows[0]))
        if keys is None and shape[0] != shape[1]:
            raise AttentionError(
                f"{shown(key)} must be square (N×N): it has {shape[0]} rows of "
                f"{shape[1]} values (for cross-attention, M×N, give 'key_tokens')"
            )
        if shape != (len(tokens), len(tokens if keys is None else keys)):
            raise _size_error(key, shape, tokens, keys)
    if "queries" in values:
        q, k = values["queries"], values["keys"]
        if len(q) != len(k):
            raise AttentionError(f"'queries' has {len(q)} heads but 'keys' has {len(k)}")
        if len(q[0][0]) != len(k[0][0]):
            raise AttentionError(
                f"queries have {len(q[0][0])} numbers each but keys have {len(k[0][0])}: "
                "q·k needs the same length"
            )
        for key, m, side, what in (
            ("queries", q, tokens, "tokens"),
            ("keys", k, keys or tokens, "key tokens" if keys else "tokens"),
        ):
            if len(m[0]) != len(side):
                raise AttentionError(f"{shown(key)} has {len(m[0])} vectors but there are {len(side)} {what}")


def parse_fence(body: str, header: str | Mapping[str, str] = "", *, max_tokens: int = MAX_TOKENS) -> Spec:
    """Parse a whole fence (header options + body) into a validated ``Spec``."""
    size = len(body) + (len(header) if isinstance(header, str) else sum(map(len, header.values())))
    if size > MAX_FENCE_CHARS:
        raise AttentionError(
            f"the fence is {size:,} characters long, more than the limit of "
            f"{MAX_FENCE_CHARS:,}; put large data in a file ('file:')"
        )
    head = parse_header(header) if isinstance(header, str) else dict(header)
    for key in head:
        _check_known(key)
        if not OPTIONS[key].header:
            raise AttentionError(f"{shown(key)} cannot go in the fence header; put it in the YAML body")
    options = parse_body(body)
    both = sorted(set(head) & set(options))
    if both:
        raise AttentionError(f"{shown(both[0])} is given both in the fence header and in the body")
    return build_spec({**head, **options}, max_tokens=max_tokens)
