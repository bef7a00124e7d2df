"""``python -m mkdocs_attention assets DOCS_DIR``: see ``assets_command``."""

from .assets_command import main

raise SystemExit(main())
