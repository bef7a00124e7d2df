"""The same fence gives the same figure bytes and id in every Markdown set-up, on every page, in
every process: the extension alone, the extension with SuperFences, SuperFences alone (its custom
fence, as Zensical runs it) and the MkDocs plugin."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from mkdocs_attention.hosts import superfences
from tests.helpers import ROOT, figures, mkdocs_build, write_site

PAGE = """\
# A page

```attention
The quick brown fox.
```

```attention {heads=2 title="Two heads"}
text: a b c
```

Text after.
"""
SUPERFENCES_ONLY = {
    "pymdownx.superfences": {
        "custom_fences": [
            {
                "name": "attention",
                "class": "attention",
                "validator": superfences.validator,
                "format": superfences.formatter,
            }
        ]
    }
}
SETUPS: dict[str, tuple[list[str], dict]] = {
    "extension": (["attention"], {}),
    "extension+superfences": (["attention", "pymdownx.superfences"], {}),
    "superfences-before-extension": (["pymdownx.superfences", "attention"], {}),
    "superfences-only": (["pymdownx.superfences"], SUPERFENCES_ONLY),
}


def convert_pages(setup: str, pages: int = 3) -> list[list[str]]:
    """The figures of ``pages`` conversions of PAGE by one ``Markdown`` (reset between, as
    Python-Markdown users and site generators do)."""
    extensions, configs = SETUPS[setup]
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    out = []
    for _ in range(pages):
        out.append(figures(md.reset().convert(PAGE)))
    return out


@pytest.fixture(scope="module")
def reference() -> list[str]:
    ((first, *_),) = [convert_pages("extension", 1)]
    return first


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_every_page_of_every_set_up_gets_the_same_figures(setup: str, reference: list[str]) -> None:
    pages = convert_pages(setup)
    assert len(reference) == 2 and all(page == reference for page in pages)
    assert [re.match(r'<figure class="attn" id="(attn-[0-9a-f]{8})"', f).group(1) for f in reference]


def test_a_fence_repeated_on_a_page_gets_a_suffix_from_the_page_alone() -> None:
    twice = "```attention\na b\n```\n\n```attention\na b\n```\n"
    for setup in SETUPS:
        extensions, configs = SETUPS[setup]
        md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        ids = [re.findall(r'<figure class="attn" id="([^"]+)"', md.reset().convert(twice)) for _ in range(2)]
        assert ids[0] == ids[1] and ids[0][1] == ids[0][0] + "-2", setup


def test_another_process_with_another_hash_seed_writes_the_same_bytes(reference: list[str]) -> None:
    code = (
        "import json, sys; from tests.hosts.test_setups import convert_pages;"
        "json.dump(convert_pages('superfences-only', 1)[0], sys.stdout)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": ""},
    )
    assert json.loads(out.stdout) == reference


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_a_bad_fence_is_located_in_every_set_up(setup: str, caplog: pytest.LogCaptureFixture) -> None:
    extensions, configs = SETUPS[setup]
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        html = md.convert("Intro.\n\n```attention\ntxt: a\n```\n\nAfter.\n")
    assert caplog.messages == ["<markdown>:3: attention: unknown option 'txt'; did you mean 'text'?"]
    assert 'class="attn-error"' in html and "<p>After.</p>" in html


def test_the_plugin_gives_the_same_figures_on_every_page(tmp_path: Path, reference: list[str]) -> None:
    config = write_site(
        tmp_path,
        {"index.md": PAGE, "a/one.md": PAGE, "b/two.md": PAGE},
        "site_name: S\nmarkdown_extensions:\n  - pymdownx.superfences\nplugins:\n  - attention\n",
    )
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for page in ("index.html", "a/one/index.html", "b/two/index.html"):
        assert figures((tmp_path / "site" / page).read_text(encoding="utf-8")) == reference


@pytest.mark.parametrize("setup", sorted(SETUPS))
def test_examples_are_not_reported_and_real_fences_get_their_own_line(
    setup: str, caplog: pytest.LogCaptureFixture
) -> None:
    # An indented code example and a commented-out fence with the same bad body come first; the
    # real fence is blamed, at its own line; a U+2028 earlier on the page does not shift it.
    page = (
        "Line\u2028with a separator.\n\nExample:\n\n    ```attention\n    txt: a\n    ```\n\n"
        "<!--\n```attention\ntxt: a\n```\n-->\n\nReal:\n\n```attention\ntxt: a\n```\n"
    )
    extensions, configs = SETUPS[setup]
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        markdown.Markdown(extensions=extensions, extension_configs=configs).convert(page)
    assert caplog.messages == ["<markdown>:17: attention: unknown option 'txt'; did you mean 'text'?"]


@pytest.mark.parametrize("setup", ["extension", "superfences-only"])
def test_a_fence_in_a_blockquote_is_located(setup: str, caplog: pytest.LogCaptureFixture) -> None:
    extensions, configs = SETUPS[setup]
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(
            "Intro.\n\n> ```attention\n> txt: a\n> ```\n"
        )
    assert caplog.messages == ["<markdown>:3: attention: unknown option 'txt'; did you mean 'text'?"]
    assert 'class="attn-error"' in html


def test_a_nested_fence_superfences_would_leave_as_text_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    """Reported where it opens, with an error box in its place, in the block that holds it; the
    rest of the block and the page stay."""
    extensions, configs = SETUPS["extension+superfences"]
    page = (
        "- item\n\n     ```attention\n     a b\n   ```\n\n!!! tip\n      ```attention\n    e f\n      ```\n\n"
        "!!! note\n    ```attention\n    c d\n\nAfter.\n"
    )
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.attention"):
        html = markdown.Markdown(extensions=[*extensions, "admonition"], extension_configs=configs).convert(
            page
        )
    assert [m.split(": ", 2)[:2] for m in caplog.messages] == [
        ["<markdown>:3", "attention"],
        ["<markdown>:8", "attention"],
        ["<markdown>:13", "attention"],
    ]
    assert "not indented as its opening" in caplog.messages[0] and "never closed" in caplog.messages[2]
    assert "not indented as its opening" in caplog.messages[1]
    boxes = re.findall(r'<div class="attn-error" role="alert">', html)
    assert len(boxes) == 3 and "<p>c d</p>" in html and html.rstrip().endswith("<p>After.</p>")
    note = html[html.index('<div class="admonition note">') :]
    assert note.index('class="attn-error"') < note.index("<p>c d</p>") < note.index("</div>\n<p>After.</p>")


def test_a_fence_whose_closing_line_superfences_does_not_take_still_renders_at_the_margin() -> None:
    extensions, configs = SETUPS["extension+superfences"]
    html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(
        "```attention\nThe cat sat.\n    ```\n\nAfter.\n"
    )
    assert html.count('<figure class="attn"') == 1 and "<code>" not in html
