"""A model's writing read from a data file: the file form of ``generate``, for a teacher whose
model does not run at build time. Beside the causal weights of the whole text, the file gives
how many tokens were the prompt, each step's most likely next tokens and their probabilities,
and each written token's probability (docs/sources/files.md):

- ``.json``: ``"generation": {"prompt": P, "top": [[["blue", 0.99], …], …], "chosen": […]}``;
- ``.npz``: ``prompt`` (a whole number), ``next_tokens`` and ``next_probs`` (steps × k: strings
  and numbers) and ``chosen``.

Step s (0 … W, W = N − P tokens written) reads token P − 1 + s, as ``Attention.generation``
says."""

from __future__ import annotations

import math
from typing import Any

from ..attention import Generation
from ..errors import AttentionError, shown
from ..spec import check_token

#: Most next tokens a step may list.
MAX_NEXT = 20
#: The ``.npz`` members of a writing.
NPZ_MEMBERS = ("prompt", "next_tokens", "next_probs", "chosen")


def _probability(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise AttentionError(f"{where} must be a probability from 0 to 1, not {shown(value)}")
    if math.isnan(value):
        raise AttentionError(f"{where} must be a probability from 0 to 1, not NaN")
    return round(float(value), 4)


def generation_from(data: Any, what: str, n: int) -> Generation:
    """The writing ``data`` describes over ``n`` tokens, checked; ``what`` names the file."""
    if not isinstance(data, dict) or not {"prompt", "top", "chosen"} <= set(data):
        raise AttentionError(f"{what}: 'generation' needs 'prompt', 'top' and 'chosen'")
    prompt = data["prompt"]
    if isinstance(prompt, bool) or not isinstance(prompt, int) or not 1 <= prompt <= n:
        raise AttentionError(f"{what}: 'prompt' must be how many of the {n} tokens were the prompt, 1 to {n}")
    written = n - prompt
    top, chosen = data["top"], data["chosen"]
    if not isinstance(top, list) or len(top) != written + 1:
        raise AttentionError(
            f"{what}: 'top' needs one list a step: {written + 1} for {written} tokens written "
            f"(step 0 reads the prompt), not {len(top) if isinstance(top, list) else shown(top)}"
        )
    if not isinstance(chosen, list) or len(chosen) != written:
        raise AttentionError(
            f"{what}: 'chosen' needs the probability of each of the {written} tokens written"
        )
    steps = []
    for s, step in enumerate(top):
        if not isinstance(step, list) or not 1 <= len(step) <= MAX_NEXT:
            raise AttentionError(
                f"{what}: step {s} of 'top' must list 1 to {MAX_NEXT} [token, probability] pairs"
            )
        pairs = []
        for k, pair in enumerate(step):
            where = f"{what}: step {s} of 'top', pair {k + 1}"
            if not isinstance(pair, list) or len(pair) != 2:
                raise AttentionError(f"{where} must be [token, probability]")
            check_token(pair[0], where)
            pairs.append((pair[0], _probability(pair[1], where)))
        steps.append(tuple(pairs))
    return Generation(
        prompt=prompt,
        top=tuple(steps),
        chosen=tuple(_probability(p, f"{what}: 'chosen' {i + 1}") for i, p in enumerate(chosen)),
    )


def from_npz_members(arrays: dict[str, Any]) -> dict[str, Any]:
    """The ``.npz`` form as the ``.json`` one: ``prompt``, ``top`` (pairs) and ``chosen``."""
    tokens, probs = arrays["next_tokens"], arrays["next_probs"]
    if getattr(tokens, "shape", None) != getattr(probs, "shape", ()) or getattr(tokens, "ndim", 0) != 2:
        raise AttentionError("'next_tokens' and 'next_probs' must be arrays of the same shape, steps × k")
    prompt = arrays["prompt"]
    return {
        "prompt": int(prompt)
        if getattr(prompt, "ndim", 1) == 0 and prompt.dtype.kind in "iu"
        else prompt.tolist(),
        "top": [
            [[str(t), float(p)] for t, p in zip(ts, ps, strict=True)]
            for ts, ps in zip(tokens.tolist(), probs.tolist(), strict=True)
        ],
        "chosen": [float(p) for p in arrays["chosen"].reshape(-1).tolist()],
    }
