"""The one exception type for bad input.

Everything the spec, the sources and the files can get wrong raises ``AttentionError``;
the Markdown and MkDocs glue turn it into a located warning and an ``attn-error`` box.
"""

from __future__ import annotations


class AttentionError(ValueError):
    """A problem with an ``attention`` fence, phrased for the author who wrote it.

    ``line`` is an offset (0-based) inside the fence body when the problem is tied to one
    body line (YAML errors); the glue adds the fence's own line in the page.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message
