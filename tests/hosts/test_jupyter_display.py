"""``show()``, the notebook host: every input form, batch selection, errors, and the fence's bytes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import markdown
import numpy as np
import pytest

from mkdocs_attention import AttentionError, Figure, show
from mkdocs_attention.hosts.jupyter_display import as_stack
from mkdocs_attention.render.payload import payload_weights
from tests.helpers import payload as payload_of
from tests.helpers import requires_hf

FIGURE = re.compile(r'<figure class="attn" id="([^"]+)".*?</figure>', re.S)
RNG = np.random.default_rng(7)
TOKENS = ["The", "cat", "sat", "down"]


def weights(*shape: int) -> np.ndarray:
    w = RNG.random(shape)
    return w / w.sum(-1, keepdims=True)


def payload(fig: Figure) -> dict:
    return payload_of(fig.html)


def fence_figure(fence: str) -> str:
    (figure,) = FIGURE.finditer(markdown.markdown(fence, extensions=["attention"]))
    return figure.group(0)


def test_a_sentence_gives_the_fences_bytes() -> None:
    fig = show("A sentence only this test shows.")
    assert fig.fence == "```attention\nA sentence only this test shows.\n```\n"
    assert fig.html == fence_figure(fig.fence)


def test_options_as_keywords_give_the_fences_bytes() -> None:
    fig = show(tokens=["x", "y"], weights=[[1, 0], [0.25, 0.75]], view="matrix", title="By hand")
    assert "view: matrix" in fig.fence and "title: By hand" in fig.fence
    assert fig.html == fence_figure(fig.fence)
    assert payload(fig)["view"] == "matrix"


def test_a_figure_shown_twice_gets_two_ids() -> None:
    first, second = show("Shown twice in one notebook."), show("Shown twice in one notebook.")
    ids = [re.match(r'<figure class="attn" id="([^"]+)"', f.html).group(1) for f in (first, second)]
    assert ids[1] == ids[0] + "-2"


@pytest.mark.parametrize("shape, layers, heads", [((4, 4), 1, 1), ((3, 4, 4), 1, 3), ((2, 3, 4, 4), 2, 3)])
def test_numpy_attentions_of_every_rank(shape: tuple, layers: int, heads: int) -> None:
    w = weights(*shape)
    p = payload(show(attentions=w, tokens=TOKENS))
    assert (len(p["layers"]), len(p["heads"]), p["tokens"]) == (layers, heads, TOKENS)


def test_attentions_give_the_figure_of_a_fence_reading_them_from_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One way for both: every option (id, rollout, compare) behaves as in the fence.
    monkeypatch.chdir(tmp_path)
    w, b = weights(3, 2, 4, 4), weights(2, 4, 4)
    np.save(tmp_path / "a.npy", w)
    np.save(tmp_path / "b.npy", b)
    toks = json.dumps(TOKENS)
    rolled = show(attentions=w, tokens=TOKENS, rollout=True, id="rolled", title="Rolled")
    assert rolled.html == fence_figure(
        f"```attention\nfile: a.npy\ntokens: {toks}\nrollout: true\nid: rolled\ntitle: Rolled\n```\n"
    )
    assert payload(rolled)["layers"][-1] == "Rollout"
    compared = show(attentions=w[1], tokens=TOKENS, compare={"weights": b.tolist()})
    p = payload(compared)
    assert "compare" in p and {"compare", "compare.css"} <= set(compared.parts)
    np.testing.assert_array_equal(
        payload(show(attentions=w[1], tokens=TOKENS, compare={"file": "b.npy"}))["compare"]["w"],
        p["compare"]["w"],
    )
    with pytest.raises(AttentionError, match="either attentions or file"):
        show(attentions=w, tokens=TOKENS, file="a.npy")


def test_hugging_faces_tuple_of_batch_one_tensors_per_layer() -> None:
    w = weights(3, 1, 2, 4, 4)  # layers, batch, heads, N, N
    p = payload(show(attentions=tuple(w), tokens=TOKENS))
    assert len(p["layers"]) == 3 and len(p["heads"]) == 2


def test_cross_attentions_with_key_tokens() -> None:
    """A translation model's ``cross_attentions``: (batch, heads, target, source) per layer."""
    w = weights(2, 1, 3, 4, 5)
    keys = ["Le", "chat", "est", "assis", "."]
    p = payload(show(attentions=tuple(w), tokens=TOKENS, key_tokens=keys))
    assert (p["tokens"], p["key_tokens"], len(p["layers"]), len(p["heads"])) == (TOKENS, keys, 2, 3)
    with pytest.raises(AttentionError, match="need the keys' tokens"):
        show(attentions=tuple(w), tokens=TOKENS)


def test_a_batch_needs_its_index_and_the_index_picks_the_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = weights(2, 3, 2, 4, 4)  # layers, batch 3
    with pytest.raises(AttentionError, match=r"a batch of 3 sentences: say which with batch_index=0…2"):
        show(attentions=tuple(w), tokens=TOKENS)
    with pytest.raises(AttentionError, match=r"batch_index 3 does not exist"):
        show(attentions=tuple(w), tokens=TOKENS, batch_index=3)
    assert np.array_equal(as_stack(tuple(w), 1), w[:, 1])
    # The figure of batch 1 is the one a data file of that sentence's weights gives.
    monkeypatch.chdir(tmp_path)  # plain Markdown reads data files from the current folder
    np.save(tmp_path / "one.npy", w[:, 1])
    fig = show(attentions=tuple(w), tokens=TOKENS, batch_index=1)
    by_file = fence_figure(f"```attention\nfile: one.npy\ntokens: {json.dumps(TOKENS)}\n```\n")
    unid = re.compile(r"attn-[0-9a-f]{8}(-\d+)?")
    assert unid.sub("ID", fig.html) == unid.sub("ID", by_file)


@pytest.mark.parametrize(
    "attentions, message",
    [
        (np.ones((2, 3)), r"attentions is 2×3: queries × keys of different lengths need the keys\' tokens"),
        (np.ones(4), r"attentions has shape \(4,\); use \(N, N\)"),
        ([[[1.0, 0.0], [1.0]]], r"not a regular array of numbers"),
        ([np.ones((2, 2)), np.ones((3, 3))], r"the layers have different shapes"),
        ((), r"attentions is empty"),
    ],
)
def test_bad_attentions_raise_the_fences_messages(attentions: object, message: str) -> None:
    with pytest.raises(AttentionError, match=message):
        show(attentions=attentions, tokens=TOKENS)


def test_uniform_attentions_give_their_figure() -> None:
    p = payload(show(attentions=np.full((4, 4), 0.25), tokens=TOKENS))
    assert p["tokens"] == TOKENS
    np.testing.assert_array_equal(payload_weights(p), np.full((1, 1, 4, 4), 0.25))


def test_tokens_that_do_not_match_and_bad_options_are_the_fences_errors() -> None:
    with pytest.raises(AttentionError, match=r"attentions is 4×4 but there are 3 tokens"):
        show(attentions=weights(4, 4), tokens=TOKENS[:3])
    with pytest.raises(AttentionError, match=r"unknown option 'veiw'; did you mean 'view'"):
        show(attentions=weights(4, 4), tokens=TOKENS, veiw="matrix")
    with pytest.raises(AttentionError, match=r"^unknown option 'txt'"):
        show(txt="no such option")


@requires_hf
def test_torch_tensors_as_a_model_returns_them() -> None:
    import torch

    w = torch.tensor(weights(2, 1, 2, 4, 4), dtype=torch.bfloat16)
    p = payload(show(attentions=tuple(w), tokens=TOKENS))
    assert len(p["layers"]) == 2 and len(p["heads"]) == 2


def test_the_html_output_inlines_the_widget_once_and_save_writes_a_page(tmp_path: Path) -> None:
    fig = show("The output inlines its script.")
    out = fig._repr_html_()
    assert out.count("<script>") == 1 and out.count("<style>") == 1 and "http" not in out.split("<figure")[0]
    assert "window.mkdocsAttention" in out and fig.html in out
    page = fig.save(tmp_path / "fig.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and fig.html in page and "mkdocsAttention" in page
