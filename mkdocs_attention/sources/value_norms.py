"""Value norms (Kobayashi et al., "Attention is Not Only a Weight", EMNLP 2020): what key j sends
to query i through head h is α_ij f_h(x_j), with f_h(x) = (x W_V^h + b_V^h) W_O^h the value
vector carried through the head's slice of the output projection; its size ‖α_ij f_h(x_j)‖ =
α_ij ‖f_h(x_j)‖ weighs each attention weight by how much the key has to give. A head that puts
most of its weight on [CLS] or [SEP] but reads a short vector there moves little.

The attention block's own output is Σ_h Σ_j α_ij f_h(x_j) + b_O, which the tests check against
the model's. Read from the modules of a BERT-style encoder (BERT, RoBERTa, MiniLM: ``value`` and
``attention.output.dense``), GPT-2 (``c_attn``'s third part and ``c_proj``) and Llama-style
decoders (Llama, Qwen2, Mistral: ``v_proj`` and ``o_proj``; with grouped-query heads each query
head reads the key-value head of its group).

The same forward pass also keeps what ALTI (``sources.alti``) adds to it: each layer's residual
stream into the attention block and, in a post-LN model, the LayerNorm after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import AttentionError, shown


@dataclass(frozen=True)
class Family:
    """How one family of models names its value and output projections."""

    name: str
    #: The value projection of layer L (its number is the pattern's group).
    value: re.Pattern[str]
    #: The output projection W_O of the same layer.
    output: re.Pattern[str]
    #: The value vectors (N, heads × d) from the value projection's output (1, N, ·).
    values_of: Callable[[Any, int], Any]
    #: The module whose input is the residual stream x into the attention block of layer L.
    residual: re.Pattern[str]
    #: Post-LN models (BERT): the LayerNorm of x + attention; None where the norm comes first
    #: (pre-LN: GPT-2, Llama), inside f.
    norm_after: re.Pattern[str] | None


def _own(out: Any, width: int) -> Any:
    return out[0]


def _third(out: Any, width: int) -> Any:
    """GPT-2's ``c_attn`` writes queries, keys and values side by side: the values are last."""
    return out[0, :, 2 * width :]


FAMILIES = (
    Family("BERT-style", re.compile(r"layer\.(\d+)\.attention\.self\.value$"),
           re.compile(r"layer\.(\d+)\.attention\.output\.dense$"), _own,
           residual=re.compile(r"layer\.(\d+)\.attention\.self\.value$"),
           norm_after=re.compile(r"layer\.(\d+)\.attention\.output\.LayerNorm$")),
    Family("GPT-2", re.compile(r"\bh\.(\d+)\.attn\.c_attn$"),
           re.compile(r"\bh\.(\d+)\.attn\.c_proj$"), _third,
           residual=re.compile(r"\bh\.(\d+)\.ln_1$"), norm_after=None),
    Family("Llama-style", re.compile(r"layers\.(\d+)\.self_attn\.v_proj$"),
           re.compile(r"layers\.(\d+)\.self_attn\.o_proj$"), _own,
           residual=re.compile(r"layers\.(\d+)\.input_layernorm$"), norm_after=None),
)  # fmt: skip


def family_of(model: Any, what: str, weighting: str = "value-norm") -> Family:
    """The family whose modules ``model`` has, or a clear refusal."""
    names = [name for name, _ in model.named_modules()]
    for family in FAMILIES:
        if any(family.value.search(n) for n in names) and any(family.output.search(n) for n in names):
            return family
    kind = shown(getattr(model.config, "model_type", None) or type(model).__name__)
    raise AttentionError(
        f"'weighting: {weighting}' reads a model's value and output projections; {what} is a {kind} "
        "model, whose modules it does not know (it knows BERT-style encoders, GPT-2, Llama, Qwen2 "
        "and Mistral)"
    )


def _by_layer(model: Any, pattern: re.Pattern[str]) -> list[Any]:
    found = {}
    for name, module in model.named_modules():
        m = pattern.search(name)
        if m:
            found[int(m.group(1))] = module
    return [found[k] for k in sorted(found)]


def head_maps(module: Any, heads: int) -> np.ndarray:
    """W_O split by head, (heads, d, width): rows of each head's part of the concatenated input."""
    w = _numpy(module.weight)
    # GPT-2's Conv1D stores (in, out), torch.nn.Linear (out, in).
    w_in_out = w if type(module).__name__ == "Conv1D" else w.T
    width_in = w_in_out.shape[0]
    return w_in_out.reshape(heads, width_in // heads, w_in_out.shape[1])


def output_bias(module: Any) -> np.ndarray:
    """b_O (zeros where the projection has none, as in Llama)."""
    bias = getattr(module, "bias", None)
    width = head_maps(module, 1).shape[-1]
    if bias is None:
        return np.zeros(width)
    return _numpy(bias)


def _numpy(tensor: Any) -> np.ndarray:
    """A tensor as float64 numpy."""
    return np.asarray(tensor.detach().cpu().double().numpy())


@dataclass(frozen=True)
class LayerNorm:
    """A LayerNorm's scale γ, shift β and ε."""

    scale: np.ndarray
    shift: np.ndarray
    eps: float


@dataclass(frozen=True)
class Captured:
    """The value vectors of each layer of one forward pass, (N, kv_heads × d) each, and what ALTI
    reads beside them."""

    values: list[np.ndarray]
    maps: list[np.ndarray]  # per layer (heads, d, width)
    biases: list[np.ndarray]  # per layer b_O
    kv_heads: int
    #: The residual stream x into each layer's attention block, (N, width).
    residuals: list[np.ndarray]
    #: Each layer's LayerNorm after the block in a post-LN model; None in a pre-LN one.
    norms_after: list[LayerNorm] | None

    def transported(self, layer: int) -> np.ndarray:
        """f_h(x_j) of one layer: (heads, N, width)."""
        maps = self.maps[layer]
        heads, d = maps.shape[0], maps.shape[1]
        v = self.values[layer].reshape(-1, self.kv_heads, d).transpose(1, 0, 2)  # (kv, N, d)
        v = np.repeat(v, heads // self.kv_heads, axis=0)  # query head h reads kv head h // group
        return np.einsum("hnd,hdw->hnw", v, maps)

    def norms(self) -> np.ndarray:
        """‖f_h(x_j)‖ of every layer, head and key: (L, H, N)."""
        return np.stack([np.linalg.norm(self.transported(li), axis=-1) for li in range(len(self.values))])

    def summed(self, attentions: np.ndarray) -> np.ndarray:
        """‖Σ_h α_ij f_h(x_j)‖ of every layer, query and key, (L, N, N), from the attention
        (L, H, N, N): the size of what key j sends query i through the whole layer, where the
        heads' vectors may add up or cancel."""
        out = []
        for li, alpha in enumerate(attentions):
            f = self.transported(li)
            blocks = query_blocks(alpha.shape[-1], f.shape[-1])
            sent = [np.linalg.norm(np.einsum("hij,hjw->ijw", alpha[:, rows], f), axis=-1) for rows in blocks]
            out.append(np.concatenate(sent))
        return np.stack(out)


#: Query rows worked out at once: a block's vectors, (rows, N, width) float64, stay under 32 MB.
BLOCK_BYTES = 32_000_000


def query_blocks(n: int, width: int) -> list[slice]:
    """The queries 0 … n − 1 in blocks whose (rows, n, width) vectors fit ``BLOCK_BYTES``."""
    block = max(1, BLOCK_BYTES // (8 * n * width))
    return [slice(i, min(i + block, n)) for i in range(0, n, block)]


@contextmanager
def capture(model: Any, what: str, weighting: str = "value-norm") -> Iterator[list[Captured]]:
    """Hooks that keep each layer's value vectors and residual stream during the ``with``
    block's forward pass; the list holds one ``Captured`` afterwards."""
    family = family_of(model, what, weighting)
    config = model.config
    heads = int(config.num_attention_heads)
    kv_heads = int(getattr(config, "num_key_value_heads", None) or heads)
    width = int(config.hidden_size)
    value_modules = _by_layer(model, family.value)
    output_modules = _by_layer(model, family.output)
    got: list[np.ndarray | None] = [None] * len(value_modules)
    streams: list[np.ndarray | None] = [None] * len(value_modules)

    def keep(layer: int) -> Callable[..., None]:
        def hook(module: Any, args: Any, out: Any) -> None:
            got[layer] = _numpy(family.values_of(out, width))

        return hook

    def keep_stream(layer: int) -> Callable[..., None]:
        def hook(module: Any, args: Any) -> None:
            streams[layer] = _numpy(args[0][0])

        return hook

    handles = [m.register_forward_hook(keep(li)) for li, m in enumerate(value_modules)]
    handles += [
        m.register_forward_pre_hook(keep_stream(li)) for li, m in enumerate(_by_layer(model, family.residual))
    ]
    result: list[Captured] = []
    try:
        yield result
    finally:
        for h in handles:
            h.remove()
    if any(v is None for v in got) or any(x is None for x in streams):
        raise AttentionError(f"{what}: its value projections did not run")
    norms_after = (
        None
        if family.norm_after is None
        else [
            LayerNorm(_numpy(m.weight), _numpy(m.bias), float(m.eps))
            for m in _by_layer(model, family.norm_after)
        ]
    )
    result.append(
        Captured(
            values=[v for v in got if v is not None],
            maps=[head_maps(m, heads) for m in output_modules],
            biases=[output_bias(m) for m in output_modules],
            kv_heads=kv_heads,
            residuals=[x for x in streams if x is not None],
            norms_after=norms_after,
        )
    )
