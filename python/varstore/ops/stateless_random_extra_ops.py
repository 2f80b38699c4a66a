"""TF's other stateless samplers: full-range integers (StatelessRandomUniformFullIntV2) and the
seed functions ``tf.random.split`` / ``fold_in`` that TF builds on them, the
``stateless_categorical`` / ``stateless_multinomial`` wrappers of StatelessMultinomial, and
``tf.random.stateless_binomial`` (StatelessRandomBinomial). The parameterized truncated normal
is in stateless_random_ptn_ops.py.

The kernels are ports of TF's CPU kernels (core/kernels/stateless_random_ops_v2.cc,
random_binomial_op.cc), bit for bit: the seed's key and counter (StatelessRandomGetKeyCounter's
scramble) start a Philox stream, a full-range integer is a Philox word (two for 64 bits), and
binomial output ``i`` draws from its own generator skipped to ``start + 256 * i`` (BTRS) or
``start + 42 * i`` (inversion), so TF's sharding never changes the values.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant, convert_index, convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, typed_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.array_fill_ops import zeros
from varstore.ops.array_ops import reshape
from varstore.ops.array_stack_ops import stack
from varstore.ops.bitwise_ops import bitwise_or, left_shift
from varstore.ops.math_unary_ops import cast
from varstore.ops.random_philox import PhiloxStream
from varstore.ops.stateless_random_ops import (
    _check_seed_shape,
    _dims,
    _draw,
    _key_counter,
    _seed_arg,
    _shape,
    _stream,
    no_cpu_kernel,
    shape_of,
    stateless_random_uniform,
)
from varstore.ops.stateless_random_ops import stateless_multinomial as _multinomial_op

__all__ = ["fold_in", "split", "stateless_categorical", "stateless_multinomial",
           "stateless_random_binomial"]

# -- full-range integers -----------------------------------------------------------------------
def _full_int(stream: PhiloxStream, n: int, dt: np.dtype) -> np.ndarray:
    """UniformFullIntDistribution: each 32-bit output is one Philox word (4 a block), each
    64-bit one two words, the first the low half (2 a block); the bits are the value."""
    if n == 0:
        return np.zeros(0, dt)
    if dt.itemsize == 8:
        w = stream._words(n, 2).astype(np.uint64)
        bits = np.stack([w[:, 0] | (w[:, 1] << np.uint64(32)),
                         w[:, 2] | (w[:, 3] << np.uint64(32))], axis=1)
        return bits.reshape(-1)[:n].view(dt)
    return stream._words(n, 4).reshape(-1)[:n].view(dt)


@register_kernel("StatelessRandomUniformFullIntV2")
def _full_int_kernel(op: Operation) -> Callable[..., np.ndarray]:
    dt = np.dtype(op._attrs["dtype"]._np)

    def kernel(shape: Any, key: Any, counter: Any, alg: Any) -> np.ndarray:
        dims = _dims(op, shape)
        stream = _stream(op, key, counter, alg)
        return _full_int(stream, int(np.prod(dims, dtype=np.int64)), dt).reshape(dims)

    return kernel


NotDifferentiable("StatelessRandomUniformFullIntV2")


def full_int_draw(shape: Tensor, seed: Any, dt: Any, alg: Any, name: str) -> Tensor:
    """The StatelessRandomUniformFullIntV2 op of ``tf.random.stateless_uniform`` with both
    bounds None, named ``name`` (the enclosing scope, as TF names it)."""
    return _draw("StatelessRandomUniformFullIntV2", shape, seed, dt, alg, name=name)


def _uint32s_to_uint64(x: Tensor) -> Tensor:
    return bitwise_or(cast(x[0], _dtypes.uint64),
                      left_shift(cast(x[1], _dtypes.uint64), constant(32, _dtypes.uint64)))


def philox_key_counter(seed: Any) -> tuple[Tensor, Tensor]:
    """TF's _philox_scramble_seed for an explicit alg='philox': the seed (cast to uint64)
    is the counter of a 4-word full-range draw at GenerateKey's fixed key, whose words are
    the new key and the counter's high half (the same key and counter GenerateKey gives)."""
    key = constant([0x02461E293EC8F720], _dtypes.uint64)
    counter = cast(seed, _dtypes.uint64)
    mix = _draw_raw([4], key, counter, _dtypes.uint32, 1)
    new_key = reshape(_uint32s_to_uint64(mix[:2]), [1])
    return new_key, stack([0, _uint32s_to_uint64(mix[2:])], axis=0)


def threefry_key_counter(seed: Any) -> tuple[Tensor, Tensor]:
    """TF's key and counter for alg='threefry': the seed's two words as the key, a zero
    counter (which TF's CPU kernels then reject)."""
    key = reshape(_uint32s_to_uint64(cast(seed, _dtypes.uint32)), [1])
    return key, zeros([1], _dtypes.uint64)


def _draw_raw(shape: Any, key: Tensor, counter: Tensor, dt: Any, alg: int) -> Tensor:
    """gen_stateless_random_ops_v2.stateless_random_uniform_full_int_v2: the op in the
    current scope, its Python arguments converted in its own."""
    graph = check_same_graph(key, counter)
    full = graph._op_name(None, "StatelessRandomUniformFullIntV2")
    with scope_of(graph, full):
        s = convert_index(shape, name="shape")
        a = convert_to_tensor(alg, dtype=_dtypes.int32, name="alg")
    out: Tensor = make_op(graph, full, "StatelessRandomUniformFullIntV2", [s, key, counter, a],
                          {"dtype": dt, "Tshape": s._dtype}, [(dt, shape_of(s))])._outputs[0]
    return out


def split(seed: Any, num: Any = 2, alg: Any = "auto_select") -> Tensor:
    """``tf.random.split``: ``num`` new seeds of ``seed``'s dtype, the full-range integers
    of a [num, 2] stateless draw."""
    sd = convert_to_tensor(seed)
    return stateless_random_uniform([num, 2], seed=sd, minval=None, maxval=None,
                                    dtype=sd._dtype, alg=alg)


def fold_in(seed: Any, data: Any, alg: Any = "auto_select") -> Tensor:
    """``tf.random.fold_in``: [a full-range integer drawn with ``seed``, ``data``], in
    ``data``'s dtype."""
    d = convert_to_tensor(data)
    seed1 = stateless_random_uniform([], seed=seed, minval=None, maxval=None,
                                     dtype=d._dtype, alg=alg)
    return stack([seed1, d])


# -- categorical --------------------------------------------------------------------------------
def _categorical(logits: Any, num_samples: Any, dtype: Any, seed: Any) -> Tensor:
    """TF's stateless_multinomial_categorical_impl, in the caller's name scope."""
    lg = convert_to_tensor(logits, name="logits")
    dt = _dtypes.as_dtype(dtype) if dtype else _dtypes.int64
    if dt not in (_dtypes.int32, _dtypes.int64):
        raise ValueError(f"Argument `dtype` got invalid value {dt}. Accepted dtypes are "
                         f"{(_dtypes.int32, _dtypes.int64)}.")
    out: Tensor = _multinomial_op(lg, num_samples, seed, output_dtype=dt)
    return out


def stateless_categorical(logits: Any, num_samples: Any, seed: Any,
                          dtype: Any = _dtypes.int64, name: str | None = None) -> Tensor:
    """``tf.random.stateless_categorical``: StatelessMultinomial in scope
    ``stateless_categorical``; ``num_samples`` class indices per row of the 2-D ``logits``,
    the same for the same ``seed``."""
    graph = check_same_graph(logits, seed)
    with graph.name_scope(name or "stateless_categorical"):
        return _categorical(logits, num_samples, dtype, seed)


def stateless_multinomial(logits: Any, num_samples: Any, seed: Any,
                          output_dtype: Any = _dtypes.int64, name: str | None = None) -> Tensor:
    """``tf.random.stateless_multinomial`` (TF1's name of stateless_categorical), in scope
    ``stateless_multinomial``."""
    graph = check_same_graph(logits, seed)
    with graph.name_scope(name or "stateless_multinomial"):
        return _categorical(logits, num_samples, output_dtype, seed)


# -- binomial -----------------------------------------------------------------------------------
_BINOMIAL_TYPES = "float16, float32, float64, int32, int64"


def stateless_random_binomial(shape: Any, seed: Any, counts: Any, probs: Any,
                              output_dtype: Any = _dtypes.int32,
                              name: str | None = None) -> Tensor:
    """``tf.random.stateless_binomial``: one StatelessRandomBinomial op in scope
    ``stateless_random_binomial``; ``counts`` and ``probs`` broadcast together, and ``shape``
    must end with their broadcast shape."""
    graph = check_same_graph(shape, seed, counts, probs)
    with graph.name_scope(name or "stateless_random_binomial"):
        s = _shape(shape)
        p = convert_to_tensor(probs, dtype_hint=_dtypes.float32, name="probs")
        c = convert_to_tensor(counts, dtype_hint=p._dtype, name="counts")
        op_type = "StatelessRandomBinomial"
        full = graph._op_name(None, op_type)
        with scope_of(graph, full):
            sd = _seed_arg(seed)
            check_allowed(c._dtype, _BINOMIAL_TYPES, "counts")
            p = typed_input(p, c._dtype, op_type, "probs", "counts")
        dt = _dtypes.as_dtype(output_dtype)
        check_allowed(dt, _BINOMIAL_TYPES, "dtype")
        attrs = {"S": s._dtype, "T": c._dtype, "Tseed": sd._dtype, "dtype": dt}
        inputs = [s, sd, c, p]
        _check_seed_shape(full, op_type, attrs, inputs)
        return make_op(graph, full, op_type, inputs, attrs, [(dt, shape_of(s))])._outputs[0]


def sample_layout(op: Operation, shape: Any, params: list[np.ndarray], what: str
                  ) -> tuple[list[int], list[np.ndarray], int, int]:
    """The broadcast batch of the parameters (BCastList), flattened: the output dims, each
    parameter broadcast to the batch, samples per batch member and the batch size."""
    try:
        bshape = list(np.broadcast_shapes(*(p.shape for p in params)))
    except ValueError:
        shapes = " vs. ".join(f"[{','.join(map(str, p.shape))}]" for p in params)
        raise InvalidArgumentError(None, op, f"{what} must have compatible batch dimensions: "
                                   f"{shapes}") from None
    sh = np.asarray(shape)
    if sh.ndim != 1:
        raise InvalidArgumentError(None, op, "Input shape should be a vector, got shape: "
                                   f"[{','.join(map(str, sh.shape))}]")
    dims = _dims(op, sh)
    k = len(bshape)
    if k > len(dims) or dims[len(dims) - k:] != bshape:
        raise InvalidArgumentError(None, op, "Shape passed in must end with broadcasted shape.")
    per = int(np.prod(dims[:len(dims) - k], dtype=np.int64))
    batches = int(np.prod(bshape, dtype=np.int64))
    flat = [np.broadcast_to(p, bshape).reshape(-1) for p in params]
    return dims, flat, per, batches


class SkippedBlocks:
    """Output ``i``'s generator: Philox blocks ``start + stride * i + k``, the first
    ``prefetch`` of every output made in one vectorised call, later ones 8 at a time."""

    __slots__ = ("_first", "_later", "_prefetch", "_start", "_stream", "_stride")

    def __init__(self, stream: PhiloxStream, n: int, stride: int, prefetch: int) -> None:
        self._stream = stream
        self._start = stream._counter
        self._stride = stride
        self._prefetch = prefetch
        offs = (np.arange(n, dtype=np.uint64)[:, None] * np.uint64(stride)
                + np.arange(prefetch, dtype=np.uint64)[None, :]).reshape(-1)
        self._first: list[list[int]] = stream._blocks(self._start, offs).tolist() if n else []
        self._later: dict[tuple[int, int], list[list[int]]] = {}

    def block(self, i: int, k: int) -> list[int]:
        if k < self._prefetch:
            return self._first[i * self._prefetch + k]
        base = self._prefetch + (k - self._prefetch) // 8 * 8
        run = self._later.get((i, base))
        if run is None:
            offs = np.arange(base, base + 8, dtype=np.uint64) + np.uint64(i * self._stride)
            run = self._stream._blocks(self._start, offs).tolist()
            self._later[(i, base)] = run
        return run[k - base]


class _Uniforms:
    """UniformDistribution<double> behind TF's UNIFORM macro: 2 doubles a block, read from
    the last one back."""

    __slots__ = ("_blocks", "_buf", "_i", "_k")

    def __init__(self, blocks: SkippedBlocks, i: int) -> None:
        self._blocks, self._i, self._k = blocks, i, 0
        self._buf: list[float] = []

    def __call__(self) -> float:
        if not self._buf:
            w = self._blocks.block(self._i, self._k)
            self._k += 1
            self._buf = [(((w[0] & 0xFFFFF) << 32) | w[1]) * 2.0 ** -52,
                         (((w[2] & 0xFFFFF) << 32) | w[3]) * 2.0 ** -52]
        return self._buf.pop()


def _log(x: float) -> float:
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


def _binomial_inversion(count: float, prob: float, u: _Uniforms) -> float:
    """Sum geometric variables until they pass ``count``; how many did not."""
    geom_sum, num_geom = 0.0, 0
    denom = math.log1p(-prob)
    while True:
        q = _log(u()) / denom
        geom_sum += math.ceil(q) if math.isfinite(q) else q
        if geom_sum > count:
            return float(num_geom)
        num_geom += 1


_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
         0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
         0.00925546218271273, 0.00833056343336287)


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _btrs(count: float, prob: float, u: _Uniforms) -> float:
    """Hormann's transformed rejection (BTRS) from pairs of uniforms, as TF writes it."""
    stddev = math.sqrt(count * prob * (1 - prob))
    b = 1.15 + 2.53 * stddev
    a = -0.0873 + 0.0248 * b + 0.01 * prob
    c = count * prob + 0.5
    v_r = 0.92 - 4.2 / b
    r = prob / (1 - prob)
    alpha = (2.83 + 5.1 / b) * stddev
    m = math.floor((count + 1) * prob)
    while True:
        uu = u() - 0.5
        v = u()
        us = 0.5 - abs(uu)
        k = math.floor((2 * a / us + b) * uu + c)
        if us >= 0.07 and v <= v_r:
            return float(k)
        if k < 0 or k > count:
            continue
        v = _log(v * alpha / (a / (us * us) + b))
        upper = ((m + 0.5) * math.log((m + 1) / (r * (count - m + 1)))
                 + (count + 1) * math.log((count - m + 1) / (count - k + 1))
                 + (k + 0.5) * math.log(r * (count - k + 1) / (k + 1))
                 + _stirling_tail(m) + _stirling_tail(count - m)
                 - _stirling_tail(k) - _stirling_tail(count - k))
        if v <= upper:
            return float(k)


def _binomial_plan(count: Any, prob: Any, t: type) -> tuple[str, float, float]:
    """TF's choice for one batch member, its comparisons in the parameters' dtype ``t``:
    ("const", value) or a sampler over (count, p or q) whose result is subtracted from count
    for p > 1/2."""
    dcount = float(count)
    if dcount <= 0.0 or prob <= t(0.0):
        return "const", 0.0, 0.0
    if prob >= t(1.0):
        return "const", dcount, 0.0
    if prob <= t(0.5):
        return ("btrs" if count * prob >= t(10) else "inv"), dcount, float(prob)
    if prob > t(0.5):
        q = t(1) - prob
        return ("btrs_q" if count * q >= t(10) else "inv_q"), dcount, float(q)
    return "const", math.nan, 0.0


@register_kernel("StatelessRandomBinomial")
def _binomial_kernel(op: Operation) -> Callable[..., np.ndarray]:
    no_cpu_kernel(op, ("float16", "float32", "float64"))  # of the counts and probs
    dt = np.dtype(op._attrs["dtype"]._np)

    def kernel(shape: Any, seed: Any, counts: np.ndarray, probs: np.ndarray) -> np.ndarray:
        key, counter = _key_counter(np.asarray(seed), op)
        dims, (cf, pf), per, batches = sample_layout(
            op, shape, [np.asarray(counts), np.asarray(probs)], "counts and probs")
        n = per * batches
        out = np.zeros(n, np.float64)
        if n == 0:
            return out.astype(dt).reshape(dims)
        t = cf.dtype.type
        plans = [_binomial_plan(cf[j], pf[j], t) for j in range(batches)]
        stream = PhiloxStream.at(key, counter)
        # BTRS skips 256 blocks an output, inversion 42 (TF's reservations)
        blocks: dict[int, SkippedBlocks] = {}
        with np.errstate(all="ignore"):
            for j, (kind, cnt, p) in enumerate(plans):
                if kind == "const":
                    out[j::batches] = cnt
                    continue
                stride = 256 if kind.startswith("btrs") else 42
                if stride not in blocks:
                    blocks[stride] = SkippedBlocks(stream, n, stride, 2 if stride == 256
                                                   else 4)
                sampler = _btrs if stride == 256 else _binomial_inversion
                for i in range(per):
                    # the generator's output index runs batch-major, the layout sample-major
                    v = sampler(cnt, p, _Uniforms(blocks[stride], j * per + i))
                    out[i * batches + j] = cnt - v if kind.endswith("_q") else v
        # static_cast<U>(double): integers truncate, a half converts through float (a NaN
        # probability's NaN has no integer value; TF's is undefined, here INT_MIN)
        res = out.astype(np.float32) if dt == np.float16 else out
        with np.errstate(invalid="ignore"):
            return res.astype(dt).reshape(dims)

    return kernel


NotDifferentiable("StatelessRandomBinomial")
