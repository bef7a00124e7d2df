"""A model's writing from a data file (the file form of ``generate``): the same figure as the
model gives, without torch at build time; a bad writing is named with its file."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mkdocs_attention import parse_fence
from mkdocs_attention.attention import Generation
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.render import render_figure
from mkdocs_attention.sources import LoadEnv, load
from tests.helpers import payload

TOKENS = ["<s>", "fox", "river", "fox", "river"]
PROMPT = 4  # the model wrote the last "river"


def causal(n: int, seed: int = 0) -> np.ndarray:
    raw = np.tril(np.random.default_rng(seed).random((2, 2, n, n)) + 0.05)
    return raw / raw.sum(-1, keepdims=True)


WRITING = {
    "prompt": PROMPT,
    "top": [[["river", 0.9], ["fox", 0.05]], [["fox", 0.7], ["<s>", 0.1]]],
    "chosen": [0.9],
}


def write(tmp_path: Path, kind: str, weights: np.ndarray, writing: dict) -> str:
    if kind == "json":
        data = {"attention": weights.tolist(), "tokens": TOKENS, "generation": writing}
        (tmp_path / "w.json").write_text(json.dumps(data), encoding="utf-8")
        return "w.json"
    np.savez(
        tmp_path / "w.npz",
        attention=weights,
        tokens=np.array(TOKENS),
        prompt=np.array(writing["prompt"]),
        next_tokens=np.array([[t for t, _ in step] for step in writing["top"]]),
        next_probs=np.array([[p for _, p in step] for step in writing["top"]]),
        chosen=np.array(writing["chosen"]),
    )
    return "w.npz"


@pytest.mark.parametrize("kind", ["json", "npz"])
def test_a_file_gives_a_writing_figure(tmp_path: Path, kind: str) -> None:
    weights = causal(5)
    name = write(tmp_path, kind, weights, WRITING)
    spec = parse_fence(f"file: {name}\nlayer: 1")
    attention = load(spec, LoadEnv(docs_dir=tmp_path, base_dir=tmp_path))
    assert attention.generation == Generation(
        prompt=4, top=((("river", 0.9), ("fox", 0.05)), (("fox", 0.7), ("<s>", 0.1))), chosen=(0.9,)
    )
    np.testing.assert_allclose(attention.weights, weights[1:], atol=1e-12)
    p = payload(render_figure(spec, attention, "w"))
    assert p["steps"]["prompt"] == 4 and len(p["steps"]["top"]) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"prompt": 0}, "'prompt' must be how many of the 5 tokens were the prompt, 1 to 5"),
        ({"prompt": 3}, "'top' needs one list a step: 3 for 2 tokens written"),
        ({"chosen": []}, "'chosen' needs the probability of each of the 1 tokens written"),
        ({"chosen": [1.5]}, "'chosen' 1 must be a probability from 0 to 1, not 1.5"),
        ({"top": [[["river", 0.9]], [["fox"]]]}, "step 1 of 'top', pair 1 must be [token, probability]"),
        ({"top": [[["river", 0.9]], []]}, "step 1 of 'top' must list 1 to 20 [token, probability] pairs"),
    ],
)
def test_a_bad_writing_is_named_with_its_file(tmp_path: Path, change: dict, message: str) -> None:
    name = write(tmp_path, "json", causal(5), {**WRITING, **change})
    with pytest.raises(AttentionError, match=r"file 'w.json': .*") as caught:
        load(parse_fence(f"file: {name}"), LoadEnv(docs_dir=tmp_path, base_dir=tmp_path))
    assert message in caught.value.message


def test_a_writing_that_looks_ahead_is_refused(tmp_path: Path) -> None:
    ahead = np.full((2, 2, 5, 5), 0.2)
    name = write(tmp_path, "npz", ahead, WRITING)
    with pytest.raises(AttentionError, match="later"):
        load(parse_fence(f"file: {name}"), LoadEnv(docs_dir=tmp_path, base_dir=tmp_path))
