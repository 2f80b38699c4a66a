"""Random ops: draws happen when a session runs the op, a new draw on every run, as in TF.

Seeds follow TF's get_seed: (graph seed, op seed), the op seed defaulting to the graph's op
count when only the graph seed is set. A seeded op gives the same sequence of draws in every
new session; an unseeded one differs from session to session. The streams
of RandomUniform, RandomStandardNormal, TruncatedNormal, RandomUniformInt, Multinomial and
RandomShuffle are TF's Philox (random_philox.py), so seeded ops give TF's values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import (
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
)
from varstore.framework.executor import RunContext
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.random_seed import get_seed
from varstore.ops.array_ops import shape_operand
from varstore.ops.math_ops import add
from varstore.ops.random_philox import PhiloxStream

__all__ = [
    "categorical",
    "multinomial",
    "random_normal",
    "random_shuffle",
    "random_uniform",
    "truncated_normal",
]

DType = _dtypes.DType
_RANDOM_FLOATS = ("float16", "float32", "float64")
_UNIFORM_ACCEPTED = "(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64)"


def _check_float(dt: DType) -> None:
    if dt.name not in _RANDOM_FLOATS:
        raise TypeError(f"Value passed to parameter 'dtype' has DataType {dt.name} not in list "
                        "of allowed values: float16, bfloat16, float32, float64")


def _random_node(graph: Any, op_type: str, shape_t: Tensor, dt: DType, seed: int | None,
                 extra_inputs: list[Tensor] | None = None, name: str | None = None) -> Tensor:
    seed1, seed2 = get_seed(seed)
    full = graph._op_name(name, op_type)
    out = constant_value_as_shape(shape_t)
    attrs = {"dtype": dt, "seed": seed1 or 0, "seed2": seed2 or 0, "T": shape_t._dtype}
    op = make_op(graph, full, op_type, [shape_t, *(extra_inputs or [])], attrs, [(dt, out)])
    return op._outputs[0]


def random_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dtypes.float32,
                  seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_normal``: op ``random_normal`` (AddV2 of RandomStandardNormal * stddev
    and mean)."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape, mean, stddev)
    full = graph._op_name(name, "random_normal")
    with scope_of(graph, full):
        s = shape_operand(shape, "shape")
        m = convert_to_tensor(mean, dtype=dt, name="mean")
        sd = convert_to_tensor(stddev, dtype=dt, name="stddev")
        _check_float(dt)
        rnd = _random_node(graph, "RandomStandardNormal", s, dt, seed)
        mul = rnd * sd
    return add(mul, m, name=full + "/")


def truncated_normal(shape: Any, mean: Any = 0.0, stddev: Any = 1.0, dtype: Any = _dtypes.float32,
                     seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.truncated_normal``: samples beyond two standard deviations are redrawn."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape, mean, stddev)
    full = graph._op_name(name, "truncated_normal")
    with scope_of(graph, full):
        s = shape_operand(shape, "shape")
        m = convert_to_tensor(mean, dtype=dt, name="mean")
        sd = convert_to_tensor(stddev, dtype=dt, name="stddev")
        _check_float(dt)
        rnd = _random_node(graph, "TruncatedNormal", s, dt, seed)
        mul = rnd * sd
    return add(mul, m, name=full + "/")


def random_uniform(shape: Any, minval: Any = 0, maxval: Any = None, dtype: Any = _dtypes.float32,
                   seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_uniform``. Op names as TF: for the default ``minval=0, maxval=1`` (Python
    ints) the raw ``random_uniform/RandomUniform``; for ``minval=0`` and another maxval
    ``random_uniform/mul``; otherwise ``random_uniform`` (AddV2 of RandomUniform * (max - min)
    and min); integer dtypes give ``random_uniform`` of type ``RandomUniformInt``."""
    dt = _dtypes.as_dtype(dtype)
    if dt.name not in ("float16", "float32", "float64", "int32", "int64"):
        raise ValueError(f"Argument `dtype` got invalid value {dt!r}. Accepted dtypes are "
                         f"{_UNIFORM_ACCEPTED}.")
    if maxval is None:
        if dt.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dt!r}")
        maxval = 1
    graph = check_same_graph(shape, minval, maxval)
    full = graph._op_name(name, "random_uniform")
    minval_is_zero = isinstance(minval, int) and not isinstance(minval, bool) and minval == 0
    maxval_is_one = isinstance(maxval, int) and not isinstance(maxval, bool) and maxval == 1
    with scope_of(graph, full):
        s = shape_operand(shape, "shape")
        lo = hi = None
        if not minval_is_zero or not maxval_is_one or dt.is_integer:
            lo = convert_to_tensor(minval, dtype=dt, name="min")
            hi = convert_to_tensor(maxval, dtype=dt, name="max")
        if dt.is_integer:
            assert lo is not None and hi is not None
            seed1, seed2 = get_seed(seed)
            attrs = {"Tout": dt, "seed": seed1 or 0, "seed2": seed2 or 0, "T": s._dtype}
            for what, bound in (("minval", lo), ("maxval", hi)):
                if bound._shape is not None and len(bound._shape) != 0:
                    # RandomUniformInt's shape function
                    shown = "[" + ",".join("?" if d is None else str(d)
                                           for d in bound._shape) + "]"
                    raise node_error(
                        f"{what} must be a scalar; got a tensor of shape {shown}", full,
                        "RandomUniformInt", f"T={dt_enum(s._dtype)}, Tout={dt_enum(dt)}, "
                        f"seed={seed1 or 0}, seed2={seed2 or 0}", [s, lo, hi])
            op = make_op(graph, full, "RandomUniformInt", [s, lo, hi], attrs,
                         [(dt, constant_value_as_shape(s))])
            return op._outputs[0]
        rnd = _random_node(graph, "RandomUniform", s, dt, seed)
        if minval_is_zero:
            if maxval_is_one:
                return rnd
            assert hi is not None
            return rnd * hi
        assert lo is not None and hi is not None
        scaled = rnd * (hi - lo)
    return add(scaled, lo, name=full + "/")


def random_shuffle(value: Any, seed: int | None = None, name: str | None = None) -> Tensor:
    graph = check_same_graph(value)
    full = graph._op_name(name, "RandomShuffle")
    with scope_of(graph, full):
        x = convert_to_tensor(value, name="value")
    seed1, seed2 = get_seed(seed)
    op = make_op(graph, full, "RandomShuffle", [x], {"T": x._dtype, "seed": seed1 or 0,
                                                     "seed2": seed2 or 0},
                 [(x._dtype, x._shape)])
    return op._outputs[0]


def multinomial(logits: Any, num_samples: Any, seed: int | None = None, name: str | None = None,
                output_dtype: Any = None) -> Tensor:
    """``tf.multinomial``: op Multinomial in scope ``multinomial``."""
    graph = check_same_graph(logits)
    with graph.name_scope(name or "multinomial"):
        return _multinomial_categorical(graph, logits, num_samples, output_dtype, seed)


def categorical(logits: Any, num_samples: Any, dtype: Any = None, seed: int | None = None,
                name: str | None = None) -> Tensor:
    """``tf.random.categorical``: op Multinomial in scope ``categorical``."""
    graph = check_same_graph(logits)
    with graph.name_scope(name or "categorical"):
        return _multinomial_categorical(graph, logits, num_samples, dtype, seed)


def _multinomial_categorical(graph: Any, logits: Any, num_samples: Any, dtype: Any,
                             seed: int | None) -> Tensor:
    lg = convert_to_tensor(logits, name="logits")
    dt = _dtypes.as_dtype(dtype) if dtype else _dtypes.int64
    if dt not in (_dtypes.int32, _dtypes.int64):
        raise ValueError(f"Argument `dtype` got invalid value {dt!r}. Accepted dtypes are "
                         "(tf.int32, tf.int64).")
    seed1, seed2 = get_seed(seed)
    full = graph._op_name(None, "Multinomial")
    with scope_of(graph, full):
        n = convert_to_tensor(num_samples, dtype=_dtypes.int32, name="num_samples")
    nv = constant_value(n)
    batch = lg._shape[0] if lg._shape is not None else None
    op = make_op(graph, full, "Multinomial", [lg, n], {"T": lg._dtype, "output_dtype": dt,
                                                       "seed": seed1 or 0,
                                                       "seed2": seed2 or 0},
                 [(dt, (batch, None if nv is None else int(nv)))])
    return op._outputs[0]


# -- kernels: one generator per (session, op), seeded from the op's seeds ------------------------
# Every kernel draws TF's own Philox streams (random_philox.py): a seeded op gives TF's values
# run for run.
def _seeds(op: Operation) -> tuple[int, int]:
    return int(op._attrs.get("seed", 0)), int(op._attrs.get("seed2", 0))


def _philox(op: Operation, ctx: RunContext) -> PhiloxStream:
    stream: PhiloxStream = ctx.op_state(op, lambda: PhiloxStream(*_seeds(op)))
    return stream


def _dims(s: np.ndarray) -> list[int]:
    dims = [int(d) for d in np.reshape(s, -1)]
    for d in dims:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    return dims


def _float_kernel(draw: Callable[[PhiloxStream, int, np.dtype], np.ndarray]
                  ) -> Callable[[Operation, RunContext], Callable[[Any], np.ndarray]]:
    def factory(op: Operation, ctx: RunContext) -> Callable[[Any], np.ndarray]:
        stream = _philox(op, ctx)
        dt = np.dtype(op._attrs["dtype"]._np)

        def kernel(s: Any) -> np.ndarray:
            dims = _dims(s)
            n = int(np.prod(dims, dtype=np.int64))
            return draw(stream, n, dt).astype(dt, copy=False).reshape(dims)

        return kernel

    return factory


register_kernel("RandomStandardNormal", stateful=True)(
    _float_kernel(lambda st, n, dt: st.normal(n, dt)))
register_kernel("TruncatedNormal", stateful=True)(
    _float_kernel(lambda st, n, dt: st.truncated_normal(n, dt)))
register_kernel("RandomUniform", stateful=True)(
    _float_kernel(lambda st, n, dt: st.uniform(n, dt)))


@register_kernel("RandomUniformInt", stateful=True)
def _uniform_int_kernel(op: Operation, ctx: RunContext) -> Callable[..., np.ndarray]:
    stream = _philox(op, ctx)
    dt = np.dtype(op._attrs["Tout"]._np)

    def kernel(s: Any, lo: Any, hi: Any) -> np.ndarray:
        dims = _dims(s)
        n = int(np.prod(dims, dtype=np.int64))
        # TF checks the bounds only when there is something to draw
        if n == 0:
            return np.zeros(dims, dt)
        if not lo < hi:
            raise ValueError(f"Need minval < maxval, got {lo} >= {hi}")
        return stream.uniform_int(n, int(lo), int(hi), dt).reshape(dims)

    return kernel


@register_kernel("RandomShuffle", stateful=True)
def _shuffle_kernel(op: Operation, ctx: RunContext) -> Callable[[Any], np.ndarray]:
    stream = _philox(op, ctx)

    def kernel(x: np.ndarray) -> np.ndarray:
        if x.ndim == 0 or x.size <= 1 or x.shape[0] <= 1:
            return np.array(x, copy=True)  # TF passes these through without drawing
        out: np.ndarray = x[stream.shuffle_permutation(x.shape[0])]
        return out

    return kernel


@register_kernel("Multinomial", stateful=True)
def _multinomial_kernel(op: Operation, ctx: RunContext) -> Callable[..., np.ndarray]:
    from varstore.ops.stateless_random_ops import _FLOAT_KERNELS, no_cpu_kernel

    no_cpu_kernel(op, _FLOAT_KERNELS)
    stream = _philox(op, ctx)
    dt = op._attrs["output_dtype"]._np

    def kernel(logits: np.ndarray, n: Any) -> np.ndarray:
        if logits.ndim != 2:
            raise ValueError(f"logits should be a matrix, got shape {list(logits.shape)}")
        if np.ndim(n) != 0:
            raise ValueError(f"num_samples should be a scalar, got shape {list(np.shape(n))}")
        if int(n) < 0:
            raise ValueError(f"num_samples should be non-negative, got {int(n)}")
        if logits.shape[1] == 0:
            raise ValueError("num_classes should be positive, got 0")
        if logits.shape[0] == 0 or int(n) == 0:
            return np.zeros((logits.shape[0], int(n)), dt)
        return stream.multinomial(logits, int(n)).astype(dt)

    return kernel


for _t in ("RandomStandardNormal", "TruncatedNormal", "RandomUniform", "RandomUniformInt",
           "RandomShuffle", "Multinomial"):
    NotDifferentiable(_t)


builders.register(globals(), __all__)
