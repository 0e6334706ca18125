"""Each public package's `__all__` names exactly what it exports, and nothing private."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["grader", "grader.model", "grader.importers", "grader.judges"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_honest(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.__all__ names missing {symbol}"
        assert not symbol.startswith("_")
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and getattr(v, "__module__", "").startswith(name.split(".")[0])
        and not isinstance(v, type(importlib))
    }
    assert public <= exported, f"public but not in __all__: {sorted(public - exported)}"
