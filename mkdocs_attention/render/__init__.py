"""Attention → HTML: static SVG, compact payload, fallback table."""

from .figure import render_error, render_figure

__all__ = ["render_error", "render_figure"]
