"""Tiny BERT-, GPT-2-, Llama-, Qwen2-, BART- and Marian-like models, built and saved by the tests
(nothing downloaded).

Vocabularies cover the example sentences so tokens are real words, not [UNK] or single bytes.
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
    vocab = [
        "[PAD]",
        "[UNK]",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        *WORDS,
        *".,!?'-",
        *letters,
        *("##" + c for c in letters),
        "##s",
        "##ing",
    ]
    (path / "vocab.txt").write_text("\n".join(dict.fromkeys(vocab)) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast.from_pretrained(path, do_lower_case=True)  # reads vocab.txt
    config = BertConfig(
        vocab_size=len(dict.fromkeys(vocab)),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def _merge_words(vocab: dict[str, int], words: list[str]) -> list[tuple[str, str]]:
    """BPE merges that build each of ``words`` letter by letter (earlier words merge first);
    adds every partial piece to ``vocab``."""
    merges: list[tuple[str, str]] = []
    for w in words:
        cur = w[0]
        for ch in w[1:]:
            merges.append((cur, ch))
            cur += ch
            vocab.setdefault(cur, len(vocab))
    return list(dict.fromkeys(merges))


def _byte_level_vocab() -> dict[str, int]:
    from tokenizers import pre_tokenizers

    return {s: i for i, s in enumerate(sorted(pre_tokenizers.ByteLevel.alphabet()))}


def make_gpt2(path: Path, *, writes: bool = False, layers: int = 2, heads: int = 2, width: int = 32) -> Path:
    """A GPT-2: byte-level BPE; with ``writes``, saved with its language-model head (tied to the
    embeddings), as ``generate`` needs; ``layers`` × ``heads`` of ``width`` (2 × 2 of 32)."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, GPT2Model, GPT2TokenizerFast

    path.mkdir(parents=True, exist_ok=True)
    vocab = _byte_level_vocab()
    # "Ġfox" (after a space) must merge before "fox"
    merges = _merge_words(vocab, ["Ġ" + w for w in WORDS] + [*WORDS, "The"])
    vocab.setdefault("<|endoftext|>", len(vocab))
    (path / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (path / "merges.txt").write_text(
        "#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges) + "\n", encoding="utf-8"
    )
    tokenizer = GPT2TokenizerFast.from_pretrained(
        path, unk_token="<|endoftext|>", bos_token="<|endoftext|>", eos_token="<|endoftext|>"
    )
    config = GPT2Config(
        vocab_size=len(vocab),
        n_positions=128,
        n_embd=width,
        n_layer=layers,
        n_head=heads,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    (GPT2LMHeadModel if writes else GPT2Model)(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


#: Shape of the tiny decoders of today's families: 4 query heads share 2 key/value heads
#: (grouped-query attention), rotary positions, RMSNorm. Weights drawn wider than the families'
#: 0.02 so the heads' maps are sharp and differ from each other by far more than the tolerances.
DECODER = {
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 128,
    "initializer_range": 0.3,
}


def make_llama(path: Path, *, writes: bool = False) -> Path:
    """A Llama-2-style model: SentencePiece-like BPE ("▁fox", byte fallback), a BOS token "<s>"
    before every text, GQA and rotary positions; with ``writes``, saved with its language-model
    head, as ``generate`` needs."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, LlamaModel, LlamaTokenizer

    path.mkdir(parents=True, exist_ok=True)
    vocab = {s: i for i, s in enumerate(["<unk>", "<s>", "</s>"])}
    vocab.update({f"<0x{b:02X}>": 3 + b for b in range(256)})  # byte fallback, as Llama has
    for ch in "▁abcdefghijklmnopqrstuvwxyzT.,!?'-":
        vocab.setdefault(ch, len(vocab))
    merges = _merge_words(vocab, ["▁" + w for w in [*WORDS, "The"]])
    tokenizer = LlamaTokenizer(vocab=vocab, merges=merges, add_bos_token=True)
    config = LlamaConfig(
        vocab_size=len(vocab),
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        **DECODER,
    )
    torch.manual_seed(0)
    (LlamaForCausalLM if writes else LlamaModel)(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def make_qwen2(path: Path) -> Path:
    """A Qwen2-style model: byte-level BPE ("Ġfox"), no BOS token, GQA and rotary positions."""
    import torch
    from transformers import Qwen2Config, Qwen2Model, Qwen2Tokenizer

    path.mkdir(parents=True, exist_ok=True)
    vocab = _byte_level_vocab()
    merges = _merge_words(vocab, ["Ġ" + w for w in WORDS] + [*WORDS, "The"])
    vocab.setdefault("<|endoftext|>", len(vocab))
    tokenizer = Qwen2Tokenizer(vocab=vocab, merges=merges)
    config = Qwen2Config(vocab_size=len(vocab), eos_token_id=tokenizer.eos_token_id, **DECODER)
    torch.manual_seed(0)
    Qwen2Model(config).save_pretrained(path)
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


#: The encoder-decoder models translate: English source, French target.
EN = ["The quick brown fox jumps over the lazy dog.", "The cat sat on the mat.", "A cat sleeps."]
FR = [
    "Le renard brun rapide saute par-dessus le chien paresseux.",
    "Le chat est assis sur le tapis.",
    "Un chat dort.",
]
FR_WORDS = ["le", "Le", "chat", "est", "assis", "sur", "tapis", "renard", "brun", "Un", "dort"]
#: Shape of the tiny encoder-decoders: 2 encoder and 2 decoder layers of 4 heads; weights drawn
#: wide (as ``DECODER``) so the heads differ.
SEQ2SEQ = {
    "d_model": 32,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 4,
    "decoder_attention_heads": 4,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 64,
    "init_std": 0.3,
}


def make_bart(path: Path) -> Path:
    """A BART-style model: byte-level BPE ("Ġfox") shared by both sides, "<s>" and "</s>" around
    every text; the decoder starts with "</s>"."""
    import torch
    from transformers import BartConfig, BartModel, BartTokenizer

    path.mkdir(parents=True, exist_ok=True)
    vocab = {s: i for i, s in enumerate(["<s>", "<pad>", "</s>", "<unk>"])}  # BART's ids
    for piece in _byte_level_vocab():
        vocab.setdefault(piece, len(vocab))
    words = [*WORDS, *FR_WORDS]
    merges = _merge_words(vocab, ["Ġ" + w for w in words] + [*words, "The"])
    vocab.setdefault("<mask>", len(vocab))
    tokenizer = BartTokenizer(vocab=vocab, merges=merges)
    config = BartConfig(vocab_size=len(vocab), **SEQ2SEQ)  # pad 1, bos 0, eos 2, decoder start 2
    torch.manual_seed(0)
    BartModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def _sentencepiece(lines: list[str]) -> bytes:
    """A small SentencePiece BPE model trained on ``lines``: whole words ("▁fox") as pieces."""
    import io

    import sentencepiece

    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 20),
        model_writer=model,
        vocab_size=90,
        model_type="bpe",
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
        unk_id=0,
        bos_id=-1,
        eos_id=1,
        pad_id=-1,
    )
    return model.getvalue()


def make_marian(path: Path) -> Path:
    """A Marian-style model (opus-mt): one SentencePiece model per language (source.spm,
    target.spm) over one shared vocabulary, "</s>" after every text, no "<s>"; the decoder
    starts with "<pad>"."""
    import sentencepiece
    import torch
    from transformers import MarianConfig, MarianModel, MarianTokenizer

    path.mkdir(parents=True, exist_ok=True)
    vocab = {"</s>": 0, "<unk>": 1}
    for name, lines in (("source.spm", EN), ("target.spm", FR)):
        model = _sentencepiece(lines)
        (path / name).write_bytes(model)
        sp = sentencepiece.SentencePieceProcessor(model_proto=model)
        for i in range(sp.get_piece_size()):
            if not (sp.is_unknown(i) or sp.is_control(i)):
                vocab.setdefault(sp.id_to_piece(i), len(vocab))
    vocab["<pad>"] = len(vocab)  # last, as in opus-mt
    (path / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(str(path / "source.spm"), str(path / "target.spm"), str(path / "vocab.json"))
    config = MarianConfig(
        vocab_size=len(vocab),
        pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=vocab["</s>"],
        **SEQ2SEQ,
    )
    torch.manual_seed(0)
    MarianModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def reference_seq2seq(path: Path, text: str, target: str) -> dict:
    """What an encoder-decoder model itself returns with the labels of ``target`` shifted right by
    its own ``shift_tokens_right`` (as in training): pieces and ids of each side, the special
    ids, and ``encoder``, ``decoder`` and ``cross`` attentions (L, H, M, N) as float64 numpy."""
    import importlib

    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path, attn_implementation="eager").eval()
    enc = tok(text, return_tensors="pt")
    labels = tok(text_target=target, return_tensors="pt")["input_ids"]
    shift = importlib.import_module(type(model).__module__).shift_tokens_right
    decoder_ids = shift(labels, model.config.pad_token_id, model.config.decoder_start_token_id)
    with torch.no_grad():
        out = model(**enc, decoder_input_ids=decoder_ids, output_attentions=True)
    ids, dec = enc["input_ids"][0].tolist(), decoder_ids[0].tolist()
    return {
        "source_pieces": tok.convert_ids_to_tokens(ids),
        "source_ids": ids,
        "target_pieces": tok.convert_ids_to_tokens(dec),
        "target_ids": dec,
        "label_pieces": tok.convert_ids_to_tokens(labels[0].tolist()),
        "special": tok.all_special_ids,
        **{
            part: torch.stack([a[0] for a in getattr(out, f"{part}_attentions")]).double().numpy()
            for part in ("encoder", "decoder", "cross")
        },
    }


def weighting_models(root: Path) -> dict[str, Path]:
    """The models the weightings are checked on: tiny BERT, GPT-2, Llama and Qwen2 (the last two
    with grouped-query heads) made in ``root``, and the course's real encoder (MiniLM) and
    trained model (repeats-2l, Llama-style with biases) where ``make real-model`` put them."""
    course = Path(__file__).resolve().parents[1] / "example_site" / "models"
    found = {
        "bert": make_bert(root / "bert"),
        "gpt2": make_gpt2(root / "gpt2"),
        "llama": make_llama(root / "llama"),
        "qwen2": make_qwen2(root / "qwen2"),
    }
    for name, folder in (("minilm", course / "all-MiniLM-L6-v2"), ("repeats", course / "repeats-2l")):
        if (folder / "config.json").is_file():
            found[name] = folder
    return found
