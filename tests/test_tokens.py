from mkdocs_attention.tokens import tokenize


def test_words_and_punctuation() -> None:
    assert tokenize("The quick brown fox jumps over the lazy dog.") == (
        "The",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "the",
        "lazy",
        "dog",
        ".",
    )


def test_inner_apostrophes_and_hyphens_stay_in_the_word() -> None:
    assert tokenize("Don't over-think it, ok?") == ("Don't", "over-think", "it", ",", "ok", "?")


def test_unicode_scripts() -> None:
    assert tokenize("café 日本語 naïve 😀!") == ("café", "日本語", "naïve", "😀", "!")


def test_plain_text_and_the_general_rule_agree_on_random_text() -> None:
    # Words and spaces take a shortcut (str.split); everything else the regex. Both must give
    # what the regex alone gives, whatever the characters.
    import random

    from mkdocs_attention.tokens import _TOKEN

    rng = random.Random(0)
    texts = [
        "".join(rng.choice("abcXYZ019_ '’-.,!?\t\n\x1c\u00a0é日😀\u0301") for _ in range(rng.randint(0, 30)))
        for _ in range(20000)
    ]
    texts += ["".join(rng.choice("ab_9 ") for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for text in texts:
        assert tokenize(text) == tuple(m.group(0) for m in _TOKEN.finditer(text)), repr(text)
