from mkdocs_attention.hosts.fence_scan import holder, in_comments, openings, scan

PAGE = """# Title

```attention {heads=2}
a b c
```

````markdown
```attention
not rendered: an example inside another fence
```
````

~~~attention
x y
~~~

    ```attention
    indented four: code block in plain Markdown
    ```

```attention
never closed
"""


def test_scan_finds_only_real_top_level_fences() -> None:
    found = list(scan(PAGE.splitlines()))
    assert [(f.start, f.header, f.body, f.closed) for f in found] == [
        (2, "{heads=2}", "a b c", True),
        (12, "", "x y", True),
        (20, "", "never closed", False),
    ]


def test_scan_any_indent_finds_nested_fences() -> None:
    found = list(scan(PAGE.splitlines(), max_indent=None))
    assert [f.body for f in found] == [
        "a b c",
        "x y",
        "indented four: code block in plain Markdown",
        "never closed",
    ]


def test_brace_class_header() -> None:
    (fence,) = scan(["```{.attention heads=2}", "a b", "```"])
    assert fence.header == "{heads=2}"


def test_other_languages_are_not_ours() -> None:
    assert list(scan(["```attentions", "a", "```", "```python", "```attention", "```"])) == []


def test_openings_find_every_fence_with_the_body_in_page_order() -> None:
    text = "```attention\na b\n```\n\n!!! note\n    ```attention\n    a b\n    ```\n\n> ```attention\n> a b\n> ```\n"
    found = openings(text.split("\n"))
    assert [(f.start, f.quotes) for f in found["a b"]] == [(0, 0), (5, 0), (9, 1)]
    assert "c" not in found


HELD = """\
```attention
a
```

- item

    ```attention
    b
    ```

Text.

    ```attention
    c
    ```

> ```attention
> d
> ```

<!--
```attention
e
```
-->"""


def test_what_holds_a_fence() -> None:
    lines = HELD.split("\n")
    comments = in_comments(lines)
    assert {f.body: holder(lines, f, comments) for f in scan(lines, max_indent=None)} == {
        "a": "margin",
        "b": "block",
        "c": "code",
        "d": "quote",
        "e": "comment",
    }


def test_which_lines_start_inside_a_comment() -> None:
    """The last comment mark before a line decides, whether or not it is on the line before."""
    lines = ["a", "<!-- x", "b", "", "c --> <!-- d", "e -->", "f", "<!-- g --> h", "i"]
    assert in_comments(lines) == [False, False, True, True, True, True, False, False, False]
    assert in_comments([]) == []
