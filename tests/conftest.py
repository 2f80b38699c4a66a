"""Every test starts from a fresh default graph (a new, empty variable store)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import varstore


@pytest.fixture(autouse=True)
def fresh_graph() -> Iterator[varstore.Graph]:
    varstore.reset_default_graph()
    yield varstore.get_default_graph()
    varstore.reset_default_graph()
