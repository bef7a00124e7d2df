"""The hostile-input corpus: malformed and hostile fences and data files, grouped by class.

Each class becomes one page of a test site (``docs/<class>.md``): a marker paragraph, then a
fence, for every case. ``tests/test_hostile_input.py`` builds that site with real ``mkdocs build``
runs and checks each case's warning, error box and figure.

A case whose ``expect`` is None is a good fence: it must render. Data files live in
``docs/data/``, which the sites keep out of MkDocs' own file copying (``exclude_docs``): MkDocs
itself copies a symlink to ``/dev/zero`` until the disk is full, and stops with a traceback at a
FIFO or a symlink loop, before our plugin has any say.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The set-ups every page is built in: the plugin alone, and Material with SuperFences. Data files
#: are kept out of MkDocs' static files (see the module docstring). ``max_file_mb`` is given as a
#: whole number (the "config" class): the file limits below read 100 MB.
CONFIGS = {
    "plain": (
        "site_name: Hostile\nexclude_docs: |\n  data/\nplugins:\n  - attention:\n      max_file_mb: 100\n"
    ),
    "material": (
        "site_name: Hostile\ntheme:\n  name: material\n  font: false\nexclude_docs: |\n  data/\n"
        "markdown_extensions:\n  - pymdownx.superfences\n  - admonition\n"
        "plugins:\n  - attention:\n      max_file_mb: 100\n"
    ),
}


def _deep_nesting_refused_by_libyaml() -> bool:
    """Whether this PyYAML's libyaml refuses deep nesting itself (PyYAML 6.0.3 and newer)."""
    import yaml

    try:
        yaml.load("[" * 5000 + "]" * 5000, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return True
    except RecursionError:
        return False
    return False


#: A 5000-deep list: refused while the YAML is read (on its line), or else by the option's reader.
DEEP: tuple[str, int | None] = (
    ("the YAML body cannot be read: exceeded maximum nesting depth", 0)
    if _deep_nesting_refused_by_libyaml()
    else ("'text' must be text, not", None)
)


@dataclass(frozen=True)
class Case:
    """One fence of the corpus."""

    name: str
    body: str
    #: What the warning and the error box must say (every fragment), or None for a good fence.
    expect: str | tuple[str, ...] | None
    header: str = ""
    #: The 0-based body line the warning names (a YAML error); None: the fence's opening line.
    body_line: int | None = None
    #: A known bug: why the message check fails (the case is then a strict xfail).
    xfail: str | None = None
    #: A good fence's tokens, exactly as the figure's payload must carry them.
    tokens: tuple[str, ...] | None = None

    @property
    def fragments(self) -> tuple[str, ...]:
        return (self.expect,) if isinstance(self.expect, str) else tuple(self.expect or ())


def laughs(levels: int = 9, width: int = 10) -> str:
    """A YAML billion-laughs flow list: ``width ** levels`` (a billion) items in a few hundred bytes."""
    parts = ["&l0 [" + ", ".join(["lol"] * width) + "]"]
    parts += [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "[" + ", ".join(parts) + "]"


def aliased_rows(rows: int = 2000) -> str:
    """``rows`` rows of weights, each an alias of one long row: 4 million values in 30 kB."""
    row = "[" + ", ".join(["0.0005"] * rows) + "]"
    return f"[&r {row}, " + ", ".join(["*r"] * (rows - 1)) + "]"


def big_yaml(lines: int) -> str:
    """A YAML body of about ``lines`` × 29 characters whose last line is a syntax error."""
    return "text: a\ncaption: |\n" + "  lorem ipsum dolor sit amet\n" * lines + "title: [unclosed"


GOOD = Case("good_sentence", "The cat sat on the mat.", None)
WORDS = " ".join(f"w{i}" for i in range(128))

CORPUS: dict[str, list[Case]] = {
    # 1. Inputs that could hang a build: they must finish in seconds.
    "hang": [
        Case("header_30_empty_values", "a b", "fence header: 'a' is given twice", header='a="" ' * 30 + "!"),
        Case("symlink_to_dev_zero", "tokens: [a]\nfile: data/zero.npy", "is outside the docs directory"),
        Case(
            "symlink_loop",
            "tokens: [a]\nfile: data/loop.npy",
            ("file 'data/loop.npy' cannot be read", "a symlink loop"),
        ),
        Case("fifo", "tokens: [a]\nfile: data/x.npy", "file 'data/x.npy' is not a regular file"),
        GOOD,
    ],
    # 2. Memory and time bombs: refused before anything of their size is allocated.
    "bombs": [
        Case("laughs_in_text", "text: " + laughs(), "the fence holds more than 262,144 values"),
        Case("laughs_in_tokens", "tokens: " + laughs(), "the fence holds more than 262,144 values"),
        Case(
            "laughs_in_weights",
            "tokens: [a, b]\nweights: " + laughs(),
            "the fence holds more than 262,144 values",
        ),
        Case(
            "npz_claims_134_MB",
            "tokens: [a]\nfile: data/bomb.npz",
            ("holds an array of shape (8, 8, 512, 512) (134 MB)", "more than the limit of 100 MB"),
        ),
        Case("npz_inflates_34_MB_of_zeros", "file: data/inflate.npz", "row 1 ('t0') sums to 0, not 1"),
        Case(
            "npy_128_bytes_claims_8_GB",
            "tokens: [a]\nfile: data/claim.npy",
            ("holds an array of shape (64, 64, 512, 512) (8,590 MB)", "more than the limit of 100 MB"),
        ),
        Case(
            "npy_million_heads",
            "tokens: [a]\nfile: data/heads.npy",
            "has 1 layers and 1000000 heads; at most 256 of each can be shown",
        ),
        Case("toy_dim_4096", "text: a b\ndim: 4096", "'dim' must be between 2 and 1024, not 4096"),
        *(
            Case(f"toy_dim_1024_seed_{s}", f"text: {WORDS}\nheads: 8\ndim: 1024\nseed: {s}", None)
            for s in range(12)
        ),
        Case(
            "weights_2000_aliased_rows",
            "tokens: [a]\nweights: " + aliased_rows(),
            "the fence holds more than 262,144 values",
        ),
        Case(
            "body_over_a_million_characters",
            "text: " + "a" * 1_000_001,
            "the fence is 1,000,007 characters long, more than the limit of 1,000,000",
        ),
        Case(
            "yaml_5_MB_error_near_end",
            big_yaml(180_000),
            "the fence is 5,220,035 characters long, more than the limit of 1,000,000",
        ),
        Case(
            "yaml_870_kB_error_at_end",
            big_yaml(30_000),
            "the YAML body cannot be read: did not find expected ',' or ']'",
            body_line=30_002,
        ),
    ],
    # 3. What once surfaced as internal errors (or tracebacks): now plain messages.
    "internal": [
        Case("nested_5000_deep", "text: " + "[" * 5000 + "]" * 5000, DEEP[0], body_line=DEEP[1]),
        Case(
            "heads_of_5000_digits",
            "text: a\nheads: " + "1" * 5000,
            ("the YAML body cannot be read", "value has 5000 digits"),
        ),
        Case("list_as_key", "text: a\n[a]: 1", "option names must be words", body_line=1),
        Case(
            "list_as_key_echoed",
            "text: a\n[a, b]: 1",
            "option names must be words, not ['a', 'b']",
            body_line=1,
        ),
        Case(
            "temperature_subnormal",
            "tokens: [a, b]\ntemperature: 1e-320\nscores: [[1, 0], [0, 1]]",
            "the score values divided by 9.99989e-321 are too large for a floating-point number",
        ),
        Case(
            "qk_overflow",
            "tokens: [a, b]\nqueries: [[1e200], [1]]\nkeys: [[1e200], [1]]",
            "the q·k values divided by √1 are too large for a floating-point number",
        ),
        Case(
            "nul_in_file_name",
            'tokens: [a]\nfile: "data/a\\0b.npy"',
            r"file 'data/a\x00b.npy' cannot be read: embedded null byte",
        ),
        Case(
            "file_name_5000_characters",
            "tokens: [a]\nfile: " + "n" * 5000 + ".npy",
            ("cannot be read", "file name too long"),
        ),
        Case(
            "empty_npy",
            "tokens: [a]\nfile: data/empty.npy",
            "file 'data/empty.npy' cannot be read: EOF: reading magic string",
        ),
        Case(
            "empty_npz",
            "tokens: [a]\nfile: data/empty.npz",
            "file 'data/empty.npz' cannot be read: File is not a zip file",
        ),
        Case(
            "npz_that_is_npy",
            "tokens: [a, b]\nfile: data/really_npy.npz",
            "file 'data/really_npy.npz' cannot be read: File is not a zip file",
        ),
        Case(
            "zero_heads", "tokens: [a, b]\nfile: data/noheads.npy", "has shape (0, 2, 2): it holds no weights"
        ),
        Case(
            "npz_tokens_0d_int",
            "file: data/tokens_0d.npz",
            "'tokens' must be a list of strings (a 1-D array of str), not int64 of shape ()",
        ),
        Case(
            "complex_npy",
            "tokens: [a, b]\nfile: data/complex.npy",
            "holds complex128 values, not real numbers",
        ),
        # Round three (issue 34).
        Case(
            "token_of_a_non_character",
            'tokens: ["a\\uFFFEb", c]\nweights: [[1, 0], [0, 1]]',
            "token 1 ('a\\ufffeb') holds the non-character U+FFFE; a token is visible text",
        ),
        Case(
            "header_heads_of_5000_digits",
            "a b",
            "'heads': a number of 5,000 digits is far too large",
            header="{heads=" + "1" * 5000 + "}",
        ),
        Case(
            "compare_causal_with_other_keys",
            "tokens: [a, b]\nkey_tokens: [x, y, z]\nscores: [[1, 0, 0], [0, 1, 0]]\ncompare: causal",
            "'compare: causal' masks the keys after each query: it needs the queries' own tokens as keys",
        ),
        Case(
            "compare_causal_with_as_many_other_keys",
            "tokens: [a, b]\nkey_tokens: [x, y]\nscores: [[1, 0], [0, 1]]\ncompare: causal",
            "'compare: causal' masks the keys after each query: it needs the queries' own tokens as keys",
        ),
        Case(
            "file_of_257_layers",
            "tokens: [a, b]\nfile: data/layers257.npy",
            "has 257 layers and 1 heads; at most 256 of each can be shown",
        ),
        Case(
            "file_of_257_layers_two_chosen",
            "tokens: [a, b]\nfile: data/layers257.npy\nlayer: [0, 256]",
            None,
            tokens=("a", "b"),
        ),
        GOOD,
    ],
    # 4. Values YAML or a file would silently turn into something else.
    "rewrites": [
        Case(
            "yaml_look_alikes",
            "tokens: [010, 1:30, 0x1F, 1_000, 3.10, yes]",
            None,
            tokens=("010", "1:30", "0x1F", "1_000", "3.10", "yes"),
        ),
        Case("binary_token", "tokens: [a, !!binary aGk=]", "token 2 reads as b'hi', not as text"),
        Case("npz_tokens_as_bytes", "file: data/tokens_bytes.npz", "file 'data/tokens_bytes.npz'"),
        Case(
            "npz_tokens_as_bytes_named", "file: data/tokens_bytes.npz", "'tokens' must be a list of strings"
        ),
        Case(
            "escape_in_token",
            'tokens: [a, "\\x1b[31mred"]',
            (r"token 2 ('\x1b[31mred') holds the control character U+001B", "a token is visible text"),
        ),
    ],
}

#: 5. The build cache and local models (needs torch and transformers). The warm-up build fills the
#: cache from ``WARM_PAGE``; ``edit_cache`` then spoils the entries for the first two fences.
CACHE_CASES = [
    Case(
        "cache_rows_off",
        "model: ./models/tiny-bert\ntext: the quick brown fox",
        (
            "the build cache entry",
            "(model './models/tiny-bert'), layer 0, head 0: row 1",
            "sums to 0.5, not 1",
        ),
    ),
    Case(
        "cache_600_tokens",
        "model: ./models/tiny-bert\ntext: the lazy dog",
        ("the build cache entry", "600 tokens is more than the limit of 512"),
    ),
    Case("cache_hit_renders", "model: ./models/tiny-bert\ntext: a cat sat on the mat", None),
    Case(
        "auto_map_model",
        "model: ./models/custom-code\ntext: the cat",
        ("asks to run code of its own ('auto_map' in its config.json)", "never runs a model's own code"),
    ),
]
CACHE_TEXTS = {"rows_off": "the quick brown fox", "600_tokens": "the lazy dog"}
WARM_PAGE = "# Warm\n\n" + "".join(f"```attention\n{c.body}\n```\n\n" for c in CACHE_CASES[:3])

#: 6. Configuration: ``max_file_mb`` as a whole number (both sites use it; see ``CONFIGS``).
CONFIG_CASES = ["max_file_mb_int"]


def page(cls: str, cases: list[Case]) -> tuple[str, list[int]]:
    """The page of a class and each case's fence line (1-based); a marker paragraph before each."""
    lines = [f"# {cls}", ""]
    fence_lines = []
    for k, case in enumerate(cases):
        lines += [f"Marker {cls} {k}.", ""]
        fence_lines.append(len(lines) + 1)
        lines.append(f"```attention {case.header}".rstrip())
        lines += case.body.split("\n")
        lines += ["```", ""]
    lines += [f"Marker {cls} end.", ""]
    return "\n".join(lines), fence_lines


def _npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue()


def _npz_member(z: zipfile.ZipFile, name: str, header: bytes, zero_bytes: int) -> None:
    """Write ``header`` then ``zero_bytes`` zeros as member ``name``, deflated (a few kB on disk)."""
    with z.open(name, "w", force_zip64=True) as fp:
        fp.write(header)
        for _ in range(zero_bytes // 2**20):
            fp.write(bytes(2**20))
        fp.write(bytes(zero_bytes % 2**20))


def write_data(docs: Path) -> None:
    """The data files the corpus reads, in ``docs/data/``."""
    data = docs / "data"
    data.mkdir(parents=True, exist_ok=True)
    os.symlink("/dev/zero", data / "zero.npy")
    os.symlink("loop.npy", data / "loop.npy")
    os.mkfifo(data / "x.npy")
    # A member claiming 134 MB of float64 with 4 MB of zeros behind it.
    with zipfile.ZipFile(data / "bomb.npz", "w", zipfile.ZIP_DEFLATED) as z:
        _npz_member(z, "attention.npy", _npy_header((8, 8, 512, 512)), 4 * 2**20)
    # Within every limit: 16 heads of 512×512 float64 (34 MB once inflated) and 512 tokens.
    with zipfile.ZipFile(data / "inflate.npz", "w", zipfile.ZIP_DEFLATED) as z:
        _npz_member(z, "attention.npy", _npy_header((1, 16, 512, 512)), 16 * 512 * 512 * 8)
        with z.open("tokens.npy", "w") as fp:
            np.lib.format.write_array(fp, np.array([f"t{i}" for i in range(512)]))
    (data / "claim.npy").write_bytes(_npy_header((64, 64, 512, 512)).ljust(128, b"\0"))
    np.save(data / "heads.npy", np.zeros((1, 1_000_000, 1, 1)))
    (data / "empty.npy").write_bytes(b"")
    (data / "empty.npz").write_bytes(b"")
    with (data / "really_npy.npz").open("wb") as fp:
        np.save(fp, np.eye(2))
    np.save(data / "noheads.npy", np.zeros((0, 2, 2)))
    np.savez(data / "tokens_0d.npz", attention=np.eye(2), tokens=np.array(7))
    np.save(data / "complex.npy", np.eye(2, dtype=complex))
    np.save(data / "layers257.npy", np.full((257, 1, 2, 2), 0.5))
    np.savez(data / "tokens_bytes.npz", attention=np.eye(2), tokens=np.array([b"a", b"b"]))


def write_custom_code_model(folder: Path) -> Path:
    """A model folder whose config asks for its own code; the code would leave a mark if it ran."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(
        json.dumps({"model_type": "bert", "auto_map": {"AutoModel": "modeling_evil.EvilModel"}})
    )
    (folder / "modeling_evil.py").write_text(
        "from pathlib import Path\nPath(__file__).with_name('RAN').write_text('ran')\n"
    )
    return folder


def edit_cache(cache: Path) -> dict[str, Path]:
    """Spoil the warm-up's entries: halve a row of one (it then sums to 0.5), give another 600
    tokens (more than ``max_tokens``). Returns the edited entries by what was done to them."""
    from mkdocs_attention.codec import decode_weights, encode_weights

    edited = {}
    for path in sorted(cache.glob("*.json")):
        entry = json.loads(path.read_text(encoding="utf-8"))
        text = entry["about"]["text"]
        if text == CACHE_TEXTS["rows_off"]:
            n = len(entry["tokens"])
            w = decode_weights(entry["w"], (len(entry["layers"]), len(entry["heads"]), n, n))
            w[0, 0, 0] *= 0.5
            entry["w"] = encode_weights(w)
            edited["rows_off"] = path
        elif text == CACHE_TEXTS["600_tokens"]:
            entry.update(
                tokens=[f"t{i}" for i in range(600)],
                layers=["Layer 0"],
                heads=["Head 0"],
                w=encode_weights(np.full((1, 1, 600, 600), 1 / 600)),
            )
            edited["600_tokens"] = path
        else:
            continue
        path.write_text(json.dumps(entry), encoding="utf-8")
    return edited
