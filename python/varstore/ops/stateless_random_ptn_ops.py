"""``tf.random.stateless_parameterized_truncated_normal``: StatelessParameterizedTruncatedNormal,
a port of TF's CPU kernel (core/kernels/parameterized_truncated_normal_op.cc,
TruncatedNormalFunctorV2) bit for bit.

The means, stddevs, minvals and maxvals broadcast to a batch; ``shape`` ends with it, and
output element ``sample * num_batches + batch`` is drawn batch by batch from the seed's Philox
stream, each batch member by one of TF's three rejection samplers (normal draws between wide
bounds, uniform proposals between narrow ones, an exponential proposal beyond a far bound), in
the parameters' dtype. TF splits outputs of more than about a thousand elements across its
intra-op threads, each shard restarting the stream 2000 blocks an element before it
(work_sharder.py), so those values depend on the thread count, as TF's do. The gradient is
TF's implicit reparameterization (random_grad.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.errors import InternalError, InvalidArgumentError
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, typed_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import shape_str
from varstore.ops.array_fill_ops import ones_like
from varstore.ops.array_ops import reshape, size
from varstore.ops.array_ops import shape as array_shape
from varstore.ops.array_slicing_ops import broadcast_gradient_args
from varstore.ops.array_sort_ops import broadcast_dynamic_shape
from varstore.ops.array_transform_ops import where
from varstore.ops.math_reduce_ops import clip_by_value, reduce_sum
from varstore.ops.math_sequence_ops import range as math_range
from varstore.ops.math_special_ops import erfc
from varstore.ops.math_unary_ops import abs as math_abs
from varstore.ops.math_unary_ops import erf, exp, log, log1p
from varstore.ops.random_philox import PhiloxStream
from varstore.ops.stateless_random_extra_ops import sample_layout
from varstore.ops.stateless_random_ops import (
    _check_seed_shape,
    _key_counter,
    _seed_arg,
    _shape,
    shape_of,
)
from varstore.ops.work_sharder import shards

__all__ = ["stateless_parameterized_truncated_normal"]

_OP = "StatelessParameterizedTruncatedNormal"
_MAX_ITERATIONS = 1000  # kMaxIterations
# TruncatedNormalFunctorV2's cost per output for Shard, from Eigen's op costs (TF's x86 build:
# AVX, no FMA): batchInitCost + 2 * uniformRejectionSamplingCost
_BATCH_COST = {"float16": 214, "float32": 187, "float64": 258}


def _broadcast_static(full: str, attrs: dict[str, Any], inputs: list[Tensor]) -> None:
    """The shape function's BroadcastBinaryOpOutputShapeFnHelper chain: means with stddevs,
    then minvals, then maxvals, each new operand the left one."""
    text = ", ".join(f"{k}={dt_enum(v)}" for k, v in sorted(attrs.items()))
    acc = inputs[2]._shape
    for t in inputs[3:]:
        x, y = (t._shape, acc) if t is not inputs[3] else (acc, t._shape)
        if x is None or y is None:
            acc = None
            continue
        n = max(len(x), len(y))
        xs = (1,) * (n - len(x)) + tuple(x)
        ys = (1,) * (n - len(y)) + tuple(y)
        dims: list[int | None] = []
        for a, b in zip(xs, ys):
            if a is not None and b is not None and a != b and 1 not in (a, b):
                raise node_error(f"Dimensions must be equal, but are {a} and {b}", full, _OP,
                                 text, inputs)
            dims.append(b if a == 1 else a if b == 1 else a if a is not None else b)
        acc = tuple(dims)


def stateless_parameterized_truncated_normal(shape: Any, seed: Any, means: Any = 0.0,
                                             stddevs: Any = 1.0, minvals: Any = -2.0,
                                             maxvals: Any = 2.0,
                                             name: str | None = None) -> Tensor:
    """``tf.random.stateless_parameterized_truncated_normal``: normal values of the broadcast
    means and stddevs, redrawn until they fall in [minvals, maxvals], from one
    StatelessParameterizedTruncatedNormal op in scope
    ``stateless_parameterized_truncated_normal``."""
    graph = check_same_graph(shape, seed, means, stddevs, minvals, maxvals)
    with graph.name_scope(name or "stateless_parameterized_truncated_normal"):
        s = _shape(shape)
        params = [convert_to_tensor(v, name=n) for v, n in
                  ((means, "means"), (stddevs, "stddevs"), (minvals, "minvals"),
                   (maxvals, "maxvals"))]
        full = graph._op_name(None, _OP)
        with scope_of(graph, full):
            sd = _seed_arg(seed)
            dt = params[0]._dtype
            check_allowed(dt, "float16, float32, float64", "means")
            params[1:] = [typed_input(p, dt, _OP, n, "means")
                          for p, n in zip(params[1:], ("stddevs", "minvals", "maxvals"))]
        attrs = {"S": s._dtype, "Tseed": sd._dtype, "dtype": dt}
        inputs = [s, sd, *params]
        _check_seed_shape(full, _OP, attrs, inputs)
        _broadcast_static(full, attrs, inputs)
        return make_op(graph, full, _OP, inputs, attrs, [(dt, shape_of(s))])._outputs[0]


# -- the kernel: TF's arithmetic in the dtype T (numpy scalars), its libm calls rounded --------
class _Draws:
    """TF's Uniform and Normal distributions over one Philox stream from ``start`` on, a
    block a call: 4 floats or halves, or 2 doubles."""

    __slots__ = ("_counter", "_pending", "_stream", "_t")

    def __init__(self, stream: PhiloxStream, start: int, t: type) -> None:
        self._stream, self._t = stream, t
        self._counter = start % (1 << 128)
        self._pending: list[list[int]] = []

    def _block(self) -> list[int]:
        if not self._pending:
            offs = np.arange(16, dtype=np.uint64)
            self._pending = self._stream._blocks(self._counter, offs).tolist()[::-1]
            self._counter = (self._counter + 16) % (1 << 128)
        return self._pending.pop()

    def uniform(self) -> list[Any]:
        w, t = self._block(), self._t
        if t is np.float64:
            return [t((((w[0] & 0xFFFFF) << 32) | w[1]) * 2.0 ** -52),
                    t((((w[2] & 0xFFFFF) << 32) | w[3]) * 2.0 ** -52)]
        if t is np.float16:
            # Uint16ToHalf: the low 10 bits as the mantissa of a half in [1, 2), less 1
            return [t(np.uint16((x & 0x3FF) | 0x3C00).view(np.float16) - np.float16(1))
                    for x in w]
        return [np.float32(np.uint32((x & 0x7FFFFF) | 0x3F800000).view(np.float32))
                - np.float32(1) for x in w]

    def normal(self) -> list[Any]:
        w, t = self._block(), self._t
        if t is np.float64:
            u1 = max((((w[0] & 0xFFFFF) << 32) | w[1]) * 2.0 ** -52, 1.0e-7)
            v1 = 2 * math.pi * ((((w[2] & 0xFFFFF) << 32) | w[3]) * 2.0 ** -52)
            u2 = math.sqrt(-2.0 * math.log(u1))
            return [t(math.sin(v1) * u2), t(math.cos(v1) * u2)]
        out: list[Any] = []
        for x0, x1 in ((w[0], w[1]), (w[2], w[3])):
            # BoxMullerFloat: v1 = 2.0f * M_PI * u is a double product rounded to float
            u1 = np.float32(np.uint32((x0 & 0x7FFFFF) | 0x3F800000).view(np.float32)) - 1
            u1 = max(np.float32(u1), np.float32(1.0e-7))
            u = np.float32(np.uint32((x1 & 0x7FFFFF) | 0x3F800000).view(np.float32)) - 1
            v1 = float(np.float32(2.0 * math.pi * float(u)))
            u2 = np.sqrt(np.float32(-2.0) * np.float32(_FLOAT_LIBM["log"](float(u1))))
            f0 = np.float32(_FLOAT_LIBM["sin"](v1)) * u2
            f1 = np.float32(_FLOAT_LIBM["cos"](v1)) * u2
            out += [t(f0), t(f1)]
        return out


def _load_float_libm() -> dict[str, Callable[[float], float]]:
    """The C library's float functions (expf, logf, sinf, cosf), which TF's float and half
    kernels call and which round differently from the double functions of ``math`` now and
    then; without a loadable libm, the double results rounded to float stand in."""
    out: dict[str, Callable[[float], float]] = {}
    path = ctypes.util.find_library("m")
    try:
        lib = ctypes.CDLL(path) if path else None
    except OSError:
        lib = None
    for name in ("exp", "log", "sin", "cos"):
        fn = getattr(lib, name + "f", None) if lib is not None else None
        if fn is not None:
            fn.restype = ctypes.c_float
            fn.argtypes = [ctypes.c_float]
            out[name] = fn
        else:
            out[name] = getattr(math, name)
    return out


_FLOAT_LIBM = _load_float_libm()


def _fn(t: type, name: str) -> Callable[[Any], Any]:
    """A libm function of T: the float function for float and half (Eigen's half math is
    the float function rounded to half), the double one for double; C's inf / NaN results
    where Python's math raises."""
    f: Callable[[float], float] = getattr(math, name) if t is np.float64 else _FLOAT_LIBM[name]

    def g(x: Any) -> Any:
        v = float(x)
        try:
            r = f(v)
        except (ValueError, OverflowError):
            with np.errstate(all="ignore"):
                r = float(getattr(np, name)(np.float64(v)))
        return t(np.float32(r)) if t is not np.float64 else t(r)

    return g


def _sample_batch(t: type, mean: Any, stddev: Any, minval: Any, maxval: Any, per: int,
                  draws: _Draws, op: Operation) -> list[Any]:
    """One batch member's ``per`` samples, as TF's loop over it."""
    exp, log = _fn(t, "exp"), _fn(t, "log")

    def sqrt(x: Any) -> Any:  # correctly rounded in every dtype
        return t(np.sqrt(np.float32(x))) if t is not np.float64 else np.sqrt(x)

    if not (stddev > t(0) and minval < maxval and (np.isfinite(minval)
                                                   or np.isfinite(maxval))):
        raise InvalidArgumentError(None, op, "Invalid parameters")
    if (np.isinf(minval) and minval < t(0)) or maxval < mean:
        minval, maxval, stddev = maxval, minval, -stddev  # flip: the far bound is below
    norm_min = t((minval - mean) / stddev)
    norm_max = t((maxval - mean) / stddev)
    sqrt_factor = sqrt(norm_min * norm_min + t(4))
    cutoff = t(t(t(2) * exp(t(0.5) + norm_min * (norm_min - sqrt_factor) / t(4)))
               / (norm_min + sqrt_factor))
    diff = t(norm_max - norm_min)
    k = t(1.3)  # kStdDevsInsideBoundsToUseRandnSampler
    out: list[Any] = []
    iterations = 0
    if (norm_min < -k and norm_max >= t(0)) or (norm_max > k and norm_min <= t(0)):
        while len(out) < per:
            for r in draws.normal():
                if norm_min <= r <= norm_max:
                    out.append(t(r * stddev + mean))
                    if len(out) >= per:
                        break
                    iterations = 0
                else:
                    iterations += 1
                    if iterations > _MAX_ITERATIONS:
                        raise InternalError(None, op, "TruncatedNormal randn rejection "
                                            "sampler failed to accept a sample.")
    elif diff < cutoff:
        plus = t(0) if norm_min < t(0) else t(norm_min * norm_min)
        while len(out) < per:
            z = [t(r * diff + norm_min) for r in draws.uniform()]
            g = [t((plus - zi * zi) / t(2)) for zi in z]
            for zi, gi, ui in zip(z, g, draws.uniform()):
                accept = ui <= exp(gi)
                if accept or iterations + 1 >= _MAX_ITERATIONS:
                    if not accept:
                        raise InternalError(None, op, "TruncatedNormal uniform rejection "
                                            "sampler failed to  accept a sample.")
                    out.append(t(zi * stddev + mean))
                    if len(out) >= per:
                        break
                    iterations = 0
                else:
                    iterations += 1
    else:
        alpha = t((norm_min + sqrt(norm_min * norm_min + t(4))) / t(2))
        while len(out) < per:
            rand = draws.uniform()
            for i in range(0, len(rand), 2):
                z = t(-log(rand[i]) / alpha + norm_min)
                x = t(alpha - z) if norm_min < alpha else t(norm_min - alpha)
                g = exp(t(-x * x / t(2)))
                accept = rand[i + 1] <= g and z < norm_max
                if accept or iterations + 1 >= _MAX_ITERATIONS:
                    if not accept:
                        raise InternalError(None, op, "TruncatedNormal exponential "
                                            "distribution rejection sampler failed to "
                                            "accept a sample.")
                    out.append(t(z * stddev + mean))
                    if len(out) >= per:
                        break
                    iterations = 0
                else:
                    iterations += 1
    return out


@register_kernel(_OP)
def _ptn_kernel(op: Operation) -> Callable[..., np.ndarray]:
    dt = np.dtype(op._attrs["dtype"]._np)
    t = dt.type

    def kernel(shape: Any, seed: Any, means: np.ndarray, stddevs: np.ndarray,
               minvals: np.ndarray, maxvals: np.ndarray) -> np.ndarray:
        sd = np.asarray(seed)
        if sd.shape != (2,):
            raise InvalidArgumentError(None, op, f"seed must have shape [2], not "
                                       f"{shape_str(sd.shape)}")
        dims, flat, per, batches = sample_layout(
            op, shape, [np.asarray(v) for v in (means, stddevs, minvals, maxvals)],
            "means, stddevs, minvals, maxvals")
        out = np.zeros(per * batches, dt)
        if out.size == 0:
            return out.reshape(dims)
        key, counter = _key_counter(sd, op)
        stream = PhiloxStream.at(key, counter)
        per_call = 2 if t is np.float64 else 4  # Uniform::kResultElementCount
        with np.errstate(all="ignore"):
            for lo, hi in shards(out.size, _BATCH_COST[dt.name]):
                # each shard's generator skips 2000 blocks an output before it, rounded up
                draws = _Draws(stream, counter + (lo * 2 * _MAX_ITERATIONS + per_call - 1)
                               // per_call, t)
                idx = lo
                while idx < hi:
                    j, first = divmod(idx, per)
                    count = min(per - first, hi - idx)
                    mean, stddev, minv, maxv = (f[j] for f in flat)
                    vals = _sample_batch(t, mean, stddev, minv, maxv, count, draws, op)
                    out[(first + np.arange(count)) * batches + j] = vals
                    idx += count
        return out.reshape(dims)

    return kernel




# -- the gradient: TF's implicit reparameterization (random_grad.py) ---------------------------
def _ndtr(x: Tensor) -> Tensor:
    """TF's _Ndtr: the normal CDF through erf near 0 and erfc in the tails."""
    half_sqrt_2 = constant(0.5 * np.sqrt(2.0), dtype=x._dtype, name="half_sqrt_2")
    w = x * half_sqrt_2
    z = math_abs(w)
    y = where(z < half_sqrt_2, 1.0 + erf(w), where(w > 0.0, 2.0 - erfc(z), erfc(z)))
    out: Tensor = 0.5 * y
    return out


@RegisterGradient(_OP)
def _ptn_gradient(op: Operation, grad: Tensor) -> list[Any]:
    """d sample / d (mean, stddev, minval, maxval) by implicit differentiation of the
    truncated normal's CDF (Figurnov et al., 2018), summed over the sample dimensions and
    each parameter's broadcast ones, as TF's _StatelessParameterizedTruncatedNormalGrad."""
    shape, _, mean, stddev, minval, maxval = op._inputs
    sample = op._outputs[0]
    with builders.control_dependencies([grad]):
        minval_std = (minval - mean) / stddev
        maxval_std = (maxval - mean) / stddev
        sample_std = (sample - mean) / stddev
        cdf_sample = (_ndtr(sample_std) - _ndtr(minval_std)) / (
            _ndtr(maxval_std) - _ndtr(minval_std))
        info = np.finfo(mean._dtype._np)
        cdf_sample = clip_by_value(cdf_sample, info.tiny, 1 - info.eps)
        dmaxval = exp(0.5 * (sample_std ** 2 - maxval_std ** 2) + log(cdf_sample))
        dminval = exp(0.5 * (sample_std ** 2 - minval_std ** 2) + log1p(-cdf_sample))
        dmean = ones_like(sample_std)
        dstddev = sample_std
        shapes = [array_shape(t) for t in (mean, stddev, minval, maxval)]
        bshape = broadcast_dynamic_shape(shapes[0], shapes[1])
        bshape = broadcast_dynamic_shape(shapes[2], bshape)
        bshape = broadcast_dynamic_shape(shapes[3], bshape)
        extra_dims = math_range(size(shape) - size(bshape))
        grads = [reduce_sum(grad * d, axis=extra_dims)
                 for d in (dmean, dstddev, dminval, dmaxval)]
        axes = [broadcast_gradient_args(bshape, s)[1] for s in shapes]
        return [None, None, *(reshape(reduce_sum(g, axis=r, keepdims=True), s)
                              for g, r, s in zip(grads, axes, shapes))]
