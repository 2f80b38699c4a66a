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

from varstore import dtypes as _dtypes
from varstore import nest
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.ops import (
    array_transform_ops,
    control_flow_case,
    control_flow_ops,
    math_ops,
    math_unary_ops,
    random_ops,
)

__all__ = [
    "cosine_decay",
    "cosine_decay_restarts",
    "exponential_decay",
    "inverse_time_decay",
    "linear_cosine_decay",
    "natural_exp_decay",
    "noisy_linear_cosine_decay",
    "piecewise_constant",
    "polynomial_decay",
]


def _need_step(global_step: Any, fn: str) -> None:
    # TF 2.21 converts the step without a check of its own (TF 1.x said "global_step is
    # required for <fn>."), so a None step fails as any None tensor does.
    if global_step is None:
        raise ValueError("None values not supported.")


def _cast(x: Any, dtype: Any) -> Any:
    # TF's schedules call math_ops.cast on the Python value or the variable: converted inside
    # the Cast scope (Cast/x, Cast_2/ReadVariableOp), no Cast op when the dtype already fits
    return math_unary_ops.cast(x, dtype)


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
    _need_step(global_step, "natural_exp_decay")
    # TF builds exp(-decay_rate) in the caller's scope, then an ExponentialDecay of it
    natural_exp_rate = math_unary_ops.exp(math_unary_ops.negative(decay_rate))
    return _decay(learning_rate, global_step, decay_steps, natural_exp_rate, staircase, name,
                  "ExponentialDecay", "natural_exp_decay",
                  lambda lr, rate, p, scope: math_ops.multiply(lr, math_ops.pow(rate, p),
                                                               name=scope))


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
        # TF's operators on the Python alpha (mul, mul_1, mul_2/x, add_1/y), then Mul_3
        cosine = 0.5 * (1.0 + math_unary_ops.cos(convert_to_tensor(math.pi) * frac))
        decayed = (1 - alpha) * cosine + alpha
        # TF's schedule leaves this multiply unnamed (CosineDecay/Mul_3), unlike the others
        del scope
        return math_ops.multiply(lr, decayed)


def piecewise_constant(x: Any, boundaries: Sequence[Any], values: Sequence[Any],
                       name: str | None = None) -> Any:
    """``values[0]`` while ``x <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < x <= boundaries[i]``, ``values[-1]`` past the last boundary.

    Built as TF 2.21's: boundaries, values and ``x`` converted (int32 boundaries cast to an
    int64 ``x``) before the scope, then PiecewiseConstantDecay's exclusive ``tf.case`` in
    ``PiecewiseConstant`` (result ``PiecewiseConstant/case/cond/Identity``)."""
    bounds = [convert_to_tensor(b) for b in nest.flatten(boundaries)]
    vals = [convert_to_tensor(v) for v in nest.flatten(values)]
    xt = convert_to_tensor(x)
    for i, b in enumerate(bounds):
        if b.dtype.base_dtype != xt.dtype.base_dtype:
            # TF widens int32 boundaries to an int64 x and refuses any other mismatch
            if b.dtype.base_dtype == _dtypes.int32 and xt.dtype.base_dtype == _dtypes.int64:
                bounds[i] = math_unary_ops.cast(b, xt.dtype.base_dtype)
            else:
                raise ValueError(f"Boundaries ({b.dtype.base_dtype}) must have the same dtype "
                                 f"as x ({xt.dtype.base_dtype}).")
    for v in vals[1:]:
        if v.dtype.base_dtype != vals[0].dtype.base_dtype:
            raise ValueError(f"Values must have elements all with the same dtype "
                             f"({vals[0].dtype.base_dtype} vs {v.dtype.base_dtype}).")
    if len(bounds) != len(vals) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of "
                         "values")
    with get_default_graph().name_scope(name or "PiecewiseConstant"):
        step = convert_to_tensor(x)  # the schedule reads a variable step again, as TF's
        # TF's operators (ops LessEqual, Greater, and)
        pairs: list[tuple[Any, Any]] = [(step <= bounds[0], lambda: vals[0]),
                                        (step > bounds[-1], lambda: vals[-1])]
        for low, high, v in zip(bounds[:-1], bounds[1:], vals[1:-1]):
            pairs.append(((step > low) & (step <= high), lambda v=v: v))
        return control_flow_case.case(pairs, lambda: vals[0], exclusive=True)


def cosine_decay_restarts(learning_rate: Any, global_step: Any, first_decay_steps: Any,
                          t_mul: Any = 2.0, m_mul: Any = 1.0, alpha: Any = 0.0,
                          name: str | None = None) -> Any:
    """SGDR: cosine decay restarted every period, periods growing by ``t_mul`` and the
    peak shrinking by ``m_mul`` (TF's tf.cond on t_mul == 1 picks the arithmetic form)."""
    _need_step(global_step, "cosine_decay_restarts")
    graph = get_default_graph()
    with graph.name_scope(name or "SGDRDecay") as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dt = lr.dtype
        first = _cast(first_decay_steps, dt)
        a = _cast(alpha, dt)
        tm = _cast(t_mul, dt)
        mm = _cast(m_mul, dt)
        fraction = _cast(global_step, dt) / first

        def compute(geometric: bool) -> Any:
            if geometric:
                i_restart = math_unary_ops.floor(
                    math_unary_ops.log(1.0 - fraction * (1.0 - tm)) / math_unary_ops.log(tm))
                sum_r = (1.0 - tm ** i_restart) / (1.0 - tm)
                return i_restart, (fraction - sum_r) / tm ** i_restart
            i_restart = math_unary_ops.floor(fraction)
            return i_restart, fraction - i_restart

        i_restart, done = control_flow_ops.cond(math_ops.equal(tm, 1.0),
                                                lambda: compute(False), lambda: compute(True))
        m_fac = mm ** i_restart
        cosine = 0.5 * m_fac * (1.0 + math_unary_ops.cos(
            convert_to_tensor(math.pi, dtype=dt) * done))
        decayed = (1 - a) * cosine + a
        return math_ops.multiply(lr, decayed, name=scope)


def _linear_cosine(learning_rate: Any, global_step: Any, decay_steps: Any, num_periods: Any,
                   alpha: Any, beta: Any, scope_name: str,
                   noise: tuple[Any, Any] | None) -> Any:
    graph = get_default_graph()
    with graph.name_scope(scope_name) as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dt = lr.dtype
        steps = _cast(decay_steps, dt)
        if noise is not None:
            initial_variance, variance_decay = (_cast(v, dt) for v in noise)
        periods = _cast(num_periods, dt)
        a = _cast(alpha, dt)
        b = _cast(beta, dt)
        step = math_ops.minimum(_cast(global_step, dt), steps)
        linear = (steps - step) / steps
        if noise is not None:
            std = math_unary_ops.sqrt(initial_variance / math_ops.pow(1.0 + step,
                                                                      variance_decay))
            linear = linear + random_ops.random_normal(linear.shape, stddev=std)
        fraction = 2.0 * periods * (step / steps)
        cosine = 0.5 * (1.0 + math_unary_ops.cos(
            convert_to_tensor(math.pi, dtype=dt) * fraction))
        return math_ops.multiply(lr, (a + linear) * cosine + b, name=scope)


def linear_cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                        num_periods: Any = 0.5, alpha: Any = 0.0, beta: Any = 0.001,
                        name: str | None = None) -> Any:
    """``lr * ((alpha + linear) * cosine + beta)``, linear falling from 1 to 0."""
    _need_step(global_step, "linear_cosine_decay")
    return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta,
                          name or "LinearCosineDecay", None)


def noisy_linear_cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                              initial_variance: Any = 1.0, variance_decay: Any = 0.55,
                              num_periods: Any = 0.5, alpha: Any = 0.0, beta: Any = 0.001,
                              name: str | None = None) -> Any:
    """linear_cosine_decay with Gaussian noise on the linear part, its variance
    ``initial_variance / (1 + step) ** variance_decay`` (a random_normal drawn each run)."""
    _need_step(global_step, "noisy_linear_cosine_decay")
    return _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta,
                          name or "NoisyLinearCosineDecay", (initial_variance, variance_decay))
