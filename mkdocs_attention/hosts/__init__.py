"""One thin module per host, each over ``convert.convert_fence``.

- ``markdown_extension``: the Python-Markdown extension (plain Markdown, Zensical, MkDocs);
- ``superfences``: the SuperFences custom-fence validator and formatter;
- ``page_context``: the context of one Markdown conversion, which both of those share;
- ``fence_scan``: finding ``attention`` fences in Markdown lines, and what holds each one;
- ``mkdocs_plugin``: the MkDocs plugin (assets, which page a conversion is, search);
- ``zensical_page``: which page a conversion is in Zensical, and the copied assets' check;
- ``sphinx_extension``: the Sphinx extension (directive, MyST fences, builders);
- ``jupyter_display``: ``show()`` for notebooks;
- ``notebook_cells``: fences in notebooks' Markdown cells, read from the notebook itself.
"""
