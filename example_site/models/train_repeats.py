"""Train the example course's small causal model: ``models/repeats-2l``.

A two-layer, attention-only transformer (Llama-shaped: rotary positions, RMSNorm, four heads a
layer, width 64; the MLP of each layer is one unit wide, zeroed and frozen, so only attention
writes to the residual stream) learns to continue a repeated run of words. Each training text is
``<s>`` then random words in which a run of L distinct words (L from 2 to 20) appears twice at a
random place. The loss is on the second copy only (its first word cannot be known), and each text
counts once however long its run (short runs matter: with only long ones the model may solve the
task with a head two or three tokens back instead of the previous token).

Olsson et al. (2022) found that two-layer attention-only models form *induction heads* on such
text: a layer-0 head attends to the previous token, and a layer-1 head, matching the current word
against what each position's previous token was, attends to the word that followed the current
word last time and copies it. This model forms both; the course shows them.

Deterministic (seeded numpy and torch, 2 threads). About two minutes on two cores:

    .venv/bin/python example_site/models/train_repeats.py

writes ``config.json``, ``model.safetensors`` and the word-level tokenizer into
``example_site/models/repeats-2l/``, loadable like any local model (``model: ./models/repeats-2l``).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

#: The words the model knows: short, common and distinct, so a figure of it reads easily.
_WORD_LIST = """
    sun moon star sky rain snow wind cloud river lake sea hill stone tree leaf root seed flower
    grass field road bridge house door window wall roof room bed chair table cup plate bread
    milk tea salt honey apple pear plum lemon cat dog bird fish horse cow sheep goat mouse fox
    wolf bear owl frog bee ant red blue green gold black white grey pink brown one two three
    four five six seven ten north south east west left right up down old new big small hot cold
    fast slow soft hard loud quiet happy sad early late book pen song game ship train
"""
WORDS = tuple(_WORD_LIST.split())
BOS, UNK = "<s>", "<unk>"
STEPS, BATCH, LENGTH, SEED = 5000, 64, 48, 0
OUT = Path(__file__).resolve().parent / "repeats-2l"


def texts(rng: np.random.Generator, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``count`` texts of ``LENGTH`` ids and their labels (-100 where nothing is to be learned)."""
    ids = np.empty((count, LENGTH), dtype=np.int64)
    labels = np.full((count, LENGTH), -100, dtype=np.int64)
    for b in range(count):
        run = rng.integers(2, rng.integers(3, 21))  # skewed to short runs
        at = 1 + rng.integers(0, LENGTH - 2 * run)
        ids[b] = 2 + rng.integers(0, len(WORDS), size=LENGTH)
        ids[b, 0] = 0
        words = 2 + rng.choice(len(WORDS), size=run, replace=False)
        ids[b, at : at + run] = words
        ids[b, at + run : at + 2 * run] = words
        labels[b, at + run + 1 : at + 2 * run] = words[1:]
    return torch.from_numpy(ids), torch.from_numpy(labels)


def tokenizer() -> PreTrainedTokenizerFast:
    vocab = {BOS: 0, UNK: 1, **{w: 2 + i for i, w in enumerate(WORDS)}}
    tok = Tokenizer(models.WordLevel(vocab, unk_token=UNK))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.post_processor = processors.TemplateProcessing(single=f"{BOS} $A", special_tokens=[(BOS, 0)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=BOS, unk_token=UNK, eos_token=BOS)


def main() -> None:
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    rng = np.random.default_rng(SEED)
    vocab = 2 + len(WORDS)
    config = LlamaConfig(
        vocab_size=vocab,
        hidden_size=64,
        intermediate_size=1,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=64,
        attention_bias=True,
        tie_word_embeddings=True,
        bos_token_id=0,
        eos_token_id=0,
        pad_token_id=0,
        attn_implementation="eager",
    )
    model = LlamaForCausalLM(config)
    for layer in model.model.layers:  # attention only: the MLP adds exactly zero
        for p in layer.mlp.parameters():
            p.data.zero_()
            p.requires_grad_(False)
    trained = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trained, lr=3e-3, weight_decay=0.01)
    started = time.perf_counter()
    for step in range(STEPS):
        ids, labels = texts(rng, BATCH)
        logits = model(ids).logits[:, :-1]
        wanted = labels[:, 1:]
        loss_each = torch.nn.functional.cross_entropy(
            logits.reshape(-1, vocab), wanted.reshape(-1).clamp(min=0), reduction="none"
        ).view(wanted.shape)
        mask = (wanted >= 0).float()
        loss = ((loss_each * mask).sum(1) / mask.sum(1).clamp(min=1)).mean()  # each text once
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 500 == 0 or step == STEPS - 1:
            print(f"step {step:5d}  loss {loss.item():.3f}  {time.perf_counter() - started:5.1f} s")
    model.save_pretrained(OUT)
    tokenizer().save_pretrained(OUT)
    print(f"saved {OUT} after {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
