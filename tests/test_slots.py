"""Figures bypass Python-Markdown's HTML stash (slots), yet every route still gets them whole."""

from __future__ import annotations

import markdown

from mkdocs_attention import fence
from mkdocs_attention.extension import AttentionExtension
from mkdocs_attention.slots import NAME

FENCE = "```attention\ntext: The quick brown fox\n```\n"
SUPERFENCES = {"pymdownx.superfences": {"custom_fences": [
    {"name": "attention", "class": "attention", "validator": fence.validator, "format": fence.formatter}]}}


def stashed(md: markdown.Markdown) -> str:
    return "".join(str(block) for block in md.htmlStash.rawHtmlBlocks)


def test_the_preprocessor_skips_the_stash_and_the_page_gets_the_whole_figure() -> None:
    md = markdown.Markdown(extensions=[AttentionExtension()])
    html = md.convert(f"# Title\n\n{FENCE}\nAfter.\n")
    assert md.htmlStash.html_counter == 0  # the slot went into the tree as a <div>, not a paragraph
    assert html.count('<figure class="attn"') == 1 and html.endswith("</figure>\n<p>After.</p>")
    assert "\x02" not in html and "<p><figure" not in html


def test_superfences_figures_in_nested_blocks_and_beside_headings_come_back() -> None:
    # toc runs the postprocessors on each heading while the page's slots are still open.
    md = markdown.Markdown(extensions=["toc", "admonition", "pymdownx.superfences",
                                       AttentionExtension(preprocess=False)], extension_configs=SUPERFENCES)
    indented = "".join(f"    {line}\n" for line in FENCE.splitlines())
    text = f"# One\n\n{FENCE}\n!!! note\n\n{indented}\n- item\n\n{indented}\n## Two\n"
    html = md.convert(text)
    assert html.count('<figure class="attn"') == 3
    assert "\x02" not in html
    assert '<h2 id="two">Two</h2>' in html


def test_superfences_stashes_a_short_slot() -> None:
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs=SUPERFENCES)
    html = md.convert(f"- item\n\n    {FENCE.replace(chr(10), chr(10) + '    ')}")
    assert "<figure" not in stashed(md) and 0 < len(stashed(md)) < 40
    assert html.count('<figure class="attn"') == 1


def test_a_fence_that_ends_the_document_still_fills_its_slot() -> None:
    md = markdown.Markdown(extensions=[AttentionExtension()])
    for text in (FENCE.rstrip("\n"), "Intro.\n\n```attention\na b\n"):  # closed at the end; never closed
        html = md.convert(text)
        assert html.count('<figure class="attn"') + html.count('class="attn-error"') == 1
        assert "\x02" not in html and "<p><div" not in html


def test_the_formatter_alone_registers_the_slots_and_reset_empties_them() -> None:
    md = markdown.Markdown(extensions=["pymdownx.superfences"], extension_configs=SUPERFENCES)
    assert NAME not in md.postprocessors
    assert md.convert(FENCE).count('<figure class="attn"') == 1
    assert len(md.postprocessors[NAME].figures) == 1
    md.reset()
    assert md.postprocessors[NAME].figures == []
    assert md.convert(FENCE).count('<figure class="attn"') == 1


def test_an_author_cannot_forge_a_slot() -> None:
    md = markdown.Markdown(extensions=[AttentionExtension()])
    html = md.convert(f"{FENCE}\n<div>\x02attn:0\x03</div>\n\nText \x02attn:0\x03.\n")
    assert html.count('<figure class="attn"') == 1
