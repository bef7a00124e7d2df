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
from tests.helpers import FIGURE, requires_hf
from tests.helpers import payload as payload_of

RNG = np.random.default_rng(7)
TOKENS = ["The", "cat", "sat", "down"]


def weights(*shape: int) -> np.ndarray:
    w = RNG.random(shape)
    return w / w.sum(-1, keepdims=True)


def payload(fig: Figure) -> dict:
    return payload_of(fig.html)


#: A hash id and its suffix: figures shown again get the next suffix.
UNID = re.compile(r"attn-[0-9a-f]{8}(-\d+)?")


def same_figure(a: Figure, b: Figure) -> bool:
    return UNID.sub("ID", a.html) == UNID.sub("ID", b.html)


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
    assert np.array_equal(as_stack(tuple(w), 1).pick([0, 1], [0, 1]), w[:, 1])
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


# Hostile input, round three (issue 34): the notebook's own values and its re-runs.


def test_a_stack_over_the_limits_is_refused_before_it_is_copied() -> None:
    """Broadcast arrays hold their shape's weights only in name: copying one would need
    128 GiB. The limit is checked on the shape, and only the chosen layers and heads are read."""
    big = np.broadcast_to(np.full((512, 512), 1 / 512), (256, 256, 512, 512))
    tokens = [f"t{i}" for i in range(512)]
    with pytest.raises(AttentionError, match=r"256×256×512×512 = 17,179,869,184 weights, more than"):
        show(attentions=big, tokens=tokens)
    with pytest.raises(AttentionError, match=r"5×4×512×512 = 5,242,880 weights"):
        show(attentions=big[:5, :4], tokens=tokens)
    p = payload(show(attentions=big, tokens=tokens, layer=[3, 200], head=7))
    assert (p["layers"], p["heads"]) == (["Layer 3", "Layer 200"], ["Head 7"])
    assert payload_weights(p).shape == (2, 1, 512, 512)


@requires_hf
def test_an_expanded_tensor_is_read_only_where_chosen() -> None:
    import torch

    big = torch.full((512, 512), 1 / 512).expand(256, 256, 512, 512)
    tokens = [f"t{i}" for i in range(512)]
    with pytest.raises(AttentionError, match=r"17,179,869,184 weights"):
        show(attentions=big, tokens=tokens)
    assert len(payload(show(attentions=big, tokens=tokens, layer=0, head=[0, 1]))["heads"]) == 2


def test_choosing_layers_of_a_stack_of_more_than_256_avoids_the_limit() -> None:
    w = np.broadcast_to(np.full((4, 4), 0.25), (257, 1, 4, 4))
    with pytest.raises(AttentionError, match=r"has 257 layers and 1 heads; at most 256 of each can be shown"):
        show(attentions=w, tokens=TOKENS)
    assert payload(show(attentions=w, tokens=TOKENS, layer=[0, 256]))["layers"] == ["Layer 0", "Layer 256"]


@pytest.mark.parametrize(
    "attentions, message",
    [
        (np.full((4, 4), 0.25, dtype=complex), r"attentions hold complex128 values, not real numbers"),
        (np.array([["a"] * 4] * 4), r"attentions hold <U1 values, not real numbers"),
    ],
)
def test_attentions_that_are_not_real_numbers_are_refused(attentions: object, message: str) -> None:
    with pytest.raises(AttentionError, match=message):
        show(attentions=attentions, tokens=TOKENS)


def test_options_of_the_attentions_are_kept_as_given() -> None:
    w = weights(4, 4)
    fig = show(attentions=w, tokens=TOKENS, id="mine", compare={"weights": np.eye(4)})
    assert re.match(r'<figure class="attn" id="mine"', fig.html)
    np.testing.assert_allclose(
        payload_weights({**payload(fig), "w": payload(fig)["compare"]["w"]})[0, 0], np.eye(4), atol=1e-3
    )
    with pytest.raises(AttentionError, match="give either attentions or file, not both"):
        show(attentions=w, tokens=TOKENS, file="w.npy")


def test_numpy_and_torch_values_are_numbers_and_matrices() -> None:
    by_python = show("The cat sat down", heads=2, seed=3)
    assert same_figure(show("The cat sat down", heads=np.int64(2), seed=np.uint8(3)), by_python)
    matrix = [[1.0, 0.0], [0.25, 0.75]]
    fig = show(tokens=["x", "y"], weights=np.array(matrix), compare={"weights": (np.eye(2),)[0]})
    assert fig.fence is not None and "weights: [[1.0, 0.0], [0.25, 0.75]]" in fig.fence
    assert fig.html == fence_figure(fig.fence)
    with pytest.raises(AttentionError, match=r"'weights' holds 1,048,576 numbers, more than the 262,144"):
        show(tokens=["x", "y"], weights=np.zeros((1024, 1024)))
    with pytest.raises(AttentionError, match=r"'title' cannot be \(1\+2j\)"):
        show("The cat sat", title=1 + 2j)


@requires_hf
def test_torch_values_as_options() -> None:
    import torch

    fig = show(tokens=["x", "y"], weights=torch.tensor([[1.0, 0.0], [0.25, 0.75]]), precision=torch.tensor(3))
    assert same_figure(fig, show(tokens=["x", "y"], weights=[[1.0, 0.0], [0.25, 0.75]], precision=3))


def test_none_is_an_option_not_given_and_text_options_take_text() -> None:
    assert same_figure(show("The cat sat", title=None), show("The cat sat"))
    with pytest.raises(AttentionError, match=r"'caption' must be text, not True"):
        show("The cat sat", caption=True)
    assert 'class="attn-title"' in show("The cat sat", title=3).html


@pytest.mark.parametrize("index", ["1", 1.0, True, [1]])
def test_batch_index_must_be_a_whole_number(index: object) -> None:
    with pytest.raises(AttentionError, match=r"batch_index must be a whole number, not "):
        show(attentions=tuple(weights(1, 2, 1, 4, 4)), tokens=TOKENS, batch_index=index)
    fig = show(attentions=tuple(weights(1, 2, 1, 4, 4)), tokens=TOKENS, batch_index=np.int64(1))
    assert payload(fig)["tokens"] == TOKENS


def test_save_without_a_title_names_the_page_attention(tmp_path: Path) -> None:
    page = show("The cat sat").save(tmp_path / "p.html", title=None).read_text(encoding="utf-8")
    assert "<title>Attention</title>" in page


def test_the_same_call_again_may_keep_its_id_but_another_figure_may_not_take_it() -> None:
    """Outside a front-end that names its cells: an id given again to the very same figure is
    a cell run again; given to another figure, it would be two figures of one id."""
    first = show("A cell run twice keeps its id.", id="rerun")
    assert show("A cell run twice keeps its id.", id="rerun").html == first.html
    with pytest.raises(AttentionError, match=r"'id' 'rerun' is already the id of a figure"):
        show("Another figure.", id="rerun")


@pytest.fixture(scope="module")
def kernel():  # type: ignore[no-untyped-def]
    """A real IPython kernel, sent requests as JupyterLab sends them (with the cell's id)."""
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3")
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run_cell(kc, code: str, cell: str) -> str:  # type: ignore[no-untyped-def]
    """Run ``code`` as cell ``cell`` and give its text/plain result, or its error's value."""
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}}
    msg = kc.session.msg("execute_request", {**content, "allow_stdin": False}, metadata={"cellId": cell})
    kc.shell_channel.send(msg)
    out = ""
    while True:
        reply = kc.get_iopub_msg(timeout=60)
        if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        kind, body = reply["msg_type"], reply["content"]
        if kind == "execute_result":
            out = body["data"]["text/plain"]
        elif kind == "error":
            out = body["evalue"]
        elif kind == "status" and body["execution_state"] == "idle":
            return out


def test_a_cell_run_again_keeps_its_ids_in_a_kernel(kernel) -> None:  # type: ignore[no-untyped-def]
    """Each run of a cell replaces its outputs: its ids are its own again, hash ids without a
    suffix; another cell still cannot take an id a cell holds."""
    ids = (
        'import re; from mkdocs_attention import show; i = lambda f: re.search(r\'id="([^"]+)"\', f.html)[1]'
    )
    run_cell(kernel, ids, "setup")
    code = "f = show('A cell run again.', id='again'); g = show('Twice in a cell.'); h = show('Twice in a cell.'); (i(f), i(g), i(h))"
    first = run_cell(kernel, code, "cell-a")
    assert run_cell(kernel, code, "cell-a") == first
    assert first.startswith("('again', 'attn-") and first.endswith("-2')")
    taken = run_cell(kernel, "show('Another cell.', id='again')", "cell-b")
    assert "'again' is already the id of a figure" in taken
    # A cell that now shows something else frees its old ids.
    run_cell(kernel, "show('A cell run again, edited.')", "cell-a")
    assert run_cell(kernel, "i(show('Another cell.', id='again'))", "cell-b") == "'again'"
