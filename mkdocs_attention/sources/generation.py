"""``generate``: a causal model writes after its text, one token at a time (optional extra
``mkdocs-attention[hf]``).

The model's own ``generate`` writes the tokens (greedy, or sampled with the fence's
temperature, top-k and seed). One causal pass over the prompt and what it wrote then gives
every step at once: a step's new query attends over the keys and values its cache holds, which
are exactly the earlier rows of that pass, so step s's weights are row ``prompt - 1 + s`` of
the pass's causal matrix, and its next-token probabilities the softmax of that row's logits.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np

from ..attention import Attention, Generation
from ..errors import AttentionError, shown
from ..limits import check_token_count
from ..spec import Generate, Spec
from .checks import check_weights
from .env import LoadEnv
from .files import select

#: How many of the model's most likely next tokens a step shows.
SHOWN_NEXT = 5
#: A weight on a later key above this means the model reads both ways (an encoder).
LOOKS_AHEAD = 1e-6


def check_writes(config: Any, what: str) -> None:
    """A model that can continue a text: one stack of layers, read left to right."""
    if getattr(config, "is_encoder_decoder", False):
        raise AttentionError(
            f"'generate' shows a decoder-only model (GPT-2, Llama, Qwen2…) writing; {what} is an "
            "encoder-decoder model: show its decoder with 'part: decoder' and 'target'"
        )
    names = getattr(config, "architectures", None) or []
    if not any(n.endswith(("ForCausalLM", "LMHeadModel")) for n in names):
        saved = f"saved as {shown(names[0])}" if names else "saved without its architecture"
        raise AttentionError(
            f"'generate' needs a model that writes text, with its language-model head "
            f"(…ForCausalLM, …LMHeadModel: GPT-2, Llama, Qwen2…); {what} is {saved}, which has none"
        )


def next_text(tokenizer: Any, token_id: int) -> str:
    """A token of a model's writing as the figure shows it: readable (``hf.readable``), or where
    that is a control character (a byte-fallback piece such as ``<0x1A>`` decodes to one, and a
    model may write it) the piece as the vocabulary names it."""
    from .hf import readable

    piece = tokenizer.convert_ids_to_tokens(token_id)
    for text in (readable(tokenizer, piece), str(piece)):
        if text and not any(unicodedata.category(c)[0] == "C" for c in text):
            return text
    return f"<token {token_id}>"


def how_written(g: Generate) -> str:
    """The figure's note: how the tokens were chosen."""
    count = f"{g.tokens} token{'s' if g.tokens != 1 else ''}"
    if not g.sampled:
        return f"The model wrote the last {count}, each time the one it found most likely."
    pool = f" from the {g.top_k} most likely" if g.top_k else ""
    # With a pool the model drew from those few renormalised; the bars keep the whole softmax.
    whole = " The probabilities shown are over the whole vocabulary." if g.top_k else ""
    return (
        f"The model wrote the last {count}, each sampled at temperature {g.temperature:g}{pool} "
        f"(seed {g.seed}).{whole}"
    )


def _settings(g: Generate, tokenizer: Any) -> Any:
    """A generation config of the fence's own, not the model's defaults (a repetition penalty, a
    sampling default): exactly ``g.tokens`` tokens, an end-of-text one written like any other."""
    from transformers import GenerationConfig

    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    return GenerationConfig(
        max_new_tokens=g.tokens,
        min_new_tokens=g.tokens,
        do_sample=g.sampled,
        temperature=g.temperature if g.sampled else None,
        top_k=g.top_k if g.sampled else None,
        top_p=None,
        pad_token_id=pad if pad is not None else 0,
        eos_token_id=None,
    )


def run_generation(spec: Spec, model_name: str, env: LoadEnv) -> Attention:
    """Write, then one causal pass over everything: tokens, weights and each step's prediction."""
    import torch

    from .hf import check_length, load_model, model_location

    g = spec.generate
    assert g is not None
    what = f"model {shown(model_name)}"
    tokenizer, model = load_model(model_location(model_name, env), spec.revision, model_name, writes=True)
    prompt = tokenizer(spec.text, return_tensors="pt")
    total = prompt["input_ids"].shape[1] + g.tokens
    check_token_count(total, env.max_tokens, what=f"{what}: the text and what it writes: ")
    check_length(total, model.config, what, "text and what it writes")
    try:
        torch.manual_seed(g.seed)
        with torch.no_grad():
            sequence = model.generate(**prompt, generation_config=_settings(g, tokenizer))[0]
            out = model(sequence[None], output_attentions=True)
    except Exception as exc:  # the model's own code: whatever it raises is said, not a traceback
        text = str(exc).strip()
        raise AttentionError(
            f"{what} could not write after this text: {text.splitlines()[0] if text else type(exc).__name__}"
        ) from None
    if not out.attentions:
        raise AttentionError(f"{what} returned no attention maps")
    stack = torch.stack([a[0] for a in out.attentions]).to(torch.float64).numpy()  # (L, H, T, T)
    if np.triu(stack, 1).max() > LOOKS_AHEAD:
        raise AttentionError(
            f"'generate' needs a model that reads left to right; {what} attends to later tokens"
        )
    stack = np.tril(stack)
    ids = sequence.tolist()
    tokens = tuple(next_text(tokenizer, i) for i in ids)
    logits = out.logits[0].to(torch.float64).numpy()
    prompt = len(ids) - g.tokens
    generation = steps_of(logits[prompt - 1 :], ids, prompt, tokenizer, g.temperature or 1.0)
    chosen, layer_names, head_names = select(stack, spec.layer, spec.head, what)
    return Attention(
        tokens=tokens,
        weights=check_weights(what, tokens, chosen, causal=True),
        head_names=head_names,
        layer_names=layer_names,
        note=how_written(g),
        generation=generation,
    )


def steps_of(
    logits: np.ndarray, ids: list[int], prompt: int, tokenizer: Any, temperature: float = 1.0
) -> Generation:
    """A writing's steps from the logits of each step (steps × vocabulary; step s reads token
    ``prompt - 1 + s``): its most likely next tokens, and the probability of the token ``ids``
    has next, softmax(logits / temperature)."""
    rows = logits / temperature
    probs = np.exp(rows - rows.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    best = np.argsort(-probs, axis=-1, kind="stable")[:, :SHOWN_NEXT]
    top = tuple(
        tuple((next_text(tokenizer, int(t)), round(float(p[t]), 4)) for t in row)
        for p, row in zip(probs, best, strict=True)
    )
    chosen = tuple(round(float(probs[s, ids[prompt + s]]), 4) for s in range(len(ids) - prompt))
    return Generation(prompt=prompt, top=top, chosen=chosen)
