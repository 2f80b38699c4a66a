"""Assertions (TF's ops/check_ops.py and control_flow_assert.py): ``tf.Assert`` and the
``tf.assert_*`` / ``tf.debugging.assert_*`` family.

When both sides are constants TF decides at build time: a failing check raises
InvalidArgumentError there, a passing one returns a no-op. Otherwise an ``Assert`` op checks
when run and raises InvalidArgumentError with TF's message (``assertion failed: [msg]
[Condition x == y did not hold element-wise:] [x (x:0) = ] [1 2] ...``). TF 2.21 wraps the
Assert in a cond v2 guard (``.../Assert/AssertGuard``); varstore's op is the plain TF1
``Assert`` under ``<name>/Assert``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.ops import NotDifferentiable, Operation, Tensor, make_op, register_kernel
from varstore.ops import math_ops
from varstore.ops.control_flow_ops import no_op
from varstore.ops.math_reduce_ops import reduce_all

__all__ = [
    "Assert",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_rank",
    "assert_rank_at_least",
    "assert_type",
]


def _fmt(value: Any, summarize: int | None) -> str:
    """A tensor's values as TF's Assert prints them: ``[1 2 3...]``."""
    a = np.asarray(value)
    if a.dtype.kind in "SO":
        items = [v.decode() if isinstance(v, bytes) else str(v) for v in a.reshape(-1)]
        if a.ndim == 0:
            return items[0]
    else:
        items = [f"{v:g}" if isinstance(v, float) else str(v) for v in a.reshape(-1).tolist()]
        if a.ndim == 0:
            return items[0]
    n = 3 if summarize is None else summarize
    shown = items if n < 0 or len(items) <= n else [*items[:n], "..."]
    return "[" + " ".join(shown).replace(" ...", "...") + "]"


def Assert(condition: Any, data: Sequence[Any], summarize: int | None = None,
           name: str | None = None) -> Operation:
    """An op that raises InvalidArgumentError when run with ``condition`` false, the message
    made of ``data`` (strings and tensors)."""
    with name_scope(name, "Assert", [condition, *list(data)]) as scope:
        cond = convert_to_tensor(condition, name="Condition")
        if cond.dtype != _dtypes.bool:
            raise TypeError(f"Condition must be a boolean tensor, got {cond.dtype.name}")
        ts = [convert_to_tensor(d) for d in data]
        del scope
        graph = get_default_graph()
        return make_op(graph, graph._op_name("Assert", "Assert"), "Assert", [cond, *ts],
                       {"summarize": 3 if summarize is None else summarize,
                        "T": [t.dtype for t in ts]}, [])


@register_kernel("Assert", stateful=True)
def _assert_kernel(op: Operation) -> Callable[..., Any]:
    summarize = op._attrs["summarize"]

    def kernel(cond: Any, *data: Any) -> None:
        if not bool(np.all(cond)):
            # strings and scalars in brackets; arrays print their own: [1 2]
            body = " ".join(_fmt(d, summarize) if np.ndim(d) else f"[{_fmt(d, summarize)}]"
                            for d in data)
            raise InvalidArgumentError(None, op, f"assertion failed: {body}")

    return kernel


NotDifferentiable("Assert")


def _static(t: Tensor) -> np.ndarray | None:
    return constant_value(t)


def _binary(default: str, fn: Callable[[Any, Any], Any], np_fn: Callable[[Any, Any], Any],
            symbol: str) -> Callable[..., Any]:
    def check(x: Any, y: Any, data: Any = None, summarize: int | None = None,
              message: str | None = None, name: str | None = None) -> Any:
        with name_scope(name, default, [x, y, data]):
            xt = convert_to_tensor(x, name="x")
            yt = convert_to_tensor(y, name="y", dtype=xt.dtype)
            cond_text = f"Condition x {symbol} y did not hold element-wise:"
            xv, yv = _static(xt), _static(yt)
            if xv is not None and yv is not None:
                if not bool(np.all(np_fn(xv, yv))):
                    parts = [message] if message else []
                    parts += [cond_text, f"x ({xt.name}) = ", str(xv), f"y ({yt.name}) = ",
                              str(yv)]
                    raise InvalidArgumentError(None, None, "\n".join(parts))
                return no_op(name="statically_determined_true")
            if data is None:
                data = [message] if message else []
                data = [*data, cond_text, f"x ({xt.name}) = ", xt, f"y ({yt.name}) = ", yt]
            elif message:
                data = [message, *data]
            condition = reduce_all(fn(xt, yt))
            return Assert(condition, data, summarize=summarize)
    check.__name__ = check.__qualname__ = default
    check.__doc__ = f"``tf.{default}``: x {symbol} y element-wise, or InvalidArgumentError."
    return check


assert_equal = _binary("assert_equal", math_ops.equal, np.equal, "==")
assert_none_equal = _binary("assert_none_equal", math_ops.not_equal, np.not_equal, "!=")
assert_less = _binary("assert_less", math_ops.less, np.less, "<")
assert_less_equal = _binary("assert_less_equal", math_ops.less_equal, np.less_equal, "<=")
assert_greater = _binary("assert_greater", math_ops.greater, np.greater, ">")
assert_greater_equal = _binary("assert_greater_equal", math_ops.greater_equal,
                               np.greater_equal, ">=")


def _sign(default: str, inner: Callable[..., Any], zero_first: bool, text: str
          ) -> Callable[..., Any]:
    def check(x: Any, data: Any = None, summarize: int | None = None,
              message: str | None = None, name: str | None = None) -> Any:
        # TF's _message_prefix: a message gets ".  " appended; none leads as '' (printed []).
        prefix = f"{message}.  " if message else ""
        with name_scope(name, default, [x, data]):
            xt = convert_to_tensor(x, name="x")
            if data is None:
                cond_text = f"Condition x {text} did not hold element-wise:"
                x_text = f"x ({xt.name}) = "
                # TF's assert_non_positive lacks a comma there: the two strings are one item
                data = ([prefix, cond_text + x_text, xt] if text == "<= 0" else
                        [prefix, cond_text, x_text, xt])
            # TF converts the zero in this scope (``<default>/Const``), not the inner one's
            zero = convert_to_tensor(np.zeros((), xt.dtype.as_numpy_dtype))
            a, b = (zero, xt) if zero_first else (xt, zero)
            return inner(a, b, data=data, summarize=summarize)
    check.__name__ = check.__qualname__ = default
    return check


assert_positive = _sign("assert_positive", assert_less, True, "> 0")
assert_non_negative = _sign("assert_non_negative", assert_less_equal, True, ">= 0")
assert_negative = _sign("assert_negative", assert_less, False, "< 0")
assert_non_positive = _sign("assert_non_positive", assert_less_equal, False, "<= 0")


def assert_rank(x: Any, rank: int, data: Any = None, summarize: int | None = None,
                message: str | None = None, name: str | None = None) -> Any:
    """Static rank check (ValueError, as TF); an unknown rank is checked when run."""
    with name_scope(name, "assert_rank", [x, rank]):
        xt = convert_to_tensor(x)
        nd = xt.get_shape().ndims
        if nd is not None:
            if nd != int(rank):
                prefix = f"{message}.  " if message else ""
                raise ValueError(f"{prefix}Tensor {xt.name} must have rank {int(rank)}.  "
                                 f"Received rank {nd}, shape {xt.get_shape()}")
            return no_op(name="static_checks_determined_all_ok")
        from varstore.ops.array_ops import rank as _rank
        cond = math_ops.equal(_rank(xt), int(rank))
        msg = data if data is not None else [message or "", f"Tensor {xt.name} must have rank",
                                             int(rank), "Received shape: ", xt]
        return Assert(cond, msg, summarize=summarize)


def assert_rank_at_least(x: Any, rank: int, data: Any = None, summarize: int | None = None,
                         message: str | None = None, name: str | None = None) -> Any:
    with name_scope(name, "assert_rank_at_least", [x, rank]):
        xt = convert_to_tensor(x)
        nd = xt.get_shape().ndims
        if nd is not None:
            if nd < int(rank):
                prefix = f"{message}.  " if message else ""
                raise ValueError(f"{prefix}Tensor {xt.name} must have rank at least "
                                 f"{int(rank)}.  Received rank {nd}, shape {xt.get_shape()}")
            return no_op(name="static_checks_determined_all_ok")
        from varstore.ops.array_ops import rank as _rank
        cond = math_ops.greater_equal(_rank(xt), int(rank))
        return Assert(cond, data if data is not None else [message or "", xt.name],
                      summarize=summarize)


def assert_type(tensor: Any, tf_type: Any, message: str | None = None,
                name: str | None = None) -> Any:
    """TypeError when ``tensor`` is not of ``tf_type`` (decided at build time, as TF)."""
    tf_type = _dtypes.as_dtype(tf_type)
    with name_scope(name, "assert_type", [tensor]):
        t = convert_to_tensor(tensor)
        if t.dtype.base_dtype != tf_type.base_dtype:
            prefix = f"{message}" if message else ""
            raise TypeError(f"{prefix}{t.name} must be of type {tf_type!r}; got {t.dtype!r}")
        return no_op(name="statically_determined_correct_type")
