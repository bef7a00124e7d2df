from mkdocs_attention.tokens import tokenize


def test_words_and_punctuation() -> None:
    assert tokenize("The quick brown fox jumps over the lazy dog.") == (
        "The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".")


def test_inner_apostrophes_and_hyphens_stay_in_the_word() -> None:
    assert tokenize("Don't over-think it, ok?") == ("Don't", "over-think", "it", ",", "ok", "?")


def test_unicode_scripts() -> None:
    assert tokenize("café 日本語 naïve 😀!") == ("café", "日本語", "naïve", "😀", "!")
