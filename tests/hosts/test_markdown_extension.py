"""Python-Markdown alone (no MkDocs, no SuperFences): the extension renders fences."""

from __future__ import annotations

import logging

import markdown
import pytest

from mkdocs_attention.errors import AttentionError
from mkdocs_attention.hosts.markdown_extension import AttentionExtension


def convert(text: str, **kwargs: object) -> str:
    return markdown.markdown(text, extensions=["fenced_code", AttentionExtension(**kwargs)])


def test_fence_becomes_a_figure_and_the_rest_stays() -> None:
    html = convert("Before.\n\n```attention\nThe quick brown fox.\n```\n\nAfter.\n\n```python\nx = 1\n```\n")
    assert html.startswith("<p>Before.</p>")
    assert html.count('<figure class="attn"') == 1
    assert "<p>After.</p>" in html
    assert '<code class="language-python">x = 1' in html
    assert "<p><figure" not in html


def test_entry_point_name_works() -> None:
    html = markdown.markdown("```attention\na b\n```", extensions=["attention"])
    assert '<figure class="attn"' in html


def test_bad_fence_logs_page_line_and_shows_error_box(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        html = convert("# T\n\nText.\n\n```attention\ntxt: hi\n```\n\nMore text.\n")
    assert caplog.messages == ["<markdown>:5: attention: unknown option 'txt'; did you mean 'text'?"]
    assert '<div class="attn-error" role="alert">' in html
    assert "<p>More text.</p>" in html


def test_unclosed_fence_is_reported_not_swallowed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        html = convert("Intro.\n\n```attention\na b\n\nrest of page\n")
    assert "never closed" in caplog.messages[0] and ":3:" in caplog.messages[0]
    assert "attn-error" in html and "<p>Intro.</p>" in html
    assert "<p>a b</p>" in html and "<p>rest of page</p>" in html  # nothing after it is lost


def test_yaml_error_points_at_the_bad_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        convert("x\n\n```attention\ntext: a\ntitle: [oops\n```\n")
    assert caplog.messages[0].startswith("<markdown>:5: attention: the YAML body cannot be read")


def test_max_tokens_config() -> None:
    html = markdown.markdown(
        "```attention\na b c\n```",
        extensions=["attention"],
        extension_configs={"attention": {"max_tokens": 2}},
    )
    assert "attn-error" in html and "more than the limit of 2" in html


def test_an_internal_bug_still_names_the_line(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("mkdocs_attention.convert.render", broken)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        html = convert("x\n\n```attention\na b\n```\n\nafter\n")
    assert caplog.messages[0].startswith("<markdown>:3: attention: internal error (ZeroDivisionError: boom)")
    assert "attn-error" in html and "<p>after</p>" in html


@pytest.mark.parametrize("extensions", [[], ["pymdownx.superfences"]])
def test_fail_on_error_stops_at_the_first_bad_fence_with_its_located_message(
    extensions: list, caplog: pytest.LogCaptureFixture
) -> None:
    md = markdown.Markdown(extensions=[*extensions, AttentionExtension(fail_on_error=True)])
    page = "# T\n\n```attention\ntxt: x\n```\n\n```attention\nheads: 0\n```\n"
    stop = r"^<markdown>:3: attention: unknown option 'txt'.*set\)$"
    with (
        caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"),
        pytest.raises(AttentionError, match=stop),
    ):
        md.convert(page)
    assert caplog.messages == []  # the second bad fence is never reached
    assert '<figure class="attn"' in md.reset().convert("```attention\nThe cat sat.\n```\n")
