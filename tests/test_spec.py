from __future__ import annotations

import pytest

from mkdocs_attention.errors import AttentionError
from mkdocs_attention.spec import Generate, RepeatedProbe, Spec, parse_fence, parse_header

FOX = ("The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".")


def test_plain_sentence_is_the_zero_config_form() -> None:
    spec = parse_fence("The quick brown fox jumps over the lazy dog.\n")
    assert spec == Spec(tokens=FOX)
    assert spec.source.kind == "toy"


def test_multi_line_sentence_joins_lines() -> None:
    assert parse_fence("The quick brown\nfox jumps.").tokens == ("The", "quick", "brown", "fox", "jumps", ".")


def test_yaml_body_sets_options() -> None:
    spec = parse_fence(
        "text: a b c\nheads: 2\ndim: 8\nseed: 3\ncausal: true\nprecision: 3\n"
        "title: T\ncaption: C\nview: arcs\ndirection: in"
    )
    assert spec == Spec(
        tokens=("a", "b", "c"),
        heads=2,
        dim=8,
        seed=3,
        causal=True,
        precision=3,
        title="T",
        caption="C",
        view="arcs",
        direction="in",
    )


def test_numpy_style_exponents_are_numbers() -> None:
    spec = parse_fence("tokens: [a, b]\nweights: [[1e-06, 0.999999], [5E-1, 5.0e-1]]")
    assert spec.source.heads[0].rows == ((1e-06, 0.999999), (0.5, 0.5))


def test_view_and_pruning_options() -> None:
    spec = parse_fence("text: a b c\nthreshold: 0.05\ntop_k: 2", "{view=matrix}")
    assert (spec.view, spec.threshold, spec.top_k) == ("matrix", 0.05, 2)
    assert parse_fence("a b", 'view="lines" threshold=0.5').threshold == 0.5
    assert parse_fence("a b").top_k is None


def test_text_options_keep_what_the_author_wrote() -> None:
    """YAML reads ``010`` as 8 and ``1:30`` as 90; a token or a title is text, kept as written."""
    spec = parse_fence("tokens: [yes, 010, '1:30', 1:30, 0x1F, 1_000, 3.10, ~, 2024-01-01]\ntitle: 1:30")
    assert spec.tokens == ("yes", "010", "1:30", "1:30", "0x1F", "1_000", "3.10", "~", "2024-01-01")
    assert spec.title == "1:30"
    assert parse_fence("text: 010 1:30").tokens == ("010", "1", ":", "30")
    assert parse_fence("\ufeffThe cat").tokens == ("The", "cat")  # an editor's byte-order mark


def test_tokens_are_used_verbatim() -> None:
    spec = parse_fence('tokens: ["[CLS]", "don\'t", "42", 7]')
    assert spec.tokens == ("[CLS]", "don't", "42", "7")


@pytest.mark.parametrize(
    "header",
    [
        "{heads=2 causal=true}",
        'heads="2" causal="true"',
        "heads=2 causal=true",
        "{ heads = 2  causal='true' }",
    ],
)
def test_header_options_all_syntaxes(header: str) -> None:
    spec = parse_fence("a b c", header)
    assert (spec.heads, spec.causal) == (2, True)


def test_header_from_superfences_is_a_mapping() -> None:
    assert parse_fence("a b", {"heads": "2", "dim": "4"}).heads == 2


def test_header_title_with_spaces() -> None:
    assert parse_header('title="Who looks where?" heads=2') == {"title": "Who looks where?", "heads": "2"}


def test_weights_forms() -> None:
    one = parse_fence("tokens: [a, b]\nweights: [[1, 0], [0.5, 0.5]]")
    assert one.source.kind == "weights"
    assert [h.name for h in one.source.heads] == ["Head 1"]
    assert one.source.heads[0].rows == ((1.0, 0.0), (0.5, 0.5))
    many = parse_fence("tokens: [a, b]\nweights: [[[1, 0], [0, 1]], [[0, 1], [1, 0]]]")
    assert [h.name for h in many.source.heads] == ["Head 1", "Head 2"]
    named = parse_fence("tokens: [a, b]\nweights:\n  syntax: [[1, 0], [0, 1]]\n  position: [[0, 1], [1, 0]]")
    assert [h.name for h in named.source.heads] == ["syntax", "position"]


@pytest.mark.parametrize(
    ("body", "header", "message"),
    [
        ("", "", "the fence is empty"),
        ("   \n  ", "", "the fence is empty"),
        ("txt: hello", "", "unknown option 'txt'; did you mean 'text'?"),
        ("text: a\nhaeds: 2", "", "did you mean 'heads'?"),
        ("Attention: is all you need", "", "write it as 'text: ...'"),
        ("text: a b\ntokens: [a, b]", "", "either 'text' or 'tokens'"),
        ("heads: 2", "", "nothing to show"),
        ("text: a\nheads: two", "", "'heads' must be a whole number"),
        ("text: a\nheads: 0", "", "between 1 and 64"),
        ("text: a\nheads: 3\ndim: 32", "", "multiple of 'heads'"),
        ("text: a\ncausal: maybe", "", "true or false"),
        ("text: a\nview: heatmap", "", "'view' must be one of arcs, lines, matrix"),
        ("text: a\nthreshold: -0.1", "", "'threshold' must be a weight from 0"),
        ("text: a\ntop_k: many", "", "'top_k' must be a whole number"),
        ("tokens: [a]\nmodel: bert-base-uncased", "", "tokenizes 'text' itself"),
        ("text: a\nscores: [[1]]\nweights: [[1]]", "", "give one source, not 'weights' and 'scores'"),
        ("text: a\nqueries: [[1]]", "", "'queries' and 'keys' go together"),
        ("text: a\nhide_special: true", "", "'hide_special' applies to a Hugging Face model only"),
        ("text: a\nprobe: repeated", "", "'probe' applies to a Hugging Face model only"),
        ("model: ./m\ntext: a\nprobe: repeated", "", "either 'text' or 'probe', not both"),
        (
            "model: ./m\nprobe: twice",
            "",
            "'probe' must be 'repeated' or a mapping like {repeated: 12, seed: 3}",
        ),
        ("model: ./m\nprobe: {repeated: 0}", "", "'probe: repeated' must be between 1 and 256"),
        ("model: ./m\nprobe: {repeated: 4, length: 3}", "", "takes 'repeated' (how many tokens) and 'seed'"),
        ("model: ./m\nprobe: repeated\nmerge: words", "", "a probe's random tokens are none"),
        ("text: a b\ngenerate: 3", "", "'generate' applies to a Hugging Face model only"),
        ("model: ./m\ntext: a\ngenerate: 0", "", "'generate' must be between 1 and 256"),
        ("model: ./m\ntext: a\ngenerate: {tokens: 3, top_k: 5}", "", "add 'temperature'"),
        ("model: ./m\ntext: a\ngenerate: {n: 3}", "", "takes 'tokens' (how many to write)"),
        ("model: ./m\ntext: a\ngenerate: {tokens: 3, temperature: 0}", "", "must be greater than 0"),
        ("model: ./m\ntext: a\ngenerate: 3\nmerge: words", "", "'generate' cannot go with 'merge'"),
        (
            "model: ./m\ntext: a\ngenerate: 3\nhide_special: true",
            "",
            "'generate' cannot go with 'hide_special'",
        ),
        ("model: ./m\ngenerate: 3\nprobe: repeated", "", "'generate' cannot go with 'probe'"),
        (
            "model: ./m\ntext: a\ntarget: b\npart: decoder\ngenerate: 3",
            "",
            "'generate' cannot go with 'target'",
        ),
        ("model: ./m\nprobe: repeated\ntarget: hi\npart: decoder", "", "leave out 'target' and 'part'"),
        ("text: a\nnormalize: true", "", "'normalize' applies to 'weights' or 'file' only"),
        ("text: a\ntemperature: 0", "", "'temperature' must be greater than 0"),
        ("text: a\nfile: x.npy\nlayer: [1, 1]", "", "lists an index twice"),
        ("tokens: [a, !!binary aGk=]", "", "token 2 reads as b'hi', not as text"),
        ('tokens: [a, "\\x02amp\\x03"]', "", "token 2 ('\\x02amp\\x03') holds the control character U+0002"),
        ("tokens: a b", "", "'tokens' must be a non-empty list"),
        ("text: [a", "", "the YAML body cannot be read"),
        ("- a\n- b", "", ""),  # a YAML list is not a sentence line starting with key: ... it is text
        ("tokens: [a, b]\nweights: [[1, 0]]", "", "must be square"),
        ("tokens: [a, b]\nweights: [[1, 0], [0, x]]", "", "row 2, column 2 is 'x', not a number"),
        ("tokens: [a, b, c]\nweights: [[1, 0], [0, 1]]", "", "'weights' is 2×2 but there are 3 tokens"),
        ("tokens: [a, b]\nweights: [[1, 0], [0, 1]]\nheads: 2", "", "'heads' applies to the toy model only"),
        ("tokens: [a, b]\nweights: 3", "", "'weights' must be an N×N list"),
        ("a b", "heads=2 heads=3", "given twice"),
        ("a b", "{heads=2", "never closed"),
        ("a b", "heads", "cannot read 'heads'"),
        ("text: a b\nheads: 2", "heads=2", "given both in the fence header and in the body"),
        ("a b", "tokens=a", "cannot go in the fence header"),
        ("a b", "colour=red", "unknown option 'colour'"),
        ("text: a b\nsync: two words", "", "'sync' 'two words' is not a usable name"),
        ("text: a b\nsync: 1st", "", "'sync' '1st' is not a usable name"),
        (
            "tokens: [a, b]\nkey_tokens: [x]\nweights: [[1, 0], [0, 1]]",
            "",
            "'weights' is 2×2 but there are 2 tokens (a, b) and 1 key tokens (x)",
        ),
        (
            "tokens: [a, b]\nkey_tokens: [x, y, z]\nweights: [[1, 0, 0], [0, 1, 0]]\ncausal: true",
            "",
            "'causal' masks the keys after each query",
        ),
        (
            "text: a b\nkey_tokens: [x]",
            "",
            "'key_tokens' applies to 'weights' or 'scores' or 'queries' or 'file' only",
        ),
    ],
)
def test_bad_fences_raise_one_error_type(body: str, header: str, message: str) -> None:
    if not message:
        assert parse_fence(body, header).tokens  # "- a\n- b" is a sentence of dashes and words
        return
    with pytest.raises(AttentionError) as err:
        parse_fence(body, header)
    assert message in str(err.value)


def test_yaml_error_carries_the_body_line() -> None:
    with pytest.raises(AttentionError) as err:
        parse_fence("text: a\nheads: 2\ntitle: [unclosed\n")
    assert err.value.line is not None and err.value.line >= 2


def test_source_forms() -> None:
    assert parse_fence("tokens: [a, b]\nscores: [[1, 2], [3, 4]]\ntemperature: 0.5").source.kind == "scores"
    qk = parse_fence("tokens: [a, b]\nqueries: [[1, 0, 2], [0, 1, 0]]\nkeys: [[1, 1, 1], [0, 0, 1]]")
    assert qk.source.kind == "qk" and qk.source.queries[0][0] == (1.0, 0.0, 2.0)
    f = parse_fence("file: a.npz\nlayer: [0, 2]\nhead: 1\nnormalize: true")
    assert (f.source.kind, f.tokens, f.layer, f.head, f.normalize) == ("file", (), (0, 2), (1,), True)
    assert parse_fence("text: hi", "{file=a.npy layer=0,2}").layer == (0, 2)
    hf = parse_fence("text: The  fox\nmodel: ./tiny\nhide_special: true\nrevision: abc")
    assert (hf.source.kind, hf.text, hf.tokens, hf.hide_special) == ("hf", "The fox", (), True)
    assert parse_fence("text: a b\nmodel: toy").source.kind == "toy"
    assert parse_fence("model: ./tiny", "probe=repeated").probe == RepeatedProbe(10, 0)
    probe = parse_fence("model: ./tiny\nprobe: {repeated: 12, seed: 3}")
    assert (probe.probe, probe.text, probe.tokens) == (RepeatedProbe(12, 3), None, ())
    assert parse_fence("model: ./tiny\ntext: a", "generate=4").generate == Generate(4)
    sampled = parse_fence(
        "model: ./tiny\ntext: a\ngenerate: {tokens: 5, temperature: 0.8, top_k: 20, seed: 3}"
    )
    assert sampled.generate == Generate(5, 0.8, 20, 3) and sampled.generate.sampled


def test_token_limit_is_configurable() -> None:
    parse_fence("a " * 20, max_tokens=20)
    with pytest.raises(AttentionError, match="21 tokens is more than the limit of 20"):
        parse_fence("a " * 21, max_tokens=20)


def test_spec_is_frozen() -> None:
    spec = parse_fence("a b")
    with pytest.raises(AttributeError):
        spec.heads = 3  # type: ignore[misc]


def test_sync_names_a_group_and_travels_in_the_payload() -> None:
    from mkdocs_attention import load, render_figure

    spec = parse_fence("a b", "{sync=masks}")
    assert spec.sync == "masks"
    html = render_figure(spec, load(spec), "f")
    assert '"sync":"masks"' in html
    assert '"sync"' not in render_figure(parse_fence("a b"), load(parse_fence("a b")), "f")
