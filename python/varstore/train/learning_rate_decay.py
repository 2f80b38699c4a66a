"""TF1's learning-rate schedules (tf.train.exponential_decay & co; TF's
legacy_learning_rate_decay.py over keras' learning_rate_schedule): a tensor of the
current step, recomputed on every run.

``piecewise_constant`` selects its value with nested ``where`` ops rather than TF's
``tf.case`` (varstore lacks tf.case): the values are TF's, the op names under
``PiecewiseConstant/`` differ.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.ops import array_transform_ops, math_ops, math_unary_ops

__all__ = [
    "cosine_decay",
    "exponential_decay",
    "inverse_time_decay",
    "natural_exp_decay",
    "piecewise_constant",
    "polynomial_decay",
]


def _need_step(global_step: Any, fn: str) -> None:
    if global_step is None:
        raise ValueError(f"global_step is required for {fn}.")


def _cast(x: Any, dtype: Any) -> Any:
    t = convert_to_tensor(x)
    return t if t.dtype == dtype else math_unary_ops.cast(t, dtype)


def _decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
           staircase: bool, name: str | None, default: str, fn: str, rule: Any) -> Any:
    _need_step(global_step, fn)
    graph = get_default_graph()
    with graph.name_scope(name or default) as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dt = lr.dtype
        steps = _cast(decay_steps, dt)
        rate = _cast(decay_rate, dt)
        p = math_ops.truediv(_cast(global_step, dt), steps)
        if staircase:
            p = math_unary_ops.floor(p)
        return rule(lr, rate, p, scope)


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                      decay_rate: Any, staircase: bool = False, name: str | None = None
                      ) -> Any:
    """``learning_rate * decay_rate ^ (global_step / decay_steps)``."""
    return _decay(learning_rate, global_step, decay_steps, decay_rate, staircase, name,
                  "ExponentialDecay", "exponential_decay",
                  lambda lr, rate, p, scope: math_ops.multiply(lr, math_ops.pow(rate, p),
                                                               name=scope))


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                      decay_rate: Any, staircase: bool = False, name: str | None = None
                      ) -> Any:
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)``."""
    return _decay(learning_rate, global_step, decay_steps, decay_rate, staircase, name,
                  "NaturalExpDecay", "natural_exp_decay",
                  lambda lr, rate, p, scope: math_ops.multiply(
                      lr, math_unary_ops.exp(math_ops.multiply(math_unary_ops.negative(rate),
                                                               p)), name=scope))


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                       decay_rate: Any, staircase: bool = False, name: str | None = None
                       ) -> Any:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``."""
    return _decay(learning_rate, global_step, decay_steps, decay_rate, staircase, name,
                  "InverseTimeDecay", "inverse_time_decay",
                  lambda lr, rate, p, scope: math_ops.truediv(
                      lr, 1 + math_ops.multiply(rate, p), name=scope))


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                     end_learning_rate: Any = 0.0001, power: Any = 1.0, cycle: bool = False,
                     name: str | None = None) -> Any:
    """``(lr - end) * (1 - min(step, decay_steps) / decay_steps) ^ power + end`` (with
    ``cycle``, decay_steps grows to the next multiple past the step)."""
    _need_step(global_step, "polynomial_decay")
    graph = get_default_graph()
    with graph.name_scope(name or "PolynomialDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dt = lr.dtype
        end = _cast(end_learning_rate, dt)
        pw = _cast(power, dt)
        step = _cast(global_step, dt)
        steps = _cast(decay_steps, dt)
        if cycle:
            mult = array_transform_ops.where(
                math_ops.equal(step, 0), convert_to_tensor(1.0, dtype=dt),
                math_unary_ops.ceil(math_ops.truediv(step, steps)))
            steps = math_ops.multiply(steps, mult)
        else:
            step = math_ops.minimum(step, steps)
        p = math_ops.truediv(step, steps)
        return math_ops.add(math_ops.multiply(math_ops.subtract(lr, end),
                                              math_ops.pow(1 - p, pw)),
                            end, name=scope)


def cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, alpha: Any = 0.0,
                 name: str | None = None) -> Any:
    """``lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, steps) / steps)) + alpha)``."""
    _need_step(global_step, "cosine_decay")
    graph = get_default_graph()
    with graph.name_scope(name or "CosineDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dt = lr.dtype
        steps = _cast(decay_steps, dt)
        step = math_ops.minimum(_cast(global_step, dt), steps)
        frac = math_ops.truediv(step, steps)
        cosine = 0.5 * (1.0 + math_unary_ops.cos(
            math_ops.multiply(convert_to_tensor(math.pi, dtype=dt), frac)))
        a = _cast(alpha, dt)
        decayed = math_ops.add(math_ops.multiply(1.0 - a, cosine), a)
        return math_ops.multiply(lr, decayed, name=scope)


def piecewise_constant(x: Any, boundaries: Sequence[Any], values: Sequence[Any],
                       name: str | None = None) -> Any:
    """``values[0]`` while ``x <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < x <= boundaries[i]``, ``values[-1]`` past the last boundary."""
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of "
                         "values")
    graph = get_default_graph()
    with graph.name_scope(name or "PiecewiseConstant"):
        xt = convert_to_tensor(x)
        vals = [convert_to_tensor(v) for v in values]
        for v in vals[1:]:
            if v.dtype != vals[0].dtype:
                raise ValueError(f"Values must have elements all with the same dtype "
                                 f"({vals[0].dtype} vs {v.dtype}).")
        bounds = [_cast(b, xt.dtype) for b in boundaries]
        out = vals[-1]
        for b, v in zip(reversed(bounds), reversed(vals[:-1])):
            out = array_transform_ops.where(math_ops.less_equal(xt, b), v, out)
        return out
