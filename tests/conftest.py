"""Shared by every test."""

import importlib.util

#: ``make_app`` and friends for the Sphinx host's tests, when Sphinx is installed.
pytest_plugins = ["sphinx.testing.fixtures"] if importlib.util.find_spec("sphinx") else []
