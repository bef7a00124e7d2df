from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mkdocs_attention.errors import AttentionError
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.spec import build_spec


def stack(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    (tmp_path / "docs" / "lecture").mkdir(parents=True)
    return tmp_path / "docs"


def env(docs: Path, **kw) -> LoadEnv:
    return LoadEnv(base_dir=docs / "lecture", docs_dir=docs, **kw)


@pytest.mark.parametrize("shape", [(4, 4), (3, 4, 4), (2, 3, 4, 4)])
@pytest.mark.parametrize("fmt", ["npy", "npz", "json"])
def test_every_shape_and_format(docs: Path, shape: tuple[int, ...], fmt: str) -> None:
    w = stack(shape)
    tokens = ["a", "b", "c", "d"]
    path = docs / "lecture" / f"att.{fmt}"
    if fmt == "npy":
        np.save(path, w)
        opts = {"tokens": tokens}
    elif fmt == "npz":
        np.savez(path, attention=w, tokens=np.array(tokens))
        opts = {}
    else:
        path.write_text(json.dumps({"attention": w.tolist(), "tokens": tokens}))
        opts = {}
    att = load(build_spec({"file": f"att.{fmt}", **opts}), env(docs))
    full = w.reshape((1,) * (4 - w.ndim) + w.shape)
    np.testing.assert_allclose(att.weights, full, atol=1e-12)
    assert att.tokens == tuple(tokens)
    assert att.layer_names == tuple(f"Layer {i}" for i in range(full.shape[0]))
    assert att.head_names == tuple(f"Head {i}" for i in range(full.shape[1]))


def test_layer_and_head_selection(docs: Path) -> None:
    w = stack((3, 4, 2, 2))
    np.save(docs / "lecture" / "w.npy", w)
    att = load(build_spec({"file": "w.npy", "tokens": ["x", "y"], "layer": [2, 0], "head": 3}), env(docs))
    np.testing.assert_allclose(att.weights, w[[2, 0]][:, [3]])
    assert att.layer_names == ("Layer 2", "Layer 0") and att.head_names == ("Head 3",)


def test_plain_json_list_and_weights_name_in_npz(docs: Path) -> None:
    (docs / "lecture" / "m.json").write_text("[[0.5, 0.5], [0.1, 0.9]]")
    assert load(build_spec({"file": "m.json", "tokens": ["p", "q"]}), env(docs)).weights.shape == (1, 1, 2, 2)
    np.savez(docs / "lecture" / "n.npz", weights=np.eye(2))
    assert load(build_spec({"file": "n.npz", "tokens": ["p", "q"]}), env(docs)).n == 2


def test_paths_relative_to_the_page_and_up_to_the_docs_root(docs: Path) -> None:
    np.save(docs / "shared.npy", np.eye(2))
    assert load(build_spec({"file": "../shared.npy", "tokens": ["p", "q"]}), env(docs)).n == 2


def test_normalize(docs: Path) -> None:
    np.save(docs / "lecture" / "raw.npy", np.array([[2.0, 2.0], [1.0, 3.0]]))
    with pytest.raises(AttentionError, match="sums to 4"):
        load(build_spec({"file": "raw.npy", "tokens": ["p", "q"]}), env(docs))
    att = load(build_spec({"file": "raw.npy", "tokens": ["p", "q"], "normalize": True}), env(docs))
    np.testing.assert_allclose(att.weights[0, 0], [[0.5, 0.5], [0.25, 0.75]])


@pytest.mark.parametrize(
    ("setup", "options", "message"),
    [
        (
            lambda d: np.save(d / "a.npy", np.ones((2, 2, 2, 2, 2)) / 2),
            {"file": "a.npy"},
            "has shape (2, 2, 2, 2, 2); use (N, N), (heads, N, N) or (layers, heads, N, N)",
        ),
        (
            lambda d: np.save(d / "a.npy", np.ones((2, 3)) / 3),
            {"file": "a.npy"},
            "is 2×3: queries × keys of different lengths need the keys' tokens",
        ),
        (
            lambda d: np.savez(d / "a.npz", attn=np.eye(2)),
            {"file": "a.npz"},
            "has no array named 'attention' or 'weights' (it has: 'attn')",
        ),
        (lambda d: (d / "a.npy").write_bytes(b"not numpy"), {"file": "a.npy"}, "cannot be read"),
        (lambda d: (d / "a.json").write_text("{oops"), {"file": "a.json"}, "cannot be read"),
        (lambda d: (d / "a.json").write_text("[[1, 0], [1]]"), {"file": "a.json"}, "not a regular array"),
        (
            lambda d: (d / "a.json").write_text('{"attention": [[1]], "tokens": [1]}'),
            {"file": "a.json"},
            "token 1 reads as 1, not as text",
        ),
        (lambda d: np.save(d / "a.npy", np.eye(2)), {"file": "a.npy", "head": 1}, "head 1 does not exist"),
        (
            lambda d: np.save(d / "a.npy", np.array([[0.5, 0.5], [0.5, 0.5]])),
            {"file": "a.npy", "causal": True},
            "causal is true but 'p' (row 1) attends to the later token 'q'",
        ),
        (
            lambda d: np.save(d / "a.npy", np.array([[np.nan, 1], [0, 1]])),
            {"file": "a.npy"},
            "is nan, not a finite",
        ),
        (
            lambda d: np.save(d / "a.npy", np.eye(2)),
            {"file": "a.npy", "tokens": ["p", "q", "r"]},
            "file 'a.npy' is 2×2 but there are 3 tokens",
        ),
        (
            lambda d: np.savez(d / "a.npz", attention=np.eye(2), tokens=np.array(["x", "y", "z"])),
            {"file": "a.npz"},
            "the fence gives 2 tokens but file 'a.npz' has 3",
        ),
    ],
)
def test_file_errors(docs: Path, setup, options: dict, message: str) -> None:
    setup(docs / "lecture")
    opts = {"tokens": ["p", "q"], **options}
    with pytest.raises(AttentionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load(build_spec(opts), env(docs))


def test_oversized_and_escaping_paths(docs: Path, tmp_path: Path) -> None:
    np.save(docs / "lecture" / "big.npy", np.eye(64))
    with pytest.raises(AttentionError, match="more than the limit of 0 MB"):
        load(
            build_spec({"file": "big.npy", "tokens": [str(i) for i in range(64)]}),
            env(docs, max_file_bytes=100),
        )
    np.save(tmp_path / "outside.npy", np.eye(2))
    with pytest.raises(AttentionError, match="outside the docs directory"):
        load(build_spec({"file": "../../outside.npy", "tokens": ["p", "q"]}), env(docs))
    with pytest.raises(AttentionError, match="outside the docs directory"):
        load(build_spec({"file": str(tmp_path / "outside.npy"), "tokens": ["p", "q"]}), env(docs))


def test_a_file_without_tokens_needs_them_in_the_fence(docs: Path) -> None:
    np.save(docs / "lecture" / "a.npy", np.eye(2))
    with pytest.raises(AttentionError, match="has no tokens: add 'tokens"):
        load(build_spec({"file": "a.npy"}), env(docs))


def test_token_limit_applies_to_file_tokens(docs: Path) -> None:
    np.savez(docs / "lecture" / "t.npz", attention=np.eye(5), tokens=np.array(list("abcde")))
    with pytest.raises(AttentionError, match="5 tokens is more than the limit of 4"):
        load(build_spec({"file": "t.npz"}), env(docs, max_tokens=4))
