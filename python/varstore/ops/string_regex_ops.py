"""TF's RE2 regex ops on Python's ``re``: ``tf.strings.regex_replace`` (StaticRegexReplace
when pattern and rewrite are Python strings, else RegexReplace) and
``tf.strings.regex_full_match`` (StaticRegexFullMatch / RegexFullMatch).

RE2 and ``re`` agree on the common syntax; where they differ the pattern is translated
(``$`` and ``\\z`` match only at the end of the text, POSIX classes like ``[[:alpha:]]``)
or refused with InvalidArgumentError naming the construct (what RE2 rejects: lookaround,
backreferences, atomic groups, possessive repeats, conditionals; what ``re`` lacks:
``\\p{...}`` classes, ``\\Q...\\E``, ``\\C``). Inputs are matched as UTF-8 text (``.`` is one
character, as in RE2; undecodable bytes pass through), classes like ``\\w`` are ASCII as in
RE2. A global replace skips an empty match at the end of the previous match (RE2's
GlobalReplace); a rewrite knows ``\\0``..``\\9`` and ``\\\\`` only."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.string_basic_ops import map_strings, typed_in

__all__ = ["regex_full_match", "regex_replace"]

_POSIX = {"alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ",
          "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z",
          "print": " -~", "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\v\\f\\r ",
          "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f"}
_REFUSED = [(re.compile(r"\(\?(=|!|<=|<!)"), "invalid perl operator: (?{0}"),
            (re.compile(r"\(\?>"), "invalid perl operator: (?>"),
            (re.compile(r"\(\?\("), "invalid perl operator: (?("),
            (re.compile(r"[*+?}]\+"), "bad repetition operator: {0}")]


def _text(s: bytes) -> str:
    return s.decode("utf-8", "surrogateescape")


def _bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


@functools.lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str]:
    """RE2's pattern as an ``re`` pattern; InvalidArgumentError (TF's message) when RE2
    would refuse it or ``re`` would read it differently."""
    def bad(error: str) -> InvalidArgumentError:
        return InvalidArgumentError(None, None, f"Invalid pattern: {pattern}, error: {error}")

    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    multiline = re.search(r"\(\?[a-zA-Z]*m", pattern) is not None
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            e = pattern[i + 1]
            if e.isdigit() and e != "0" and not in_class:
                raise bad(f"invalid escape sequence: \\{e}")
            if e in "pPQEC":
                raise bad(f"\\{e} is not supported by varstore's RE2 translation "
                          "(Python's re lacks it)")
            out.append("\\Z" if e == "z" and not in_class else pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2:end] if end > 0 else ""
                neg = name.startswith("^")
                if neg or name not in _POSIX:
                    raise bad(f"invalid character class range: [:{name}:]")
                out.append(_POSIX[name])
                i = end + 2
                continue
            if c == "]" and out and out[-1] not in ("[", "[^"):
                in_class = False
            elif c == "[":
                out.append("\\[")
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "$" and not multiline:
            out.append("\\Z")
            i += 1
            continue
        if c == "{" and pattern.startswith("{,", i):
            raise bad("{,n} repeats are read differently by RE2 and Python's re")
        out.append(c)
        i += 1
    translated = "".join(out)
    for rx, message in _REFUSED:
        m = rx.search(pattern)
        if m is not None:
            raise bad(message.format(m.group(1) if rx.groups else m.group(0)))
    try:
        return re.compile(translated, re.ASCII)
    except re.error as exc:
        raise bad(_re2_error(exc, pattern)) from None


def _re2_error(exc: re.error, pattern: str) -> str:
    """RE2's wording for the common syntax errors (``re``'s text otherwise)."""
    msg, pos = exc.msg, exc.pos or 0
    if msg.startswith("missing )"):
        return f"missing ): {pattern}"
    if msg.startswith("unbalanced parenthesis"):
        return f"unexpected ): {pattern}"
    if msg.startswith("unterminated character set"):
        return f"missing ]: {pattern[pos:]}"
    if msg.startswith(("nothing to repeat", "multiple repeat")):
        return f"missing argument to repetition operator: {pattern[pos:pos + 1]}"
    if msg.startswith("bad escape"):
        return f"invalid escape sequence: {pattern[pos:pos + 2]}"
    return msg


def _rewrite_parts(rewrite: str) -> list[str | int]:
    """RE2's rewrite: \\0..\\9 are groups, \\\\ a backslash; at any other escape RE2 stops
    (it logs "invalid rewrite pattern" and keeps what it had)."""
    parts: list[str | int] = []
    i = 0
    while i < len(rewrite):
        c = rewrite[i]
        if c == "\\":
            e = rewrite[i + 1] if i + 1 < len(rewrite) else ""
            if e.isdigit():
                parts.append(int(e))
            elif e == "\\":
                parts.append("\\")
            else:
                break
            i += 2
            continue
        parts.append(c)
        i += 1
    return parts


def _replace(rx: re.Pattern[str], parts: list[str | int], text: str, glob: bool) -> str | None:
    """RE2's Replace / GlobalReplace; None: no match (the input stays as it was)."""
    def expand(m: re.Match[str]) -> str:
        return "".join(p if isinstance(p, str) else (m.group(p) or "") for p in parts)

    if not glob:
        m = rx.search(text)
        return None if m is None else text[:m.start()] + expand(m) + text[m.end():]
    out: list[str] = []
    p, last_end, count, end = 0, -1, 0, len(text)
    while p <= end:
        m = rx.search(text, p)
        if m is None:
            break
        s, e = m.span()
        if p < s:
            out.append(text[p:s])
        if s == e and s == last_end:
            # RE2 disallows an empty match at the end of the last one: one character on
            if p < end:
                out.append(text[p])
            p += 1
            continue
        out.append(expand(m))
        p = last_end = e
        count += 1
    if count == 0:
        return None
    if p < end:
        out.append(text[p:])
    return "".join(out)


def _as_str(v: Any) -> str:
    return v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else str(v)


def regex_replace(input: Any, pattern: Any, rewrite: Any, replace_global: bool = True,
                  name: str | None = None) -> Tensor:
    """``tf.strings.regex_replace``: StaticRegexReplace for Python pattern and rewrite
    (compiled once), else RegexReplace with them as string inputs."""
    static = isinstance(pattern, (str, bytes)) and isinstance(rewrite, (str, bytes))
    op_type = "StaticRegexReplace" if static else "RegexReplace"
    graph = check_same_graph(input, pattern, rewrite)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        t = typed_in(input, "input", op_type)
        if static:
            ins = [t]
            attrs: dict[str, Any] = {"pattern": _as_str(pattern), "rewrite": _as_str(rewrite),
                                     "replace_global": bool(replace_global)}
        else:
            ins = [t, typed_in(pattern, "pattern", op_type),
                   typed_in(rewrite, "rewrite", op_type)]
            attrs = {"replace_global": bool(replace_global)}
    return make_op(graph, full, op_type, ins, attrs,
                   [(_dtypes.string, t._shape)])._outputs[0]


def _replace_all(x: np.ndarray, pattern: str, rewrite: str, glob: bool) -> np.ndarray:
    rx = _compile(pattern)
    parts = _rewrite_parts(rewrite)
    if any(isinstance(p, int) and p > rx.groups for p in parts):
        return np.asarray(x)  # RE2 refuses the rewrite: every input unchanged

    def one(s: bytes) -> bytes:
        r = _replace(rx, parts, _text(s), glob)
        return s if r is None else _bytes(r)
    return map_strings(x, one)


@register_kernel("StaticRegexReplace")
def _static_replace_kernel(op: Operation) -> Callable[..., Any]:
    a = op._attrs
    return lambda x: _replace_all(x, a["pattern"], a["rewrite"], a["replace_global"])


@register_kernel("RegexReplace")
def _replace_kernel(op: Operation) -> Callable[..., Any]:
    glob = op._attrs["replace_global"]

    def kernel(x: np.ndarray, pattern: np.ndarray, rewrite: np.ndarray) -> np.ndarray:
        if np.ndim(pattern) or np.ndim(rewrite):
            raise InvalidArgumentError(None, None, "Pattern must be scalar, but received "
                                       f"{list(np.shape(pattern))}" if np.ndim(pattern) else
                                       "Rewrite must be scalar, but received "
                                       f"{list(np.shape(rewrite))}")
        return _replace_all(x, _as_str(np.asarray(pattern).item()),
                            _as_str(np.asarray(rewrite).item()), glob)
    return kernel


def regex_full_match(input: Any, pattern: Any, name: str | None = None) -> Tensor:
    """``tf.strings.regex_full_match``: bool, whether each string matches pattern whole."""
    static = isinstance(pattern, (str, bytes))
    op_type = "StaticRegexFullMatch" if static else "RegexFullMatch"
    graph = check_same_graph(input, pattern)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        t = typed_in(input, "input", op_type)
        ins = [t] if static else [t, typed_in(pattern, "pattern", op_type)]
    attrs = {"pattern": _as_str(pattern)} if static else {}
    return make_op(graph, full, op_type, ins, attrs, [(_dtypes.bool, t._shape)])._outputs[0]


def _full_match_all(x: np.ndarray, pattern: str) -> np.ndarray:
    rx = _compile(pattern)
    return map_strings(x, lambda s: rx.fullmatch(_text(s)) is not None, np.bool_)


@register_kernel("StaticRegexFullMatch")
def _static_full_match_kernel(op: Operation) -> Callable[..., Any]:
    pattern = op._attrs["pattern"]
    return lambda x: _full_match_all(x, pattern)


@register_kernel("RegexFullMatch")
def _full_match_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, pattern: np.ndarray) -> np.ndarray:
        if np.ndim(pattern):
            raise InvalidArgumentError(None, None, "Pattern must be scalar, but received "
                                       f"{list(np.shape(pattern))}")
        return _full_match_all(x, _as_str(np.asarray(pattern).item()))
    return kernel


for _t in ("StaticRegexReplace", "RegexReplace", "StaticRegexFullMatch", "RegexFullMatch"):
    NotDifferentiable(_t)

builders.register(globals(), __all__)
