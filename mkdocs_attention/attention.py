"""The ``Attention`` value every source produces and every renderer consumes."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .codec import quantized
from .numerics import value_weighted


@dataclass(frozen=True, eq=False)
class Logits:
    """What came before the softmax, for the worked-math panel.

    ``weights = softmax(logits / divisor + mask)`` per head; ``label`` names a logit ("q·k" or
    "score") and ``by`` the divisor as a reader should see it ("√8").
    """

    logits: np.ndarray  # (heads, M, N): queries × keys
    divisor: float
    label: str
    by: str
    causal: bool
    #: "f4" when every logit is known to be a float32 value (the toy model rounds them so); else
    #: the renderer checks.
    dtype: str | None = None


@dataclass(frozen=True, eq=False)
class Comparison:
    """A second attention of the same shape, B; the figure shows B − A (A: the figure's own)."""

    weights: np.ndarray
    #: What B is, as the figure says it: "with the mask", "the second source".
    label: str


@dataclass(frozen=True)
class Generation:
    """A model writing: the first ``prompt`` tokens are what it read, each later one it wrote
    after reading all before it. Step s (0 … written) reads token ``prompt - 1 + s`` as its new
    query (step 0: the prompt's last), over every key up to it; its weights are that row of the
    causal matrix of the whole text (what the key-value cache holds then equals what one pass
    over the text computes)."""

    prompt: int
    #: At each step, the model's most likely next tokens and their probabilities (softmax of its
    #: logits, over the temperature when sampled), most likely first.
    top: tuple[tuple[tuple[str, float], ...], ...]
    #: The probability of the token written at each step but the last (it may lie outside
    #: ``top`` when sampled).
    chosen: tuple[float, ...]

    @property
    def written(self) -> int:
        """How many tokens the model wrote."""
        return len(self.chosen)


@dataclass(frozen=True, eq=False)
class ValueNorms:
    """A value-norm figure's parts (``weighting: value-norm``): its attention α (L, H, M, N) and
    each key's ‖f_h(x_j)‖ (L, H, N). The figure shows ``weights()``; the page carries both parts,
    so the reader can switch between the two weightings."""

    attention: np.ndarray
    norms: np.ndarray
    #: With every head shown, the last head is "Heads together": its α the heads' mean and its
    #: weights these, ‖Σ_h α_ij f_h(x_j)‖ of each layer (L, M, N), rows rescaled to sum to 1.
    together: np.ndarray | None = None

    def stored(self) -> ValueNorms:
        """As the build cache and the page carry them: α in 16-bit steps, the norms as float32."""
        return ValueNorms(
            quantized(self.attention),
            self.norms.astype(np.float32).astype(np.float64),
            None if self.together is None else quantized(self.together),
        )

    def weights(self, *, quantise: bool = True) -> np.ndarray:
        """α ‖f‖ with each row rescaled to sum to 1 (and the layers' own for "Heads together"),
        in 16-bit steps unless ``quantise`` is false."""
        shown = value_weighted(self.attention, self.norms)
        if self.together is not None:
            shown[:, -1] = self.together
        return quantized(shown) if quantise else shown


@dataclass(frozen=True, eq=False)
class Attention:
    """Tokens and their attention weights, ``weights[layer, head, query, key]``, rows summing to 1.

    ``tokens`` are the queries; the keys are the same tokens (self-attention, N×N) unless
    ``key_tokens`` names others (cross-attention, M×N)."""

    tokens: tuple[str, ...]
    weights: np.ndarray
    head_names: tuple[str, ...]
    layer_names: tuple[str, ...] = ("Layer 1",)
    math: Logits | None = None
    note: str | None = None
    #: Whether the last layer is a whole-model entry made from the others, the same in every head:
    #: attention rollout or flow.
    rollout: bool = False
    #: The keys' tokens when they are not the queries' (cross-attention); None for self-attention.
    key_tokens: tuple[str, ...] | None = None
    #: ``compare``'s B: the figure shows B − A.
    compare: Comparison | None = None
    #: How the tokens were written, when a model wrote them (``generate``).
    generation: Generation | None = None
    #: With ``weighting: value-norm``, the attention and norms ``weights`` come from.
    values: ValueNorms | None = None

    def __post_init__(self) -> None:
        shape = (len(self.layer_names), len(self.head_names), len(self.tokens), len(self.keys))
        if self.weights.shape != shape:
            raise ValueError(f"weights shape {self.weights.shape} != {shape}")
        g = self.generation
        if g is not None and not (g.prompt + g.written == self.n and len(g.top) == g.written + 1):
            raise ValueError(f"a generation of {g.prompt} + {g.written} tokens over {self.n} tokens")
        v = self.values
        if v is not None and (v.attention.shape != shape or v.norms.shape != (*shape[:2], shape[3])):
            raise ValueError(f"value norms of shape {v.attention.shape}, {v.norms.shape} for weights {shape}")

    @property
    def n(self) -> int:
        """The number of queries (of tokens, in self-attention)."""
        return len(self.tokens)

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys' tokens: ``key_tokens``, or the queries' own."""
        return self.tokens if self.key_tokens is None else self.key_tokens

    @property
    def cross(self) -> bool:
        """Whether queries and keys are two sequences (M×N), not one (N×N)."""
        return self.key_tokens is not None

    def with_whole_model(self, name: str, matrix: np.ndarray, about: str) -> Attention:
        """This attention with a last layer ``name`` holding ``matrix`` (N, N) in every head: a
        whole-model entry (rollout, flow, ALTI), said in the note by ``about``."""
        heads, n = len(self.head_names), self.n
        whole = np.broadcast_to(matrix, (1, heads, n, n))
        return replace(
            self,
            weights=np.concatenate([self.weights, whole]),
            layer_names=(*self.layer_names, name),
            note=f"{self.note} {about}" if self.note else about,
            rollout=True,
            values=None,  # the entry has no value norms: the figure shows its weights only
        )
