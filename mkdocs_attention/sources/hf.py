"""Real models from Hugging Face (optional extra ``mkdocs-attention[hf]``).

Runs the model once with ``output_attentions=True`` (eager attention: SDPA kernels return no
attention maps), keeps the layers and heads asked for, and stores the result in the build
cache, so a later build needs neither torch nor transformers.

An encoder-decoder model (BART, T5, Marian…) reads ``text`` with its encoder and ``target`` with
its decoder; ``part`` picks the encoder's self-attention, the decoder's (causal) or the
cross-attention of the target's tokens (queries) over the source's (keys).
"""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .. import __version__
from ..attention import Attention, ValueNorms
from ..bounded_lru import BoundedLRU
from ..cache import cache_key
from ..codec import quantized
from ..errors import AttentionError, shown
from ..limits import check_token_count
from ..numerics import merge_pieces, value_weighted
from ..settings import log
from ..spec import RepeatedProbe, Spec, check_token
from . import alti, value_norms
from .checks import check_weights
from .env import LoadEnv
from .files import select
from .generation import check_writes

INSTALL_HINT = "install the extra with: pip install 'mkdocs-attention[hf]'"


def model_cache_key(spec: Spec, model: str) -> str:
    return cache_key(
        {
            "source": "hf",
            "model": model,
            "revision": spec.revision,
            "text": spec.text,
            "target": spec.target,
            "part": spec.part,
            "layer": spec.layer,
            "head": spec.head,
            "hide_special": spec.hide_special,
            "merge": spec.merge,
            "version": __version__,
            # Only when given, so the keys of fences with a text stay as they were.
            **({"probe": dataclasses.asdict(spec.probe)} if spec.probe is not None else {}),
            **({"generate": dataclasses.asdict(spec.generate)} if spec.generate is not None else {}),
            # Flow is computed from the attention after the load; these read the model itself.
            **({"weighting": spec.weighting} if spec.weighting in ("value-norm", "alti") else {}),
        }
    )


#: Loaded models, for all the fences that use them, up to 2 GB of parameters.
_MODELS: BoundedLRU[tuple[str, str | None, bool], tuple[Any, Any]] = BoundedLRU(
    2_000_000_000, lambda loaded: sum(p.numel() * p.element_size() for p in loaded[1].parameters())
)
#: Models that could not be loaded, with why, and when: a hub that cannot be reached is not asked
#: again for every fence (each try can take most of a minute), but is after a while.
_FAILED: dict[tuple[str, str | None, bool], tuple[float, str]] = {}
RETRY_AFTER_S = 300.0


_REACHABLE: dict[str, tuple[float, bool]] = {}


def _hub_reachable() -> bool:
    """Whether the hub's host name resolves (asked again after ``RETRY_AFTER_S``). Without a
    network, transformers retries each file for most of a minute."""
    from huggingface_hub import constants

    host = urlsplit(constants.ENDPOINT).hostname or ""
    known = _REACHABLE.get(host)
    if known is None or time.monotonic() - known[0] > RETRY_AFTER_S:
        try:
            socket.getaddrinfo(host, 443)
            known = (time.monotonic(), True)
        except OSError:
            known = (time.monotonic(), False)
        _REACHABLE[host] = known
    return known[1]


def load_model(name: str, revision: str | None, label: str, *, writes: bool = False) -> tuple[Any, Any]:
    """Tokenizer and model from ``name`` (an id or a folder; ``label``: as the fence names it),
    with its language-model head when it ``writes`` (``generate``); never a model folder's own
    code (``trust_remote_code=False``), never a question on the terminal."""
    key = (name, revision, writes)
    loaded = _MODELS.get(key)
    if loaded is not None:
        return loaded
    failed = _FAILED.get(key)
    if failed is not None and time.monotonic() - failed[0] < RETRY_AFTER_S:
        raise AttentionError(failed[1])
    try:
        loaded = _load_from_disk_or_hub(name, revision, label, writes)
    except AttentionError as exc:
        _FAILED[key] = (time.monotonic(), exc.message)
        raise
    _MODELS.put(key, loaded)
    return loaded


def _load_from_disk_or_hub(name: str, revision: str | None, label: str, writes: bool) -> tuple[Any, Any]:
    from transformers import AutoConfig, AutoModel, AutoModelForCausalLM, AutoTokenizer

    folder = Path(name)
    for config in ("config.json", "tokenizer_config.json"):
        try:
            custom = "auto_map" in json.loads((folder / config).read_text(encoding="utf-8"))
        except (OSError, ValueError, TypeError):
            custom = False
        if custom:
            raise AttentionError(
                f"model {shown(label)} asks to run code of its own ('auto_map' in its "
                f"{config}); mkdocs-attention never runs a model's own code"
            )
    kwargs: dict[str, Any] = {"trust_remote_code": False}
    if revision:
        kwargs["revision"] = revision
    offline = not folder.is_dir() and not _hub_reachable()
    if offline:  # only the local Hugging Face cache: no minute of retries per file
        kwargs["local_files_only"] = True
    try:
        if writes:  # refused before its weights load (into a head it may not have)
            config = AutoConfig.from_pretrained(name, **kwargs)
        tokenizer = AutoTokenizer.from_pretrained(name, **kwargs)
        if writes:
            check_writes(config, f"model {shown(label)}")
        model_class = AutoModelForCausalLM if writes else AutoModel
        model = model_class.from_pretrained(name, attn_implementation="eager", **kwargs)
    except AttentionError:
        raise
    except Exception as exc:
        text = str(exc).strip()
        first = text.splitlines()[0] if text else type(exc).__name__
        if "trust_remote_code" in text:
            first = "it asks to run code of its own, and mkdocs-attention never runs a model's own code"
        elif offline:
            first = (
                "the Hugging Face hub cannot be reached (no network?) and the model is not in the "
                "local Hugging Face cache"
            )
        raise AttentionError(f"model {shown(label)} cannot be loaded: {first}") from None
    model.eval()
    return tokenizer, model


def readable(tokenizer: Any, piece: str) -> str:
    """A word piece as a reader should see it: "Ġfox" → "fox", "##ing" stays, spaces → "␣"."""
    if piece.startswith("##"):
        return piece
    text = tokenizer.convert_tokens_to_string([piece]).strip()
    return text or "␣"


def model_location(name: str, env: LoadEnv) -> str:
    """A model id as given, or a local path ("./models/tiny") resolved against mkdocs.yml's folder."""
    if name.startswith(("./", "../", "/", "~")):
        return str((env.project_dir / Path(name).expanduser()).resolve())
    return name


def decoder_ids(tokenizer: Any, config: Any, target: str | None, what: str) -> list[int]:
    """What an encoder-decoder model's decoder reads: its start token, then the ids of ``target``
    as the tokenizer makes a training target (``text_target``: a Marian model's target-language
    pieces) without their closing end-of-sequence token. The labels shifted right, as the model
    is trained, never dropping a word. Without a target (the encoder's attention does not depend
    on it), the start token alone."""
    start = getattr(config, "decoder_start_token_id", None)
    if not isinstance(start, int):
        raise AttentionError(
            f"{what} names no decoder_start_token_id in its config.json: its decoder cannot be started"
        )
    if target is None:
        return [start]
    labels = list(tokenizer(text_target=target)["input_ids"])
    if labels and labels[-1] == tokenizer.eos_token_id:
        labels = labels[:-1]
    return [start, *labels]


def start_id(tokenizer: Any) -> int | None:
    """The token a model's input starts with: its beginning-of-sequence token, else its [CLS]."""
    for name in ("bos_token_id", "cls_token_id"):
        value = getattr(tokenizer, name, None)
        if isinstance(value, int):
            return value
    return None


def repeated_ids(tokenizer: Any, probe: RepeatedProbe, what: str) -> list[int]:
    """``probe: repeated``: the start token (if the model has one), then ``probe.length`` tokens
    drawn from the vocabulary with ``probe.seed``, then the same again. The tokens are distinct,
    none is special, and no two read alike (the probes compare tokens as shown), so the second
    half repeats the first and nothing else does."""
    special = set(tokenizer.all_special_ids)
    order = np.random.default_rng(probe.seed).permutation(len(tokenizer))
    chosen: list[int] = []
    seen: set[str] = set()
    for token_id in order.tolist():
        if token_id in special:
            continue
        shown_as = readable(tokenizer, tokenizer.convert_ids_to_tokens(token_id))
        if shown_as not in seen:
            seen.add(shown_as)
            chosen.append(token_id)
            if len(chosen) == probe.length:
                break
    else:
        raise AttentionError(
            f"{what}: 'probe' asks for {probe.length} distinct tokens, but the vocabulary has "
            f"only {len(chosen)}; ask for fewer"
        )
    start = start_id(tokenizer)
    return ([] if start is None else [start]) + chosen + chosen


def probe_note(tokenizer: Any, probe: RepeatedProbe) -> str:
    """What a probe figure shows, for its note."""
    start = start_id(tokenizer)
    first = "" if start is None else f"after {readable(tokenizer, tokenizer.convert_ids_to_tokens(start))}, "
    return (
        f"A probe: {first}{probe.length} random tokens of the vocabulary (seed {probe.seed}), "
        "then the same tokens again."
    )


def check_length(count: int, config: Any, what: str, side: str) -> None:
    positions = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)
    if isinstance(positions, int) and count > positions:
        raise AttentionError(
            f"{what}: the {side} makes {count} tokens, more than the {positions} "
            f"positions the model has; shorten the {side}"
        )


def run_model(spec: Spec, model_name: str, env: LoadEnv) -> Attention:
    """Tokenize, run, select; the uncached path."""
    try:
        import torch
    except ImportError:
        raise AttentionError(
            f"model {shown(model_name)} needs torch and transformers, and the build cache "
            f"holds no result for this fence; {INSTALL_HINT}"
        ) from None
    try:
        import transformers  # noqa: F401
    except ImportError:
        raise AttentionError(
            f"model {shown(model_name)} needs transformers, and the build cache holds no "
            f"result for this fence; {INSTALL_HINT}"
        ) from None
    started = time.perf_counter()
    what = f"model {shown(model_name)}"
    if spec.generate is not None:
        from .generation import run_generation

        written = run_generation(spec, model_name, env)
        log.info(
            "%s: attention: %s wrote %d tokens in %.2f s",
            env.where or "attention",
            model_name,
            spec.generate.tokens,
            time.perf_counter() - started,
        )
        return written
    tokenizer, model = load_model(model_location(model_name, env), spec.revision, model_name)
    config = model.config
    seq2seq = bool(getattr(config, "is_encoder_decoder", False))
    if not seq2seq and spec.part != "encoder":
        kind = shown(getattr(config, "model_type", None) or type(model).__name__)
        raise AttentionError(
            f"'part: {spec.part}' needs an encoder-decoder model (BART, T5, Marian…), "
            f"but {what} is a {kind} model, with one stack of layers: leave out "
            "'part' and 'target' to show its attention"
        )
    note = None
    if spec.probe is not None:
        ids = repeated_ids(tokenizer, spec.probe, what)
        encoded = {
            "input_ids": torch.tensor([ids]),
            "attention_mask": torch.ones(1, len(ids), dtype=torch.int64),
        }
        note = probe_note(tokenizer, spec.probe)
    else:
        encoded = tokenizer(spec.text, return_tensors="pt")
        ids = encoded["input_ids"][0].tolist()
    check_token_count(len(ids), env.max_tokens, what=f"{what}: ")
    check_length(len(ids), config, what, "text" if spec.probe is None else "probe")
    inputs = dict(encoded)
    target: list[int] = []
    if seq2seq:
        target = decoder_ids(tokenizer, config, spec.target, what)
        check_token_count(len(target), env.max_tokens, what=f"{what}: 'target': ")
        check_length(len(target), config, what, "target")
        inputs["decoder_input_ids"] = torch.tensor([target])
    weighing: AbstractContextManager[list[value_norms.Captured]] = (
        value_norms.capture(model, what, spec.weighting)
        if spec.weighting in ("value-norm", "alti")
        else nullcontext([])
    )
    try:
        with weighing as captured, torch.no_grad():
            out = model(**inputs, output_attentions=True)
    except AttentionError:
        raise
    except Exception as exc:  # the model's own code: whatever it raises is said, not a traceback
        text = str(exc).strip()
        raise AttentionError(
            f"{what} could not run on this text: {text.splitlines()[0] if text else type(exc).__name__}"
        ) from None
    maps = getattr(out, f"{spec.part}_attentions" if seq2seq else "attentions", None)
    if not maps:
        raise AttentionError(f"{what} returned no attention maps")
    stack = torch.stack([a[0] for a in maps]).to(torch.float64).numpy()  # (L, H, M, N)
    # ALTI's whole-model matrix, (1, 1, N, N), goes through hiding and merging as a layer does.
    layers = list(spec.layer) if spec.layer is not None else list(range(len(stack)))  # as select's
    whole = None
    if spec.weighting == "alti":
        whole = alti.alti(captured[0], stack, layers)[None, None]
    # Value norms: the figure keeps α and each key's norm, which the page carries (the reader can
    # switch back to α); a whole word has no one norm, so with merge the weighted pieces merge.
    norms = together = None
    if spec.weighting == "value-norm":
        stack, norms, together = _value_norm_parts(stack, captured[0], spec)
        weighed = (
            "Each weight times the size of what its key sends through the head (value norms, "
            "Kobayashi et al. 2020), each row rescaled to sum to 1."
        )
        note = f"{note} {weighed}" if note else weighed
    query_ids, key_ids = (
        (ids, ids)
        if spec.part == "encoder"
        else (target, target)
        if spec.part == "decoder"
        else (target, ids)
    )
    tokens = tuple(readable(tokenizer, p) for p in tokenizer.convert_ids_to_tokens(query_ids))
    keys = tuple(readable(tokenizer, p) for p in tokenizer.convert_ids_to_tokens(key_ids))
    if spec.hide_special:
        special = set(tokenizer.all_special_ids)
        if whole is not None:
            whole = _without_special(whole, tokens, keys, query_ids, key_ids, special)[0]
        if norms is not None:
            norms = norms[..., [i not in special for i in key_ids]]
        if together is not None:
            together = _without_special(together, tokens, keys, query_ids, key_ids, special)[0]
        stack, tokens, keys = _without_special(stack, tokens, keys, query_ids, key_ids, special)
        hidden = "Special tokens hidden; each row renormalised to sum to 1."
        note = f"{note} {hidden}" if note else hidden
    if spec.merge == "words":
        if whole is not None:
            whole = _whole_words(whole, encoded, tokenizer, spec.hide_special)[0]
        stack, tokens = _whole_words(stack, encoded, tokenizer, spec.hide_special)
        keys = tokens
        words = "Word pieces joined into words: to a word the sum over its pieces, from a word the mean."
        note = f"{note} {words}" if note else words
    chosen, layer_names, head_names = select(stack, spec.layer, spec.head, what)
    if spec.weighting == "value-norm" and spec.head is None:
        head_names = (*head_names[:-1], TOGETHER)
    weights = check_weights(what, tokens, chosen, causal=spec.causal)
    log.info(
        "%s: attention: ran %s on %d tokens in %.2f s",
        env.where or "attention",
        model_name,
        len(ids) + (len(target) if spec.target is not None else 0),
        time.perf_counter() - started,
    )
    values = None
    if norms is not None:
        heads = list(spec.head) if spec.head is not None else list(range(norms.shape[1]))
        values = ValueNorms(
            weights, norms[layers][:, heads], None if together is None else together[layers, 0]
        )
        weights = values.weights(quantise=False)
    shown_attention = Attention(
        tokens=tokens,
        weights=weights,
        values=values,
        head_names=head_names,
        layer_names=layer_names,
        note=note,
        key_tokens=keys if spec.part == "cross" else None,
    )
    if whole is None:
        return shown_attention
    return shown_attention.with_whole_model("ALTI", whole[0, 0], alti.NOTE)


#: The extra head of a value-norm figure of every head: the size of what the layer as a whole
#: moves, ‖Σ_h α_ij f_h(x_j)‖; with the weighting switched to attention, the heads' mean α.
TOGETHER = "Heads together"


def _value_norm_parts(
    stack: np.ndarray, captured: value_norms.Captured, spec: Spec
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """``weighting: value-norm``: the stack to show, each key's norm (L, H, N) and the layers'
    ‖Σ_h α f_h‖ (L, 1, N, N), rows rescaled, as the extra head ``TOGETHER`` when every head is
    shown. The figure keeps α and the norms, which the page carries (the reader can switch back
    to α); a whole word has no one norm, so with ``merge`` the weighted pieces merge instead."""
    norms = captured.norms()
    together = None
    if spec.head is None:
        sizes = captured.summed(stack)[:, None]
        total = sizes.sum(-1, keepdims=True)
        together = np.divide(sizes, total, out=np.zeros_like(sizes), where=total > 0)
    if spec.merge == "words":
        weighted = value_weighted(stack, norms)
        return (weighted if together is None else np.concatenate([weighted, together], 1)), None, None
    if together is None:
        return stack, norms, None
    mean = stack.mean(1, keepdims=True)
    ones = np.ones_like(norms[:, :1])
    return np.concatenate([stack, mean], 1), np.concatenate([norms, ones], 1), together


def _whole_words(
    stack: np.ndarray, encoded: Any, tokenizer: Any, hide_special: bool
) -> tuple[np.ndarray, tuple[str, ...]]:
    """``merge: words``: the pieces of each word of the text joined (``numerics.merge_pieces``).
    A word starts at a piece marked as a word's start ("▁" of SentencePiece, "Ġ" of byte-level
    BPE: words as the text's spaces part them) or, for WordPiece, at any piece but a "##" one;
    a special token is a word of its own (dropped first with ``hide_special``)."""
    ids = encoded["input_ids"][0].tolist()
    special = set(tokenizer.all_special_ids)
    pieces = [(p, i in special) for p, i in zip(tokenizer.convert_ids_to_tokens(ids), ids, strict=True)]
    if hide_special:
        pieces = [(p, False) for p, is_special in pieces if not is_special]
    marked = any(p.startswith(("▁", "Ġ")) for p, is_special in pieces if not is_special)
    groups, texts = np.zeros(len(pieces), dtype=np.int64), []
    for k, (piece, is_special) in enumerate(pieces):
        starts = piece.startswith(("▁", "Ġ")) if marked else not piece.startswith("##")
        if k == 0 or is_special or pieces[k - 1][1] or starts:
            texts.append([piece])
        else:
            texts[-1].append(piece)
        groups[k] = len(texts) - 1
    words = tuple(tokenizer.convert_tokens_to_string(t).strip() or "␣" for t in texts)
    return merge_pieces(stack, groups), words


def _without_special(
    stack: np.ndarray,
    tokens: tuple[str, ...],
    keys: tuple[str, ...],
    query_ids: list[int],
    key_ids: list[int],
    special: set[int],
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...]]:
    """``hide_special``: the special tokens dropped on both sides, each row renormalised."""
    keep_q = np.array([i not in special for i in query_ids])
    keep_k = np.array([i not in special for i in key_ids])
    if not keep_q.any() or not keep_k.any():
        raise AttentionError("hide_special leaves no tokens to show")
    stack = stack[:, :, keep_q][:, :, :, keep_k]
    sums = stack.sum(-1, keepdims=True)
    if (sums <= 0).any():
        row = int(np.argwhere(sums[..., 0] <= 0)[0][2])
        shown_tokens = [t for t, k in zip(tokens, keep_q, strict=True) if k]
        raise AttentionError(
            f"hide_special: {shown(shown_tokens[row])} attends to special tokens only; "
            "its row cannot be renormalised (leave the special tokens shown)"
        )
    return (
        stack / sums,
        tuple(t for t, k in zip(tokens, keep_q, strict=True) if k),
        tuple(t for t, k in zip(keys, keep_k, strict=True) if k),
    )


def from_model(spec: Spec, model_name: str, env: LoadEnv) -> Attention:
    """The cached result if there is one, else run the model (and cache it)."""
    key = model_cache_key(spec, model_name)
    if env.cache is not None:
        hit = env.cache.get(key)
        if hit is not None:  # checked like a fresh result: the folder is plain files, editable
            what = f"the build cache entry {key}.json (model {shown(model_name)})"
            for side, toks in (("token", hit.tokens), ("key token", hit.key_tokens or ())):
                check_token_count(len(toks), env.max_tokens, f"{what}: ")
                for i, tok in enumerate(toks):
                    check_token(tok, f"{what}: {side} {i + 1}")
            check_weights(what, hit.tokens, hit.weights, causal=spec.causal)
            return hit
    computed = run_model(spec, model_name, env)
    # Quantised as the cache stores it, so a cold and a warm build give the same page bytes.
    if computed.values is None:
        att = dataclasses.replace(computed, weights=quantized(computed.weights))
    else:
        values = computed.values.stored()
        att = dataclasses.replace(computed, weights=values.weights(), values=values)
    if env.cache is not None:
        about: dict[str, Any] = {
            "model": model_name,
            "revision": spec.revision,
            "text": spec.text,
            "mkdocs_attention": __version__,
        }
        if spec.probe is not None:
            about.update(probe=dataclasses.asdict(spec.probe))
        if spec.generate is not None:
            about.update(generate=dataclasses.asdict(spec.generate))
        if spec.target is not None:
            about.update(target=spec.target, part=spec.part)
        env.cache.put(key, att, about)
    return att
