"""A notebook's own ``model.generate(..., output_attentions=True, output_logits=True,
return_dict_in_generate=True)`` result as a model's writing: ``show(generated=out,
tokenizer=tok)``.

``generate`` returns, per step, each layer's attention of that step's new queries: the prompt's
square causal matrix first, then one row a written token, over every key so far. Stacked, they
are the causal matrix of the prompt and the tokens the model read. The last written token was
never read (nothing came after it), so it has no row: the figure shows the text up to the one
before it, and its last step says what the model wrote next.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..attention import Generation
from ..errors import AttentionError


def _numpy(tensor: Any) -> np.ndarray:
    value = tensor.detach().cpu() if hasattr(tensor, "detach") else tensor
    return np.asarray(value.float() if hasattr(value, "float") else value, dtype=np.float64)


def writing_of(out: Any, tokenizer: Any, batch_index: int | None) -> tuple[np.ndarray, list[str], Generation]:
    """``(weights (layers, heads, N, N), tokens, generation)`` of a ``generate`` result."""
    from ..sources.generation import next_text, steps_of

    steps, logits = getattr(out, "attentions", None), getattr(out, "logits", None)
    if not steps or logits is None or getattr(out, "sequences", None) is None:
        raise AttentionError(
            "generated: give the result of model.generate(..., output_attentions=True, "
            "output_logits=True, return_dict_in_generate=True)"
        )
    if getattr(out, "encoder_attentions", None) is not None:
        raise AttentionError(
            "generated: an encoder-decoder model's writing is not shown yet; give a decoder-only model's"
        )
    batch = out.sequences.shape[0]
    b = 0 if batch_index is None else int(batch_index)
    if not 0 <= b < batch or (batch > 1 and batch_index is None):
        raise AttentionError(f"generated holds {batch} sequences: pick one with batch_index (0–{batch - 1})")
    prompt = int(steps[0][0].shape[-1])
    written = len(steps)
    n = prompt + written - 1
    layers, heads = len(steps[0]), int(steps[0][0].shape[1])
    weights = np.zeros((layers, heads, n, n))
    for li in range(layers):
        weights[li, :, :prompt, :prompt] = _numpy(steps[0][li][b])
        for s in range(1, written):
            weights[li, :, prompt - 1 + s, : prompt + s] = _numpy(steps[s][li][b][:, -1])
    ids = [int(i) for i in out.sequences[b].tolist()]
    tokens = [next_text(tokenizer, i) for i in ids[:n]]
    rows = np.stack([_numpy(logits[s][b]) for s in range(written)])
    return weights, tokens, steps_of(rows, ids[:n], prompt, tokenizer)
