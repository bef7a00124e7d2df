"""Small Markdown → HTML cases, one per feature of the Markdown glue (pymdownx-extensions' style).

A figure is abbreviated to ``<figure ID VIEW: TOKENS>``; whole figures are checked byte for byte
by tests/render/test_golden.py.
"""

from __future__ import annotations

import json
import logging
import re
import textwrap
from html import unescape

import markdown
import pytest

FIGURE = re.compile(
    r'<figure class="attn" id="([^"]+)" data-attn-view="(\w+)"[^>]*?data-attn=\'([^\']*)\'>'
    r".*?</figure>",
    re.S,
)
PLAIN = ["attention"]
LIST_ITEM = """
    - item

        ```attention
        a b
        ```
    """
SUPERFENCES = ["pymdownx.superfences", "attention"]


def abbreviated(html: str) -> str:
    def short(m: re.Match[str]) -> str:
        tokens = json.loads(unescape(m.group(3)))["tokens"]
        return f"<figure {m.group(1)} {m.group(2)}: {' '.join(tokens)}>"

    return FIGURE.sub(short, html)


def check_markdown(source: str, expected: str, extensions: list[str] = PLAIN) -> None:
    logging.disable(logging.WARNING)  # errors are reported; tests/hosts/test_setups.py checks how
    try:
        html = markdown.markdown(textwrap.dedent(source), extensions=extensions)
    finally:
        logging.disable(logging.NOTSET)
    assert abbreviated(html) == textwrap.dedent(expected).strip()


CASES = {
    "a sentence between paragraphs": (
        PLAIN,
        """
        Before.

        ```attention
        The fox sat.
        ```

        After.
        """,
        """
        <p>Before.</p>
        <figure attn-39be51ea arcs: The fox sat .>
        <p>After.</p>
        """,
    ),
    "header options": (
        PLAIN,
        """
        ```attention {view=matrix}
        a b c
        ```
        """,
        """
        <figure attn-9c143a10 matrix: a b c>
        """,
    ),
    "an example inside a longer fence stays code": (
        ["fenced_code", "attention"],
        """
        ````markdown
        ```attention
        a b
        ```
        ````
        """,
        """
        <pre><code class="language-markdown">```attention
        a b
        ```
        </code></pre>
        """,
    ),
    "a bad fence becomes an error box, the page stays": (
        PLAIN,
        """
        Intro.

        ```attention
        txt: a
        ```

        After.
        """,
        """
        <p>Intro.</p>
        <div class="attn-error" role="alert"><strong>attention:</strong> unknown option &#x27;txt&#x27;; did you mean &#x27;text&#x27;?</div>
        <p>After.</p>
        """,
    ),
    "an unclosed fence is an error, what follows stays": (
        PLAIN,
        """
        Intro.

        ```attention
        a b

        rest of page
        """,
        """
        <p>Intro.</p>
        <div class="attn-error" role="alert"><strong>attention:</strong> this fence is never closed: end it with a line of ``` (as many backticks as it opens with)</div>
        <p>a b</p>
        <p>rest of page</p>
        """,
    ),
    "a fence repeated on a page gets a suffix": (
        PLAIN,
        """
        ```attention
        a b
        ```

        ```attention
        a b
        ```
        """,
        """
        <figure attn-23ed0176 arcs: a b>
        <figure attn-23ed0176-2 arcs: a b>
        """,
    ),
    "a fence in a blockquote": (
        PLAIN,
        """
        > Quoted:
        >
        > ```attention
        > a b
        > ```
        > More quoted.
        """,
        """
        <blockquote>
        <p>Quoted:</p>
        <figure attn-23ed0176 arcs: a b>
        <p>More quoted.</p>
        </blockquote>
        """,
    ),
    "an indented code example stays code": (
        PLAIN,
        """
        Example:

            ```attention
            txt: a
            ```
        """,
        """
        <p>Example:</p>
        <pre><code>```attention
        txt: a
        ```
        </code></pre>
        """,
    ),
    "a fence in a list without superfences is reported, its error box in its place": (
        ["attention"],
        LIST_ITEM,
        """
        <ul>
        <li>
        <p>item</p>
        <div class="attn-error" role="alert"><strong>attention:</strong> plain Markdown renders fences at the margin only: add pymdownx.superfences to markdown_extensions to render this one inside a list, admonition or tab</div>
        </li>
        </ul>
        """,
    ),
    "header spacing and duplicates read alike in every set-up": (
        SUPERFENCES,
        """
        ```attention { view = matrix }
        a b
        ```

        ```attention {view=arcs view=matrix}
        a b
        ```
        """,
        """
        <figure attn-d0ca411d matrix: a b>
        <div class="attn-error" role="alert"><strong>attention:</strong> fence header: &#x27;view&#x27; is given twice</div>
        """,
    ),
    "superfences: a fence in a list item": (
        SUPERFENCES,
        LIST_ITEM,
        """
        <ul>
        <li>
        <p>item</p>
        <figure attn-23ed0176 arcs: a b>
        </li>
        </ul>
        """,
    ),
    "superfences: a header it cannot read neither drops the fence nor swallows the next": (
        SUPERFENCES,
        """
        ```attention heads=2
        a b
        ```

        ```attention
        c d
        ```
        """,
        """
        <figure attn-98c1b7d5 arcs: a b>
        <figure attn-ac0fd7fe arcs: c d>
        """,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_markdown_case(case: str) -> None:
    extensions, source, expected = CASES[case]
    check_markdown(source, expected, extensions)
