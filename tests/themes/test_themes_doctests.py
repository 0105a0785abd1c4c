"""The examples in the theme modules' docstrings run, so the docs cannot drift."""

import doctest
import importlib

import pytest

MODULES = ["themes.text", "themes.patterns", "themes.framework", "themes.emerging"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
