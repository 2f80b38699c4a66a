"""``tf.random_gamma`` (RandomGamma, with TF's implicit-reparameterization gradient through
RandomGammaGrad), ``tf.random_poisson`` (RandomPoissonV2) and their stateless forms
``tf.random.stateless_gamma`` (StatelessRandomGammaV3; V2's kernel for older graphs) and
``tf.random.stateless_poisson`` (StatelessRandomPoisson).

The kernels are ports of TF's CPU kernels (core/kernels/random_gamma_op.cc,
random_poisson_op.cc, stateless_random_gamma_op.cc): one GuardedPhiloxRandom per (session, op)
reserves 256 Philox counters per output (a stateless op starts at its seed's key and counter),
and output ``i`` (alpha-major: ``i = alpha_index * samples_per_alpha + sample``) draws from
its own generator skipped to ``start + 256 * i``, so seeded runs give TF's values whatever
TF's sharding. Each generator call fills a buffer of 2 doubles that is read from its last
element back, as TF's macros do. The per-sample rejection loops run in
scalar Python on the C library's ``log``/``sin``/``cos`` (``math``), as TF's Eigen calls do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value_as_shape, convert_index, convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.framework.random_seed import get_seed
from varstore.ops.array_fill_ops import ones
from varstore.ops.array_ops import rank, reshape
from varstore.ops.array_ops import shape as array_shape
from varstore.ops.array_sort_ops import broadcast_dynamic_shape
from varstore.ops.array_stack_ops import concat
from varstore.ops.array_transform_ops import broadcast_to
from varstore.ops.math_ops import broadcast_shape, maximum, multiply, subtract, truediv
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_sequence_ops import range as math_range
from varstore.ops.random_philox import PhiloxStream
from varstore.ops.stateless_random_ops import _key_counter

__all__ = ["random_gamma", "random_poisson", "stateless_random_gamma", "stateless_random_poisson"]

_RESERVED = 256  # kReservedSamplesPerOutput
_GAMMA_TYPES = ("float16", "float32", "float64")
_POISSON_TYPES = ("float16", "float32", "float64", "int32", "int64")
_TWO_POW_M52 = 2.0 ** -52


def _shape_arg(shape: Any) -> Tensor:
    return convert_to_tensor(shape, dtype=_dtypes.int32, name="shape")


def _out_shape(shape_t: Tensor, param: Tensor) -> tuple[int | None, ...] | None:
    lead = constant_value_as_shape(shape_t)
    if lead is None or param._shape is None:
        return None
    return tuple(lead) + tuple(param._shape)


def random_gamma(shape: Any, alpha: Any, beta: Any = None, dtype: Any = _dtypes.float32,
                 seed: int | None = None, name: str | None = None) -> Tensor:
    """``tf.random_gamma`` / ``tf.random.gamma``: in scope ``random_gamma``, Maximum(tiny,
    RandomGamma(shape, BroadcastTo(alpha, BroadcastArgs(...))) / beta), as TF builds it."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape, alpha, beta)
    with graph.name_scope(name or "random_gamma"):
        s = _shape_arg(shape)
        a = convert_to_tensor(alpha, dtype=dt, name="alpha")
        b = convert_to_tensor(1 if beta is None else beta, dtype=dt, name="beta")
        if dt.name not in _GAMMA_TYPES:
            raise TypeError(f"Value passed to parameter 'alpha' has DataType {dt.name} not in "
                            "list of allowed values: float16, float32, float64")
        bshape = broadcast_dynamic_shape(array_shape(a), array_shape(b))
        a_b = broadcast_to(a, bshape)
        seed1, seed2 = get_seed(seed)
        full = graph._op_name(None, "RandomGamma")
        op = make_op(graph, full, "RandomGamma", [s, a_b],
                     {"seed": seed1 or 0, "seed2": seed2 or 0, "S": s._dtype, "T": dt},
                     [(dt, _out_shape(s, a_b))])
        tiny = np.finfo(dt._np).tiny  # a NumPy scalar of the dtype, as TF passes it
        return maximum(tiny, truediv(op._outputs[0], b))


def random_poisson(lam: Any, shape: Any, dtype: Any = _dtypes.float32, seed: int | None = None,
                   name: str | None = None) -> Tensor:
    """``tf.random_poisson`` / ``tf.random.poisson`` (TF1's argument order ``lam, shape``): one
    RandomPoissonV2 op in scope ``random_poisson``."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(lam, shape)
    with graph.name_scope(name or "random_poisson"):
        s = _shape_arg(shape)
        seed1, seed2 = get_seed(seed)
        full = graph._op_name(None, "RandomPoissonV2")
        with scope_of(graph, full):
            rate = convert_to_tensor(lam, name="rate")
        for what, t in (("rate", rate._dtype), ("dtype", dt)):
            if t.name not in _POISSON_TYPES:
                raise TypeError(f"Value passed to parameter '{what}' has DataType {t.name} not "
                                "in list of allowed values: float16, float32, float64, int32, "
                                "int64")
        op = make_op(graph, full, "RandomPoissonV2", [s, rate],
                     {"seed": seed1 or 0, "seed2": seed2 or 0, "S": s._dtype,
                      "R": rate._dtype, "dtype": dt},
                     [(dt, _out_shape(s, rate))])
        return op._outputs[0]


def _shape_tensor(shape: Any) -> Tensor:
    """TF's shape_util.shape_tensor: an int32 ``shape`` unless a tensor says otherwise."""
    return convert_index(shape, name="shape")


def _seed_input(seed: Any) -> Tensor:
    t = convert_to_tensor(seed, dtype_hint=_dtypes.int64, name="seed")
    if t._dtype not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"Value passed to parameter 'seed' has DataType {t._dtype.name} not in "
                        "list of allowed values: int32, int64")
    return t


def stateless_random_gamma(shape: Any, seed: Any, alpha: Any, beta: Any = None,
                           dtype: Any = _dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.random.stateless_gamma``: in scope ``stateless_random_gamma``, the seed's key and
    counter (StatelessRandomGetKeyCounter) drive StatelessRandomGammaV3 over the broadcast
    alpha (``shape`` must end with it), divided by beta and kept above the dtype's tiny."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape, seed, alpha, beta)
    with graph.name_scope(name or "stateless_random_gamma"):
        s = _shape_tensor(shape)
        a = convert_to_tensor(alpha, dtype=dt, name="alpha")
        b = convert_to_tensor(1 if beta is None else beta, dtype=dt, name="beta")
        if dt.name not in _GAMMA_TYPES:
            raise TypeError(f"Value passed to parameter 'dtype' has DataType {dt.name} not in "
                            "list of allowed values: float16, float32, float64")
        bshape = broadcast_dynamic_shape(array_shape(a), array_shape(b))
        a_b = broadcast_to(a, bshape)
        kc_name = graph._op_name(None, "StatelessRandomGetKeyCounter")
        with scope_of(graph, kc_name):
            sd = _seed_input(seed)
        kc = make_op(graph, kc_name, "StatelessRandomGetKeyCounter", [sd], {"Tseed": sd._dtype},
                     [(_dtypes.uint64, (1,)), (_dtypes.uint64, (2,))])
        full = graph._op_name(None, "StatelessRandomGammaV3")
        with scope_of(graph, full):
            alg = convert_to_tensor(3, dtype=_dtypes.int32, name="alg")  # RNG_ALG_AUTO_SELECT
        op = make_op(graph, full, "StatelessRandomGammaV3",
                     [s, kc._outputs[0], kc._outputs[1], alg, a_b],
                     {"dtype": dt, "shape_dtype": s._dtype},
                     [(dt, constant_value_as_shape(s))])
        return maximum(np.finfo(dt._np).tiny, truediv(op._outputs[0], b))


def stateless_random_poisson(shape: Any, seed: Any, lam: Any, dtype: Any = _dtypes.int32,
                             name: str | None = None) -> Tensor:
    """``tf.random.stateless_poisson``: one StatelessRandomPoisson op in scope
    ``stateless_random_poisson`` (``shape`` must end with lam's shape)."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape, seed, lam)
    with graph.name_scope(name or "stateless_random_poisson"):
        s = _shape_tensor(shape)
        full = graph._op_name(None, "StatelessRandomPoisson")
        with scope_of(graph, full):
            sd = _seed_input(seed)
            rate = convert_to_tensor(lam, name="lam")
        for what, t in (("lam", rate._dtype), ("dtype", dt)):
            if t.name not in _POISSON_TYPES:
                raise TypeError(f"Value passed to parameter '{what}' has DataType {t.name} not "
                                "in list of allowed values: float16, float32, float64, int32, "
                                "int64")
        op = make_op(graph, full, "StatelessRandomPoisson", [s, sd, rate],
                     {"Rtype": rate._dtype, "dtype": dt, "T": s._dtype, "Tseed": sd._dtype},
                     [(dt, constant_value_as_shape(s))])
        return op._outputs[0]


# -- the generators: output i reads Philox blocks start + 256 * i, start + 256 * i + 1, ... ----
class _Blocks:
    """The Philox blocks of every output's skipped generator, the first ``prefetch`` of each
    made in one vectorised call, later ones (long rejection or Knuth runs) 8 at a time."""

    __slots__ = ("_first", "_later", "_prefetch", "_start", "_stream")
    _LATER = 8

    def __init__(self, stream: PhiloxStream, start: int, n: int, prefetch: int) -> None:
        self._stream = stream
        self._start = start
        self._prefetch = prefetch
        offs = (np.arange(n, dtype=np.uint64)[:, None] * np.uint64(_RESERVED)
                + np.arange(prefetch, dtype=np.uint64)[None, :]).reshape(-1)
        self._first: list[list[int]] = stream._blocks(start, offs).tolist() if n else []
        self._later: dict[tuple[int, int], list[list[int]]] = {}

    def block(self, i: int, k: int) -> list[int]:
        if k < self._prefetch:
            return self._first[i * self._prefetch + k]
        base = self._prefetch + (k - self._prefetch) // self._LATER * self._LATER
        run = self._later.get((i, base))
        if run is None:
            offs = np.arange(base, base + self._LATER, dtype=np.uint64) + np.uint64(
                i * _RESERVED)
            run = self._stream._blocks(self._start, offs).tolist()
            self._later[(i, base)] = run
        return run[k - base]


def _u64_to_double(x0: int, x1: int) -> float:
    return (((x0 & 0xFFFFF) << 32) | x1) * _TWO_POW_M52  # exact: 1.mantissa - 1


def _uniform_doubles(w: list[int]) -> list[float]:
    return [_u64_to_double(w[0], w[1]), _u64_to_double(w[2], w[3])]


def _normal_doubles(w: list[int]) -> list[float]:
    """TF's BoxMullerDouble: (sin, cos) of 2 pi v times sqrt(-2 log u)."""
    u1 = max(_u64_to_double(w[0], w[1]), 1.0e-7)
    v1 = 2.0 * math.pi * _u64_to_double(w[2], w[3])
    u2 = math.sqrt(-2.0 * math.log(u1))
    return [math.sin(v1) * u2, math.cos(v1) * u2]


class _Gen:
    """One output's generator and the read-backwards buffers of TF's kernels."""

    __slots__ = ("_blocks", "_i", "_k", "buffers")

    def __init__(self, blocks: _Blocks, i: int) -> None:
        self._blocks = blocks
        self._i = i
        self._k = 0
        self.buffers: dict[str, list[float]] = {}

    def draw(self, kind: str, fill: Callable[[list[int]], list[float]]) -> float:
        buf = self.buffers.get(kind)
        if not buf:
            buf = fill(self._blocks.block(self._i, self._k))
            self._k += 1
            self.buffers[kind] = buf
        return buf.pop()


# IEEE results where Python's math raises (C's log(0) = -inf, 1 / 0 = inf, sqrt(-1) = nan):
# parameters of 0, below 0, inf or NaN give TF's 0 / inf / NaN samples
def _log(x: float) -> float:
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


def _div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if math.isnan(a) or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _pow(b: float, e: float) -> float:
    try:
        return math.pow(b, e)
    except (ValueError, OverflowError):
        with np.errstate(all="ignore"):
            return float(np.power(np.float64(b), np.float64(e)))


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _floor(x: float) -> float:
    return float(math.floor(x)) if math.isfinite(x) else x


def _gamma_sample(alpha: float, gen: _Gen) -> float:
    if alpha == 1.0:
        return -math.log1p(-gen.draw("u", _uniform_doubles))
    small = alpha < 1
    d = alpha + (2.0 / 3 if small else -1.0 / 3)
    c = _div(1.0 / 3, math.sqrt(d) if d >= 0 else math.nan)
    while True:
        x = gen.draw("n", _normal_doubles)
        v = 1 + c * x
        if v <= 0:
            continue
        v = v * v * v
        u = gen.draw("u", _uniform_doubles)
        if u < 1 - 0.0331 * (x * x) * (x * x) or _log(u) < 0.5 * x * x + d * (
                1 - v + _log(v)):
            res = d * v
            if small:
                res *= _pow(gen.draw("u", _uniform_doubles), _div(1.0, alpha))
            return res


def _seeded_stream(op: Operation, ctx: RunContext) -> PhiloxStream:
    make = lambda: PhiloxStream(int(op._attrs.get("seed", 0)),
                                int(op._attrs.get("seed2", 0)))
    stream: PhiloxStream = ctx.op_state(op, make)
    return stream


def _sample_dims(shape: Any) -> list[int]:
    dims = [int(d) for d in np.reshape(np.asarray(shape), -1)]
    for d in dims:
        if d < 0:
            raise ValueError(f"Dimension {d} must be >= 0")
    return dims


def _fill(stream: PhiloxStream, start: int, per: int, params: np.ndarray,
          sample: Callable[[float, _Gen], float], prefetch: int) -> np.ndarray:
    """(per, params.size) samples, column j from parameter j; output ``j * per + i`` reads
    the generator at ``start + 256 * (j * per + i)``, as TF's alpha-major work loop."""
    n = params.size
    blocks = _Blocks(stream, start, per * n, prefetch)
    out = np.empty((per, n), np.float64)
    for j, p in enumerate(params.reshape(-1).astype(np.float64).tolist()):
        for i in range(per):
            out[i, j] = sample(p, _Gen(blocks, j * per + i))
    return out


def _cast(out: np.ndarray, dt: np.dtype) -> np.ndarray:
    """The kernels' static_cast<T>(double): Eigen's half converts through float."""
    if dt == np.float16:
        return out.astype(np.float32).astype(np.float16)
    return out.astype(dt)


def _reserve(stream: PhiloxStream, outputs: int) -> int:
    with stream.lock:
        start = stream._counter
        stream._counter = (start + _RESERVED * outputs) % (1 << 128)
    return start


@register_kernel("RandomGamma", stateful=True)
def _random_gamma_kernel(op: Operation, ctx: RunContext) -> Callable[..., np.ndarray]:
    stream = _seeded_stream(op, ctx)
    dt = np.dtype(op._attrs["T"]._np)

    def kernel(shape: Any, alpha: np.ndarray) -> np.ndarray:
        dims = _sample_dims(shape)
        per = int(np.prod(dims, dtype=np.int64))
        out_dims = dims + list(alpha.shape)
        if per * alpha.size == 0:
            return np.zeros(out_dims, dt)
        start = _reserve(stream, per * alpha.size)
        return _cast(_fill(stream, start, per, alpha, _gamma_sample, 3), dt).reshape(out_dims)

    return kernel


def _poisson_sample(rate: float, gen: _Gen) -> float:
    """Knuth's product of uniforms below 10, Hormann's transformed rejection above, in double
    for every rate dtype (TF 2.21's kernel: float32 and float64 rates give the same
    samples)."""
    fill = _uniform_doubles
    if rate < 10:
        exp_neg_rate = _exp(-rate)
        prod, x = 1.0, 0.0
        while True:
            prod = prod * gen.draw("u", fill)
            if prod <= exp_neg_rate:
                return x
            x += 1
    log_rate = _log(rate)
    b = 0.931 + 2.53 * math.sqrt(rate)
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2)
    while True:
        u = gen.draw("u", fill) - 0.5
        v = gen.draw("u", fill)
        u_shifted = 0.5 - abs(u)
        k = _floor((_div(2 * a, u_shifted) + b) * u + rate + 0.43)
        if u_shifted >= 0.07 and v <= v_r:
            return k
        if k < 0 or (u_shifted < 0.013 and v > u_shifted):
            continue
        s = _log(_div(v * inv_alpha, _div(a, u_shifted * u_shifted) + b))
        t = -rate + k * log_rate - math.lgamma(k + 1)
        if s <= t:
            return k


def _poisson_prefetch(rate: np.ndarray) -> int:
    """Blocks to make up front: Knuth's loop reads about rate + 1 uniforms (2 a block) below
    rate 10, Hormann's rejection 2 a try above."""
    small = rate[rate < 10]
    top = float(small.max()) if small.size else 0.0
    return max(2, min(8, int(top + 2 * np.sqrt(top) + 2) // 2 + 1))


@register_kernel("RandomPoissonV2", stateful=True)
def _random_poisson_kernel(op: Operation, ctx: RunContext) -> Callable[..., np.ndarray]:
    stream = _seeded_stream(op, ctx)
    dt = np.dtype(op._attrs["dtype"]._np)

    def kernel(shape: Any, rate: np.ndarray) -> np.ndarray:
        dims = _sample_dims(shape)
        per = int(np.prod(dims, dtype=np.int64))
        out_dims = dims + list(rate.shape)
        if per == 0:
            return np.zeros(out_dims, dt)
        if rate.size == 0:
            raise ValueError("Input rate should have non-zero element count, got: 0")
        start = _reserve(stream, per * rate.size)
        return _cast(_fill(stream, start, per, rate,
                           _poisson_sample,
                           _poisson_prefetch(rate)), dt).reshape(out_dims)

    return kernel


def _stateless_dims(op: Operation, shape: Any, param: np.ndarray, what: str
                    ) -> tuple[list[int], int]:
    dims = _sample_dims(shape)
    pshape = list(param.shape)
    if len(pshape) > len(dims) or (pshape and dims[len(dims) - len(pshape):] != pshape):
        raise ValueError("Shape passed in must end with broadcasted shape.")
    if param.size == 0:
        raise ValueError(f"Input {what} should have non-zero element count, got: 0")
    return dims, int(np.prod(dims, dtype=np.int64)) // param.size


@register_kernel("StatelessRandomGammaV3")
def _stateless_gamma_kernel(op: Operation) -> Callable[..., np.ndarray]:
    dt = np.dtype(op._attrs["dtype"]._np)

    def kernel(shape: Any, key: Any, counter: Any, alg: Any, alpha: np.ndarray) -> np.ndarray:
        dims = _sample_dims(shape)
        if int(np.prod(dims, dtype=np.int64)) == 0:
            return np.zeros(dims, dt)
        dims, per = _stateless_dims(op, shape, alpha, "alpha")
        k = np.asarray(key, np.uint64).reshape(-1)
        c = np.asarray(counter, np.uint64).reshape(-1)
        stream = PhiloxStream.at(int(k[0]), int(c[0]) | (int(c[1]) << 64))
        return _cast(_fill(stream, stream._counter, per, alpha, _gamma_sample, 3),
                     dt).reshape(dims)

    return kernel


@register_kernel("StatelessRandomGammaV2")
def _stateless_gamma_v2_kernel(op: Operation) -> Callable[..., np.ndarray]:
    """The seed-taking form TF 2.3 - 2.5 graphs hold (kernel only, for imported graphs)."""
    dt = np.dtype(op._attrs["dtype"]._np)

    def kernel(shape: Any, seed: Any, alpha: np.ndarray) -> np.ndarray:
        dims = _sample_dims(shape)
        if int(np.prod(dims, dtype=np.int64)) == 0:
            return np.zeros(dims, dt)
        dims, per = _stateless_dims(op, shape, alpha, "alpha")
        key, counter = _key_counter(np.asarray(seed), op)
        stream = PhiloxStream.at(key, counter)
        return _cast(_fill(stream, stream._counter, per, alpha, _gamma_sample, 3),
                     dt).reshape(dims)

    return kernel


@register_kernel("StatelessRandomPoisson")
def _stateless_poisson_kernel(op: Operation) -> Callable[..., np.ndarray]:
    dt = np.dtype(op._attrs["dtype"]._np)

    def kernel(shape: Any, seed: Any, lam: np.ndarray) -> np.ndarray:
        dims = _sample_dims(shape)
        if int(np.prod(dims, dtype=np.int64)) == 0:
            return np.zeros(dims, dt)
        dims, per = _stateless_dims(op, shape, lam, "rate")
        key, counter = _key_counter(np.asarray(seed), op)
        stream = PhiloxStream.at(key, counter)
        return _cast(_fill(stream, stream._counter, per, lam,
                           _poisson_sample,
                           _poisson_prefetch(lam)), dt).reshape(dims)

    return kernel


NotDifferentiable("StatelessRandomPoisson")


# -- RandomGammaGrad: d sample / d alpha by implicit differentiation of the Gamma CDF ---------
def random_gamma_grad(alpha: Any, sample: Any, name: str | None = None) -> Tensor:
    """``tf.raw_ops.RandomGammaGrad``: -(d igamma(alpha, x) / d alpha) / pdf(x), broadcast."""
    graph = check_same_graph(alpha, sample)
    full = graph._op_name(name, "RandomGammaGrad")
    with scope_of(graph, full):
        a = convert_to_tensor(alpha, name="alpha")
        x = convert_to_tensor(sample, dtype=a._dtype, name="sample")
    out = broadcast_shape(full, "RandomGammaGrad", a, x)
    op = make_op(graph, full, "RandomGammaGrad", [a, x], {"T": a._dtype}, [(a._dtype, out)])
    return op._outputs[0]


@register_kernel("RandomGammaGrad")
def _random_gamma_grad_kernel(op: Operation) -> Callable[..., np.ndarray]:
    from varstore.ops.math_igamma_ops import _igamma

    def one(a: float, x: float) -> float:
        if x == 0:
            return 0.0
        if a <= 0 or x < 0 or math.isnan(a) or math.isnan(x):
            return math.nan
        if math.isinf(a) or math.isinf(x):
            return math.nan
        log_pdf = (a - 1) * math.log(x) - x - math.lgamma(a)
        return _div(-_igamma(a, x, True), _exp(log_pdf))

    vec = np.vectorize(one, otypes=[np.float64])

    def kernel(alpha: np.ndarray, sample: np.ndarray) -> np.ndarray:
        a, x = np.broadcast_arrays(alpha, sample)
        if a.size == 0:
            return np.zeros(a.shape, alpha.dtype)
        out: np.ndarray = vec(a.astype(np.float64), x.astype(np.float64)).astype(alpha.dtype)
        return out

    return kernel


@RegisterGradient("RandomGamma")
def _random_gamma_gradient(op: Operation, grad: Tensor) -> list[Any]:
    """TF's _RandomGammaGrad: alpha reshaped behind ``len(shape)`` unit dimensions, the
    sample gradient times RandomGammaGrad summed over the sample dimensions."""
    shape, alpha = op._inputs
    sample = op._outputs[0]
    with builders.control_dependencies([grad]):
        num = array_shape(shape)[0]
        new_shape = concat([ones([num], dtype=_dtypes.int32), array_shape(alpha)], axis=0)
        alpha_b = reshape(alpha, new_shape)
        partial_a = random_gamma_grad(alpha_b, sample)
        return [None, reduce_sum(multiply(grad, partial_a), axis=math_range(num))]


def _stateless_gamma_grad_alpha(op: Operation, grad: Tensor, alpha: Tensor) -> Tensor:
    """TF's _StatelessGammaGradAlpha: as RandomGamma's gradient, the sample dimensions
    being ``len(shape) - rank(alpha)``."""
    shape, sample = op._inputs[0], op._outputs[0]
    num = subtract(array_shape(shape)[0], rank(alpha))
    new_shape = concat([ones([num], dtype=_dtypes.int32), array_shape(alpha)], axis=0)
    partial_a = random_gamma_grad(reshape(alpha, new_shape), sample)
    return reduce_sum(multiply(grad, partial_a), axis=math_range(num))


@RegisterGradient("StatelessRandomGammaV3")
def _stateless_random_gamma_v3_gradient(op: Operation, grad: Tensor) -> list[Any]:
    with builders.control_dependencies([grad]):
        return [None, None, None, None, _stateless_gamma_grad_alpha(op, grad, op._inputs[4])]


@RegisterGradient("StatelessRandomGammaV2")
def _stateless_random_gamma_v2_gradient(op: Operation, grad: Tensor) -> list[Any]:
    with builders.control_dependencies([grad]):
        return [None, None, _stateless_gamma_grad_alpha(op, grad, op._inputs[2])]


builders.register(globals(), [*__all__, "random_gamma_grad"])
