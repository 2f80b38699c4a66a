"""TF's util/deprecation.py helpers that change behaviour (the warnings themselves are
varstore's callers' business)."""

from __future__ import annotations

from typing import Any

__all__ = ["deprecated_argument_lookup"]


def deprecated_argument_lookup(new_name: str, new_value: Any, old_name: str,
                               old_value: Any) -> Any:
    """The value given under the renamed argument's new or old name; both is an error."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value
