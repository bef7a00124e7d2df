"""One thin module per host, each over ``convert.convert_fence``.

- ``markdown_extension``: the Python-Markdown extension (plain Markdown, Zensical, MkDocs) and
  the per-conversion page context every Markdown route shares;
- ``superfences``: the SuperFences custom-fence validator and formatter;
- ``mkdocs_plugin``: the MkDocs plugin (assets, page paths, search).
"""
