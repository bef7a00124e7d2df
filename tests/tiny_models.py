"""Tiny BERT-like and GPT-2-like models, built and saved by the tests (nothing downloaded).

Vocabularies cover the example sentences so tokens are real words, not [UNK].
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "a", "cat", "sat", "on", "mat"]


def make_bert(path: Path) -> Path:
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    path.mkdir(parents=True, exist_ok=True)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *WORDS, *".,!?'-", *letters,
             *("##" + c for c in letters), "##s", "##ing"]
    (path / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast.from_pretrained(path, do_lower_case=True)  # reads vocab.txt
    config = BertConfig(vocab_size=len(dict.fromkeys(vocab)), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    torch.manual_seed(0)
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def make_gpt2(path: Path) -> Path:
    import torch
    from tokenizers import pre_tokenizers
    from transformers import GPT2Config, GPT2Model, GPT2TokenizerFast

    path.mkdir(parents=True, exist_ok=True)
    vocab = {s: i for i, s in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}
    merges: list[str] = []

    def word(w: str) -> None:
        cur = w[0]
        for ch in w[1:]:
            merges.append(f"{cur} {ch}")
            cur += ch
            vocab.setdefault(cur, len(vocab))

    for w in WORDS:  # "Ġfox" (after a space) must merge before "fox"
        word("Ġ" + w)
    for w in [*WORDS, "The"]:
        word(w)
    vocab.setdefault("<|endoftext|>", len(vocab))
    (path / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (path / "merges.txt").write_text("#version: 0.2\n" + "\n".join(dict.fromkeys(merges)) + "\n",
                                     encoding="utf-8")
    tokenizer = GPT2TokenizerFast.from_pretrained(path, unk_token="<|endoftext|>", bos_token="<|endoftext|>",
                                                  eos_token="<|endoftext|>")
    config = GPT2Config(vocab_size=len(vocab), n_positions=128, n_embd=32, n_layer=2, n_head=2,
                        bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id)
    torch.manual_seed(0)
    GPT2Model(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def reference_attentions(path: Path, text: str):
    """What the model itself returns: (tokens, attentions (L, H, N, N) float64 numpy)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path, attn_implementation="eager").eval()
    enc = tok(text, return_tensors="pt")
    with torch.no_grad():
        out = model(**enc, output_attentions=True)
    ids = enc["input_ids"][0].tolist()
    att = torch.stack([a[0] for a in out.attentions]).double().numpy()
    return tok.convert_ids_to_tokens(ids), ids, tok.all_special_ids, att
