"""Encoder-decoder models (issue 21): a tiny BART and a tiny Marian, built and saved by the tests.

``text`` is what the encoder reads, ``target`` what the decoder reads; ``part`` shows the
encoder's self-attention, the decoder's (causal) or the cross-attention of the target's tokens
(queries) over the source's (keys). Each fence goes the way an author's does (YAML body →
``parse_fence`` → ``load``) and the figure must equal the model's own eager ``encoder_attentions``,
``decoder_attentions`` and ``cross_attentions``, every layer and head, with the decoder reading
the target's labels shifted right by the model's own ``shift_tokens_right``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pytest

from mkdocs_attention.attention import Attention
from mkdocs_attention.cache import Cache
from mkdocs_attention.convert import Place, convert_fence
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.numerics import rollout
from mkdocs_attention.render.payload import payload_weights
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.sources.hf import decoder_ids, model_cache_key, run_model
from mkdocs_attention.spec import parse_fence
from tests.helpers import ROOT, requires_hf
from tests.render.test_payload import payload_of
from tests.tiny_models import make_bart, make_bert, make_gpt2, make_marian, reference_seq2seq

pytestmark = [requires_hf, pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses")]

TEXT = "The cat sat on the mat."
TARGET = "Le chat est assis sur le tapis."
#: As in test_hf.py: the figure is quantised to 16 bits as the build cache stores it.
QUANTISED = 0.5 / 65535 + 1e-12
PARTS = ("encoder", "decoder", "cross")
MARIAN = pytest.param(
    "marian",
    marks=pytest.mark.skipif(
        find_spec("sentencepiece") is None,
        reason="Marian's tokenizer needs sentencepiece: pip install sentencepiece",
    ),
)
FAMILIES = ["bart", MARIAN]
#: The page stores two decimals (precision 2) in one byte a weight.
ON_THE_PAGE = 0.5 / 100 + 1e-12
MAKE = {"bart": make_bart, "marian": make_marian}
#: The tokenizer's pieces: BART puts "<s>" … "</s>" around each side (byte-level BPE, "Ġcat") and
#: its decoder starts with "</s>"; Marian ends each side with "</s>" (SentencePiece, "▁cat") and
#: its decoder starts with "<pad>". The decoder reads the target's labels shifted right: their
#: closing "</s>" is what the last position predicts, not a token it reads.
PIECES = {
    "bart": (
        ["<s>", "The", "Ġcat", "Ġsat", "Ġon", "Ġthe", "Ġmat", ".", "</s>"],
        ["</s>", "<s>", "Le", "Ġchat", "Ġest", "Ġassis", "Ġsur", "Ġle", "Ġtapis", "."],
    ),
    "marian": (
        ["▁The", "▁cat", "▁sat", "▁on", "▁the", "▁mat", ".", "</s>"],
        ["<pad>", "▁Le", "▁chat", "▁est", "▁assis", "▁sur", "▁le", "▁tapis", "."],
    ),
}
SOURCE_WORDS = ("The", "cat", "sat", "on", "the", "mat", ".")
TARGET_WORDS = ("Le", "chat", "est", "assis", "sur", "le", "tapis", ".")
SHOWN = {
    "bart": (("<s>", *SOURCE_WORDS, "</s>"), ("</s>", "<s>", *TARGET_WORDS)),
    "marian": ((*SOURCE_WORDS, "</s>"), ("<pad>", *TARGET_WORDS)),
}


class Model(NamedTuple):
    family: str
    path: Path
    #: The model's own pieces, ids and attentions (``reference_seq2seq``) for TEXT and TARGET.
    own: dict[str, Any]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("seq2seq")


@pytest.fixture(scope="module", params=FAMILIES)
def model(request: pytest.FixtureRequest, root: Path) -> Model:
    path = MAKE[request.param](root / f"tiny-{request.param}")
    return Model(request.param, path, reference_seq2seq(path, TEXT, TARGET))


@pytest.fixture(scope="module")
def one_stack(root: Path) -> dict[str, Path]:
    """An encoder-only and a decoder-only model."""
    return {"bert": make_bert(root / "tiny-bert"), "gpt2": make_gpt2(root / "tiny-gpt2")}


def body(path: Path, part: str | None, extra: str = "", target: str | None = TARGET) -> str:
    lines = [f"model: {path}", f"text: {TEXT}"]
    if part is not None:
        lines.append(f"part: {part}")
    if target is not None and part not in (None, "encoder"):
        lines.append(f"target: {target}")
    return "\n".join(lines) + "\n" + extra


def fence(
    path: Path, part: str | None, extra: str = "", target: str | None = TARGET, env: LoadEnv | None = None
) -> Attention:
    """The figure of a fence for ``part`` (None: the default, the encoder), plus ``extra`` YAML."""
    return load(parse_fence(body(path, part, extra, target)), env)


@pytest.mark.parametrize("part", PARTS)
def test_every_layer_and_head_equals_the_models_own_attentions(model: Model, part: str) -> None:
    att = fence(model.path, part)
    ref = model.own[part]
    m = len(model.own["source_ids" if part == "encoder" else "target_ids"])
    n = len(model.own["target_ids" if part == "decoder" else "source_ids"])
    assert ref.shape == (2, 4, m, n) == att.weights.shape
    assert att.layer_names == ("Layer 0", "Layer 1")
    assert att.head_names == ("Head 0", "Head 1", "Head 2", "Head 3")
    np.testing.assert_allclose(att.weights, ref, rtol=0, atol=QUANTISED)
    exact = run_model(parse_fence(body(model.path, part)), str(model.path), LoadEnv())
    np.testing.assert_allclose(exact.weights, ref, rtol=0, atol=1e-9)  # before quantising
    source, target = SHOWN[model.family]
    if part == "cross":  # queries: the target's tokens (decoder); keys: the source's (encoder)
        assert att.cross and att.tokens == target and att.key_tokens == source
    else:
        assert not att.cross and att.tokens == (source if part == "encoder" else target)
    # The comparison means something: every two heads of a layer differ by far more than the
    # tolerance, so a swapped or repeated head (or part) fails.
    for layer in ref:
        for i in range(4):
            for j in range(i + 1, 4):
                assert np.abs(layer[i] - layer[j]).max() > 0.01, (i, j)


def test_the_encoder_is_the_default_and_needs_no_target(model: Model) -> None:
    att = fence(model.path, None)
    np.testing.assert_allclose(att.weights, model.own["encoder"], rtol=0, atol=QUANTISED)
    assert att.tokens == SHOWN[model.family][0] and not att.cross
    np.testing.assert_array_equal(fence(model.path, "encoder").weights, att.weights)


def test_tokens_on_each_side_are_the_tokenizers_pieces_made_readable(model: Model) -> None:
    from transformers import AutoConfig, AutoTokenizer

    own = model.own
    source, target = PIECES[model.family]
    assert own["source_pieces"] == source and own["target_pieces"] == target  # words, not letters
    assert own["label_pieces"] == [*target[1:], "</s>"]  # the decoder reads the labels shifted right
    tokenizer = AutoTokenizer.from_pretrained(model.path)
    config = AutoConfig.from_pretrained(model.path)
    assert decoder_ids(tokenizer, config, TARGET, "model") == own["target_ids"]
    att = fence(model.path, "cross")
    assert (att.key_tokens, att.tokens) == SHOWN[model.family]  # keys: the source; queries: the target
    assert len(att.tokens) == len(own["target_ids"]) and len(att.key_tokens) == len(own["source_ids"])


@pytest.mark.parametrize("model", [MARIAN], indirect=True)
def test_marians_decoder_reads_the_target_languages_pieces(model: Model) -> None:
    """Marian has a SentencePiece model per language: the target is split by the French one
    ("▁paresseux" is a piece of it), the text by the English one (where it falls into letters)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model.path)
    assert "▁paresseux" not in tokenizer.tokenize("paresseux")  # the source side's pieces
    att = load(
        parse_fence(
            f"model: {model.path}\ntext: The lazy dog.\npart: cross\ntarget: Le chien paresseux dort.\n"
        )
    )
    assert att.tokens == ("<pad>", "Le", "chien", "paresseux", "dort", ".")
    assert att.key_tokens == ("The", "lazy", "dog", ".", "</s>")


def test_the_decoder_is_causal_and_later_tokens_get_exactly_zero(model: Model) -> None:
    att = fence(model.path, "decoder", "causal: true\n")
    ref = model.own["decoder"]
    later = np.triu(np.ones(att.weights.shape[-2:], dtype=bool), 1)
    assert (ref[..., later] == 0).all() and (ref[..., ~later] > 0).all()  # the model masks later tokens only
    assert (att.weights[..., later] == 0).all()  # exactly 0 in the figure too
    np.testing.assert_allclose(att.weights, ref, rtol=0, atol=QUANTISED)
    first = SHOWN[model.family][0][0]
    with pytest.raises(AttentionError, match=rf"causal is true but '{first}' \(row 1\) attends to the later"):
        fence(model.path, "encoder", "causal: true\n")  # the encoder reads both ways


@pytest.mark.parametrize("part", PARTS)
def test_hide_special_drops_them_on_each_side_and_renormalises(model: Model, part: str) -> None:
    att = fence(model.path, part, "hide_special: true\n" + ("causal: true\n" if part == "decoder" else ""))
    own, special = model.own, set(model.own["special"])
    queries = own["source_ids" if part == "encoder" else "target_ids"]
    keys = own["target_ids" if part == "decoder" else "source_ids"]
    keep_q = [i for i, t in enumerate(queries) if t not in special]
    keep_k = [i for i, t in enumerate(keys) if t not in special]
    expected = own[part][:, :, keep_q][:, :, :, keep_k]
    expected = expected / expected.sum(-1, keepdims=True)
    np.testing.assert_allclose(att.weights, expected, rtol=0, atol=QUANTISED)
    shown = {
        "encoder": (SOURCE_WORDS, None),
        "decoder": (TARGET_WORDS, None),
        "cross": (TARGET_WORDS, SOURCE_WORDS),
    }
    assert (att.tokens, att.key_tokens) == shown[part]
    assert "Special tokens hidden" in (att.note or "")


def test_layer_and_head_pick_the_right_slices(model: Model) -> None:
    att = fence(model.path, "cross", "layer: 1\nhead: [3, 0]\n")
    assert att.layer_names == ("Layer 1",) and att.head_names == ("Head 3", "Head 0")
    np.testing.assert_allclose(att.weights, model.own["cross"][[1]][:, [3, 0]], rtol=0, atol=QUANTISED)
    att = fence(model.path, "decoder", "head: 2\n")
    assert att.layer_names == ("Layer 0", "Layer 1") and att.head_names == ("Head 2",)
    np.testing.assert_allclose(att.weights, model.own["decoder"][:, [2]], rtol=0, atol=QUANTISED)
    with pytest.raises(AttentionError, match=r"layer 2 does not exist: model '.*' has 2 layers"):
        fence(model.path, "encoder", "layer: 2\n")


@pytest.mark.parametrize("part", ["encoder", "decoder"])
def test_rollout_of_the_encoder_and_of_the_decoder(model: Model, part: str) -> None:
    att = fence(model.path, part, "rollout: true\n")
    assert att.rollout and att.layer_names == ("Layer 0", "Layer 1", "Rollout")
    np.testing.assert_allclose(att.weights[:2], model.own[part], rtol=0, atol=QUANTISED)
    np.testing.assert_allclose(att.weights[2, 0], rollout(model.own[part]), rtol=0, atol=4 * QUANTISED)
    if part == "decoder":
        assert (np.triu(att.weights[2, 0], 1) == 0).all()  # the decoder's rollout stays causal


def block_imports(folder: Path) -> dict[str, str]:
    """An environment whose ``import torch``/``transformers`` fail, as if not installed (as
    tests/test_hf_site.py does for a whole site)."""
    for name in ("torch", "transformers"):
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} is not installed here')\n")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}


FROM_CACHE = """\
import json, sys
from pathlib import Path
from mkdocs_attention.cache import Cache
from mkdocs_attention.sources import LoadEnv, load
from mkdocs_attention.spec import parse_fence
for name in ("torch", "transformers"):
    try:
        __import__(name)
    except ImportError:
        pass
    else:
        raise SystemExit(name + " can be imported")
env = LoadEnv(cache=Cache(Path(sys.argv[1])))
figures = [load(parse_fence(body), env) for body in json.loads(sys.argv[2])]
print(json.dumps([{"tokens": a.tokens, "key_tokens": a.key_tokens, "layers": a.layer_names,
                   "note": a.note, "w": a.weights.tolist()} for a in figures]))
"""


def test_the_cache_serves_every_part_to_a_build_without_torch(model: Model, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    bodies = [
        body(model.path, part, extra) for part in PARTS for extra in ("", "hide_special: true\nlayer: 1\n")
    ]
    cold = [load(parse_fence(b), LoadEnv(cache=Cache(folder))) for b in bodies]
    entries = sorted(folder.glob("*.json"))
    assert len(entries) == len(bodies)  # part and target are in the key: one entry each
    stored = [json.loads(e.read_text(encoding="utf-8")) for e in entries]
    crosses = [e["about"] for e in stored if "key_tokens" in e]  # a cross entry keeps its keys' tokens
    assert len(crosses) == 2 and all(a["part"] == "cross" and a["target"] == TARGET for a in crosses)
    warm = subprocess.run(
        [sys.executable, "-c", FROM_CACHE, str(folder), json.dumps(bodies)],
        capture_output=True,
        text=True,
        env=block_imports(tmp_path / "blocked"),
        timeout=120,
    )
    assert warm.returncode == 0, warm.stderr
    for fresh, cached in zip(cold, json.loads(warm.stdout), strict=True):
        assert tuple(cached["tokens"]) == fresh.tokens and tuple(cached["layers"]) == fresh.layer_names
        assert (tuple(cached["key_tokens"]) if cached["key_tokens"] else None) == fresh.key_tokens
        assert cached["note"] == fresh.note
        np.testing.assert_array_equal(np.array(cached["w"]), fresh.weights)  # the same bytes on the page
    assert sorted(folder.glob("*.json")) == entries


def test_the_cache_key_holds_target_and_part(model: Model) -> None:
    keys = {
        model_cache_key(parse_fence(b), str(model.path))
        for b in (
            body(model.path, None),
            body(model.path, "decoder"),
            body(model.path, "cross"),
            body(model.path, "cross", target="Le chat dort."),
        )
    }
    assert len(keys) == 4


def test_a_page_fence_renders_the_cross_attention(model: Model) -> None:
    outcome = convert_fence(body(model.path, "cross", "view: matrix\n"), "", Place(), set())
    assert outcome.error is None, outcome.error
    payload = payload_of(outcome.html)
    source, target = SHOWN[model.family]
    assert payload["tokens"] == list(target) and payload["key_tokens"] == list(source)
    np.testing.assert_allclose(payload_weights(payload), model.own["cross"], rtol=0, atol=ON_THE_PAGE)
    assert model.path / "model.safetensors" in outcome.reads
    if model.family == "marian":  # its tokenizer's files, so a changed one redoes the page
        assert {model.path / n for n in ("source.spm", "target.spm", "vocab.json")} <= set(outcome.reads)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("part: cross\n", r"'part: cross' shows the decoder reading 'target': add 'target: \.\.\.'"),
        ("part: decoder\n", r"'part: decoder' shows the decoder reading 'target'"),
        (
            "target: Le chat.\n",
            r"'target' is what the decoder reads: it shows with 'part: decoder' or 'part: cross'",
        ),
        ("part: encoder\ntarget: Le chat.\n", r"'target' is what the decoder reads"),
        ("part: cross\ntarget: '  '\n", r"'target' is empty"),
        (
            "part: cross\ntarget: Le chat.\nrollout: true\n",
            r"'rollout' chains layers over the same tokens, but with 'part: cross' the queries are the target's",
        ),
        (
            "part: cross\ntarget: Le chat.\ncausal: true\n",
            r"'causal' masks the keys after each query, but with 'part: cross' the keys are the source's tokens",
        ),
        (
            "part: crosss\ntarget: Le chat.\n",
            r"'part' must be one of encoder, decoder, cross, not 'crosss'; did you mean 'cross'",
        ),
    ],
)
def test_fences_that_cannot_be_shown(extra: str, message: str) -> None:
    with pytest.raises(AttentionError, match=message):
        parse_fence(f"model: ./any\ntext: The cat.\n{extra}")


@pytest.mark.parametrize("key", ["target: Le chat.", "part: cross"])
def test_target_and_part_apply_to_a_model_only(key: str) -> None:
    name = key.split(":")[0]
    with pytest.raises(AttentionError, match=rf"'{name}' applies to a Hugging Face model only"):
        parse_fence(f"tokens: [a, b]\nweights: [[1, 0], [0, 1]]\n{key}\n")
    with pytest.raises(AttentionError, match=rf"'{name}' applies to a Hugging Face model only"):
        parse_fence(f"text: a b\n{key}\n")  # the toy model


@pytest.mark.parametrize(("family", "kind"), [("bert", "bert"), ("gpt2", "gpt2")])
@pytest.mark.parametrize("part", ["decoder", "cross"])
def test_a_model_of_one_stack_has_no_decoder_part(
    one_stack: dict[str, Path], family: str, kind: str, part: str
) -> None:
    with pytest.raises(
        AttentionError,
        match=rf"'part: {part}' needs an encoder-decoder model \(BART, T5, "
        rf"Marian…\), but model '.*tiny-{family}' is a '{kind}' model",
    ):
        fence(one_stack[family], part)
    assert fence(one_stack[family], "encoder").weights.shape[0] == 2  # its own attention, as without 'part'


def test_rollout_refuses_a_cross_figure_in_words() -> None:
    from mkdocs_attention.sources import with_rollout

    cross = Attention(
        tokens=("a", "b"),
        key_tokens=("x",),
        weights=np.ones((2, 1, 2, 1)),
        head_names=("Head 0",),
        layer_names=("Layer 0", "Layer 1"),
    )
    with pytest.raises(
        AttentionError, match=r"cross-attention \(different query and key tokens\) has no rollout"
    ):
        with_rollout(cross)
