"""ALTI (Ferrando, Gállego & Costa-jussà, "Measuring the Mixing of Contextual Information in the
Transformer", EMNLP 2022): how much each input token makes up each token's representation, through
the whole attention block (heads, residual and LayerNorm), rolled out across the layers.

A layer's block writes token i's output as a sum over the keys j, y_i = Σ_j T_i(x_j) + bias:

- post-LN (BERT): y_i = LN(x_i + Σ_h Σ_j α_ij f_h(x_j) + b_O). LayerNorm is linear once its
  σ_i is fixed, so T_i(x_j) = γ ⊙ L(Σ_h α_ij f_h(x_j) + [i = j] x_j) / σ_i, with L(z) = z −
  mean(z), and bias = γ ⊙ L(b_O) / σ_i + β;
- pre-LN (GPT-2, Llama): y_i = x_i + Σ_h Σ_j α_ij f_h(LN(x_j)) + b_O. The norm comes first and
  is each key's own, inside f, so T_i(x_j) = Σ_h α_ij f_h(LN(x_j)) + [i = j] x_j, bias = b_O.

f_h is the value vector carried through the head's slice of W_O (``value_norms``). Key j's share
of token i is how close T_i(x_j) comes to y_i, in the Manhattan distance, c_ij = max(0, ‖y_i‖₁ −
‖y_i − T_i(x_j)‖₁), each row rescaled to sum to 1. The layers' matrices are multiplied from the
first to the last, as rollout's are; no residual is mixed in, since T already holds it. The
feed-forward blocks are left out, as in the paper.
"""

from __future__ import annotations

import numpy as np

from .value_norms import Captured, query_blocks

NOTE = (
    "ALTI (Ferrando et al., 2022): how much each input token makes up each token through all "
    "the layers, from each attention block's whole output (heads, residual stream and "
    "LayerNorm): a key's share is how near what it adds comes to the output, in the Manhattan "
    "distance; each row sums to 1, and the layers are multiplied from the first to the last."
)


def layer_terms(
    captured: Captured, alpha: np.ndarray, layer: int, rows: slice
) -> tuple[np.ndarray, np.ndarray]:
    """T_i(x_j) of one layer for the queries ``rows``, (rows, N, width), and each one's bias,
    (rows, width), from the layer's attention ``alpha`` (H, N, N); their sum over j is the
    block's output."""
    z = np.einsum("hij,hjw->ijw", alpha[:, rows], captured.transported(layer))
    queries = np.arange(len(z)) + rows.start
    x = captured.residuals[layer][queries]
    z[np.arange(len(z)), queries] += x
    bias = np.broadcast_to(captured.biases[layer], x.shape)
    if captured.norms_after is None:
        return z, bias
    norm = captured.norms_after[layer]
    sigma = np.sqrt((z.sum(1) + bias).var(-1) + norm.eps)[:, None]  # (rows, 1)
    terms = norm.scale * (z - z.mean(-1, keepdims=True)) / sigma[:, :, None]
    return terms, norm.scale * (bias - bias.mean(-1, keepdims=True)) / sigma + norm.shift


def mixing(terms: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """c_ij = max(0, ‖y_i‖₁ − ‖y_i − T_i(x_j)‖₁) with y_i = Σ_j T_i(x_j) + bias_i, each row
    rescaled to sum to 1 (a row with nothing near its output stays 0; ``layer_mixing`` keeps
    the token itself there)."""
    y = terms.sum(1) + bias
    near = np.abs(y).sum(-1)[:, None] - np.abs(y[:, None, :] - terms).sum(-1)
    shares = np.maximum(near, 0.0)
    total = shares.sum(-1, keepdims=True)
    return np.divide(shares, total, out=np.zeros_like(shares), where=total > 0)


def layer_mixing(captured: Captured, alpha: np.ndarray, layer: int) -> np.ndarray:
    """One layer's ALTI matrix C (N, N), a block of queries at a time."""
    blocks = query_blocks(alpha.shape[-1], captured.residuals[layer].shape[-1])
    c = np.concatenate([mixing(*layer_terms(captured, alpha, layer, rows)) for rows in blocks])
    empty = c.sum(-1) == 0
    c[empty, np.flatnonzero(empty)] = 1.0
    return c


def alti(captured: Captured, attentions: np.ndarray, layers: list[int]) -> np.ndarray:
    """The rolled-out ALTI (N, N) through ``layers`` (in order) of a forward pass whose
    attention is ``attentions`` (L, H, N, N): C_last ⋯ C_first."""
    whole = np.eye(attentions.shape[-1])
    for layer in layers:
        whole = layer_mixing(captured, attentions[layer], layer) @ whole
    return whole
