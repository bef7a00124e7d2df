"""``python -m mkdocs_attention …``: the ``mkdocs-attention`` command (``cli``)."""

from .cli import main

raise SystemExit(main())
