"""TF's rules for op and scope names, checked on every op and scope (answers cached)."""

from __future__ import annotations

from varstore import _core

_ROOT_PATTERN = r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$"
_SCOPE_PATTERN = r"^[A-Za-z0-9_.\\/>-]*$"
# How TF prints the compiled node-name regex in its error (backslashes doubled once more).
_ROOT_PATTERN_REPR = _ROOT_PATTERN.replace("\\", "\\\\")
_REGEX_CHARS = frozenset(".^$*+?{}[]\\|()")


# Name validity is checked on every op and scope: remember the answers for names seen.
_valid_root: dict[str, bool] = {}
_valid_scope: dict[str, bool] = {}
_CACHE_LIMIT = 100_000


def _is_valid_root(name: str) -> bool:
    ok = _valid_root.get(name)
    if ok is None:
        ok = bool(_core.store.is_valid_root_name(name))
        if len(_valid_root) < _CACHE_LIMIT:
            _valid_root[name] = ok
    return ok


def _is_valid_scope(name: str) -> bool:
    ok = _valid_scope.get(name)
    if ok is None:
        ok = bool(_core.store.is_valid_scope_name(name))
        if len(_valid_scope) < _CACHE_LIMIT:
            _valid_scope[name] = ok
    return ok


def _check_scope_name(name: str, nested: bool) -> None:
    """TF's name_scope validation: nested names may start with '_', '-', '/', '\\'."""
    if nested:
        if not _is_valid_scope(name):
            raise ValueError(
                f"'{name}' is not a valid scope name. A scope name has to match the following "
                f"pattern: {_SCOPE_PATTERN}"
            )
    elif not _is_valid_root(name):
        raise ValueError(
            f"'{name}' is not a valid root scope name. A root scope name has to match the "
            f"following pattern: {_ROOT_PATTERN}"
        )
