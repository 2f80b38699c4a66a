"""TF's stateless random ops, as TF 2's initializers (tf-keras, so tf.layers) put them in
graphs: StatelessRandomGetKeyCounter turns a seed into a Philox key and counter, and
StatelessRandomUniformV2 / NormalV2 / TruncatedNormalV2 / UniformIntV2 draw from them; the
V1 ops (StatelessRandomUniform ...) take the seed directly. The same seed gives the same
values on every run, TF's bit for bit (random_philox.py).

Graphs TF wrote (``tf.import_graph_def``, ``import_meta_graph``) run them, and
``tf.random.stateless_uniform / stateless_normal / stateless_truncated_normal`` build them as
TF's stateless_random_ops.py does (algorithm "auto_select", which is Philox on a CPU);
varstore's own initializers draw with the stateful ops.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import (
    constant_value,
    constant_value_as_shape,
    convert_index,
    convert_to_tensor,
)
from varstore.framework.op_def_library import check_allowed, check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import shape_str
from varstore.ops.math_ops import add
from varstore.ops.random_philox import PhiloxStream, _philox

__all__ = ["stateless_random_normal", "stateless_random_uniform", "stateless_truncated_normal"]

_PHILOX = 1  # TF's RNG_ALG_PHILOX
_THREEFRY = 2  # RNG_ALG_THREEFRY: no CPU kernel
_AUTO_SELECT = 3  # RNG_ALG_AUTO_SELECT: Philox on a CPU
_MASK = (1 << 64) - 1


def _key_counter(seed: np.ndarray, op: Operation) -> tuple[int, int]:
    """TF's GenerateKey: the seed pair scrambled by one Philox round (key, 128-bit counter)."""
    if seed.shape != (2,):
        raise InvalidArgumentError(None, op, "seed must have shape [2], not "
                                   f"[{','.join(map(str, seed.shape))}]")
    s0, s1 = (int(v) & _MASK for v in seed.reshape(-1))  # (an int32 seed sign-extends)
    words = np.array([[s0 & 0xFFFFFFFF, s0 >> 32, s1 & 0xFFFFFFFF, s1 >> 32]], np.uint64)
    mix = [int(w) for w in _philox(words, (0x3EC8F720, 0x02461E29))[0]]
    key = mix[0] | (mix[1] << 32)
    counter = (mix[2] << 64) | (mix[3] << 96)  # words 0 and 1 are zero
    return key, counter


@register_kernel("StatelessRandomGetKeyCounter")
def _get_key_counter_kernel(op: Operation) -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    def get(seed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        key, counter = _key_counter(np.asarray(seed), op)
        return (np.array([key], np.uint64),
                np.array([counter & _MASK, counter >> 64], np.uint64))

    return get


@register_kernel("StatelessRandomGetKeyCounterAlg")
def _get_key_counter_alg_kernel(op: Operation) -> Callable[..., tuple[np.ndarray, ...]]:
    get = _get_key_counter_kernel(op)

    def get_alg(seed: np.ndarray) -> tuple[np.ndarray, ...]:
        return (*get(seed), np.array(_PHILOX, np.int32))

    return get_alg


@register_kernel("StatelessRandomGetAlg")
def _get_alg_kernel(op: Operation) -> Callable[[], np.ndarray]:
    return lambda: np.array(_PHILOX, np.int32)


def _dims(op: Operation, shape: Any) -> list[int]:
    dims = [int(d) for d in np.reshape(np.asarray(shape), -1)]
    if any(d < 0 for d in dims):
        raise InvalidArgumentError(None, op, f"Dimension {min(dims)} must be >= 0")
    return dims


def _stream(op: Operation, key: np.ndarray, counter: np.ndarray, alg: Any) -> PhiloxStream:
    """GetKeyCounterAlgFromInputs and the Philox fill's algorithm check: auto_select is
    Philox on a CPU, ThreeFry has no CPU kernel."""
    a = np.asarray(alg)
    if a.ndim != 0:
        raise InvalidArgumentError(None, op, "input 3 (0-based) must have shape [], not "
                                   f"{shape_str(a.shape)}")
    alg_id = _PHILOX if int(a) == _AUTO_SELECT else int(a)
    k = np.asarray(key, np.uint64)
    c = np.asarray(counter, np.uint64)
    if k.shape != (1,):
        raise InvalidArgumentError(None, op, f"key must have shape [1], not "
                                   f"{shape_str(k.shape)}. (Note that batched keys are not "
                                   "supported yet.)")
    if c.ndim != 1 or c.shape[0] < 2:
        raise InvalidArgumentError(None, op, "counter must be a vector with length at least "
                                   f"2; got shape: {shape_str(c.shape)}. (Note that batched "
                                   "counters are not supported yet.)")
    if alg_id != _PHILOX:
        raise InvalidArgumentError(None, op, f"Unsupported algorithm id: {alg_id}")
    return PhiloxStream.at(int(k[0]), int(c[0]) | (int(c[1]) << 64))


_DRAWS: dict[str, Callable[[PhiloxStream, int, np.dtype], np.ndarray]] = {
    "Uniform": lambda st, n, dt: st.uniform(n, dt),
    "Normal": lambda st, n, dt: st.normal(n, dt),
    "TruncatedNormal": lambda st, n, dt: st.truncated_normal(n, dt),
}


def _v2_factory(kind: str) -> Callable[[Operation], Callable[..., np.ndarray]]:
    draw = _DRAWS[kind]

    def factory(op: Operation) -> Callable[..., np.ndarray]:
        dt = np.dtype(op._attrs["dtype"]._np)

        def kernel(shape: Any, key: Any, counter: Any, alg: Any) -> np.ndarray:
            dims = _dims(op, shape)
            n = int(np.prod(dims, dtype=np.int64))
            return draw(_stream(op, key, counter, alg), n, dt).astype(
                dt, copy=False).reshape(dims)

        return kernel

    return factory


def _v1_factory(kind: str) -> Callable[[Operation], Callable[..., np.ndarray]]:
    draw = _DRAWS[kind]

    def factory(op: Operation) -> Callable[..., np.ndarray]:
        dt = np.dtype(op._attrs["dtype"]._np)

        def kernel(shape: Any, seed: Any) -> np.ndarray:
            dims = _dims(op, shape)
            n = int(np.prod(dims, dtype=np.int64))
            key, counter = _key_counter(np.asarray(seed), op)
            return draw(PhiloxStream.at(key, counter), n, dt).astype(
                dt, copy=False).reshape(dims)

        return kernel

    return factory


for _kind, _v2, _v1 in (("Uniform", "StatelessRandomUniformV2", "StatelessRandomUniform"),
                        ("Normal", "StatelessRandomNormalV2", "StatelessRandomNormal"),
                        ("TruncatedNormal", "StatelessTruncatedNormalV2",
                         "StatelessTruncatedNormal")):
    register_kernel(_v2)(_v2_factory(_kind))
    register_kernel(_v1)(_v1_factory(_kind))
    NotDifferentiable(_v2)
    NotDifferentiable(_v1)


@register_kernel("StatelessRandomUniformIntV2")
def _uniform_int_kernel(op: Operation) -> Callable[..., np.ndarray]:
    dt = np.dtype(op._attrs["dtype"]._np)

    def kernel(shape: Any, key: Any, counter: Any, alg: Any, lo: Any, hi: Any) -> np.ndarray:
        dims = _dims(op, shape)
        low, high = int(lo), int(hi)
        if low >= high:
            raise InvalidArgumentError(None, op, f"Need minval < maxval, got {low} >= {high}")
        n = int(np.prod(dims, dtype=np.int64))
        return _stream(op, key, counter, alg).uniform_int(n, low, high, dt).reshape(dims)

    return kernel


for _t in ("StatelessRandomGetKeyCounter", "StatelessRandomGetKeyCounterAlg",
           "StatelessRandomGetAlg", "StatelessRandomUniformIntV2"):
    NotDifferentiable(_t)


# -- the Python API (TF's stateless_random_ops.py) -------------------------------------------------
def _alg(alg: Any) -> int:
    """TF's convert_alg_to_int and its unsupported-algorithm errors: 1 (Philox), 2 (ThreeFry)
    or 3 (auto_select, which is Philox on a CPU)."""
    if alg is None:
        return _AUTO_SELECT
    if isinstance(alg, str):
        canon = alg.strip().lower().replace("-", "").replace("_", "")
        if canon == "autoselect":
            return _AUTO_SELECT
        if canon not in ("philox", "threefry"):
            raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values "
                             "are philox for the Philox algorithm, threefry for the ThreeFry "
                             "algorithm, and auto_select for auto-selection.")
    elif isinstance(alg, int):
        if alg == _AUTO_SELECT:
            return alg
        if alg not in (1, 2):
            raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values "
                             "are 1 for the Philox algorithm, 2 for the ThreeFry algorithm, "
                             "and 3 for auto-selection.")
        return alg
    elif isinstance(alg, Tensor):
        # TF passes a tensor on to the ops, choosing the key and counter by its value
        raise NotImplementedError("varstore lacks a tensor `alg` for the stateless "
                                  "samplers; pass the algorithm's name or number")
    else:
        raise TypeError(f"Can't convert argument `alg` (of value {alg} and type "
                        f"{type(alg)}) to int.")
    return _PHILOX if canon == "philox" else _THREEFRY


def _shape(shape: Any) -> Tensor:
    """TF's shape_util.shape_tensor: an int32 ``shape`` unless a tensor says otherwise."""
    return convert_index(shape, name="shape")


def _seed_arg(seed: Any) -> Tensor:
    """The seed input of a seed-taking op, converted as TF's op_def_library converts it: its
    natural dtype (a Python list of small ints is int32), which must be int32 or int64."""
    sd = convert_to_tensor(seed, name="seed")
    check_allowed(sd._dtype, "int32, int64", "seed")
    return sd


def _check_seed_shape(full: str, op_type: str, attrs: dict[str, Any],
                      inputs: list[Tensor], at: int = 1) -> None:
    """The seed rule of the shape functions of the ops taking a seed (``inputs[at]``):
    rank 1 with 2 elements."""
    dims = inputs[at]._shape
    if dims is None:
        return
    text = ", ".join(f"{k}={dt_enum(v)}" for k, v in sorted(attrs.items()))
    if len(dims) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(dims)}", full, op_type, text,
                         inputs)
    if dims[0] is not None and dims[0] != 2:
        raise node_error(f"Dimension must be 2 but is {dims[0]}", full, op_type, text, inputs)


def shape_of(s: Tensor) -> tuple[int | None, ...] | None:
    """MakeShapeFromShapeTensor: the static shape a shape tensor gives (-1 unknown); a
    constant below -1 is TF's build error."""
    cv = constant_value(s)
    if cv is not None:
        for v in np.reshape(np.asarray(cv), -1).tolist():
            if v < -1:
                raise ValueError(f"Invalid value in tensor used for shape: {v}")
    out: tuple[int | None, ...] | None = constant_value_as_shape(s)
    return out


def _draw(op_type: str, shape: Tensor, seed: Any, dt: Any, alg: Any,
          extra: list[Tensor] | None = None, name: str | None = None) -> Tensor:
    """StatelessRandomGetKeyCounter(seed) feeding ``op_type``(shape, key, counter, alg, ...),
    with TF's op names in the current name scope."""
    a = _alg(alg)
    graph = check_same_graph(shape, seed)
    s = shape
    if a == _AUTO_SELECT:
        kc_name = graph._op_name(None, "StatelessRandomGetKeyCounter")
        with scope_of(graph, kc_name):
            sd = _seed_arg(seed)
        _check_seed_shape(kc_name, "StatelessRandomGetKeyCounter", {"Tseed": sd._dtype},
                          [sd], 0)
        kc = make_op(graph, kc_name, "StatelessRandomGetKeyCounter", [sd],
                     {"Tseed": sd._dtype}, [(_dtypes.uint64, (1,)), (_dtypes.uint64, (2,))])
        key, counter = kc._outputs
    else:
        # an explicit algorithm: TF computes the key and counter in the graph
        from varstore.ops.stateless_random_extra_ops import philox_key_counter, threefry_key_counter

        key, counter = (philox_key_counter if a == _PHILOX else threefry_key_counter)(seed)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        alg_t = convert_to_tensor(a, dtype=_dtypes.int32, name="alg")
    return make_op(graph, full, op_type, [s, key, counter, alg_t]
                   + (extra or []), {"dtype": dt, "Tshape": s._dtype},
                   [(dt, shape_of(s))])._outputs[0]


_FLOATS = ("float16", "bfloat16", "float32", "float64")


def _float_dtype(dtype: Any) -> Any:
    dt = _dtypes.as_dtype(dtype)
    if dt.name not in _FLOATS:
        raise TypeError(f"Value passed to parameter 'dtype' has DataType {dt.name} not in list "
                        "of allowed values: float16, bfloat16, float32, float64")
    return dt


def stateless_random_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                            dtype: Any = _dtypes.float32, name: str | None = None,
                            alg: Any = "auto_select") -> Tensor:
    """``tf.random.stateless_normal``: StatelessRandomNormalV2 scaled and shifted; the same
    ``seed`` (shape [2]) gives the same values, TF's."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape, seed, mean, stddev)
    with graph.name_scope(name or "stateless_random_normal") as scope:
        s = _shape(shape)
        m = convert_to_tensor(mean, dtype=dt, name="mean")
        sd = convert_to_tensor(stddev, dtype=dt, name="stddev")
        _float_dtype(dt)  # after the conversions, as TF's op checks it
        rnd = _draw("StatelessRandomNormalV2", s, seed, dt, alg)
        return add(rnd * sd, m, name=scope)


def stateless_truncated_normal(shape: Any, seed: Any, mean: Any = 0.0, stddev: Any = 1.0,
                               dtype: Any = _dtypes.float32, name: str | None = None,
                               alg: Any = "auto_select") -> Tensor:
    """``tf.random.stateless_truncated_normal``: StatelessTruncatedNormalV2 (redrawn beyond
    two standard deviations) scaled and shifted."""
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape, seed, mean, stddev)
    with graph.name_scope(name or "stateless_truncated_normal") as scope:
        s = _shape(shape)
        m = convert_to_tensor(mean, dtype=dt, name="mean")
        sd = convert_to_tensor(stddev, dtype=dt, name="stddev")
        _float_dtype(dt)  # after the conversions, as TF's op checks it
        rnd = _draw("StatelessTruncatedNormalV2", s, seed, dt, alg)
        return add(rnd * sd, m, name=scope)


def stateless_random_uniform(shape: Any, seed: Any, minval: Any = 0, maxval: Any = None,
                             dtype: Any = _dtypes.float32, name: str | None = None,
                             alg: Any = "auto_select") -> Tensor:
    """``tf.random.stateless_uniform``: floats in [minval, maxval) from
    StatelessRandomUniformV2, integers from StatelessRandomUniformIntV2, or with both bounds
    None full-range integers from StatelessRandomUniformFullIntV2
    (stateless_random_extra_ops.py)."""
    dt = _dtypes.as_dtype(dtype)
    accepted = (*_FLOATS, "int32", "int64", "uint32", "uint64")
    if dt.name not in accepted:
        # TF prints its tuple of DTypes (bfloat16 among them, which varstore lacks)
        names = ", ".join(f"tf.{n}" for n in accepted)
        raise ValueError(f"Argument `dtype` got invalid value {dt}. Accepted dtypes are "
                         f"({names}).")
    if dt.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError(f"For integer `dtype` argument {dt}, argument `minval` and "
                             "`maxval` must be both None or not None. Got `minval`="
                             f"{minval} and `maxval`={maxval}.")
        if minval is not None and dt.name in ("uint32", "uint64"):
            raise ValueError(f"Argument `dtype` got invalid value {dt} when argument "
                             "`minval` is not None. Please don't use unsigned integers in "
                             "this case.")
    elif maxval is None:
        maxval = 1
    graph = check_same_graph(shape, seed, minval, maxval)
    with graph.name_scope(name or "stateless_random_uniform") as scope:
        s = _shape(shape)
        if dt.is_integer and minval is None:
            from varstore.ops.stateless_random_extra_ops import full_int_draw

            return full_int_draw(s, seed, dt, alg, scope)
        lo = convert_to_tensor(minval, dtype=dt, name="min")
        hi = convert_to_tensor(maxval, dtype=dt, name="max")
        if dt.is_integer:
            # TF names the integer draw itself after the scope
            return _draw("StatelessRandomUniformIntV2", s, seed, dt, alg, [lo, hi],
                         name=scope)
        rnd = _draw("StatelessRandomUniformV2", s, seed, dt, alg)
        return add(rnd * (hi - lo), lo, name=scope)


def stateless_multinomial(logits: Any, num_samples: Any, seed: Any,
                          output_dtype: Any = None, name: str | None = None) -> Any:
    """TF's gen_stateless_random_ops.stateless_multinomial (tf.random.stateless_categorical
    and sample_from_datasets draw with it): ``num_samples`` class indices per row of the
    2-D ``logits``, the same for the same seed."""
    graph = check_same_graph(logits, num_samples, seed)
    op_type = "StatelessMultinomial"
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        lg = convert_to_tensor(logits, name="logits")
        check_allowed(lg._dtype, _LOGIT_TYPES, "logits")
        n = _int32_arg(num_samples, op_type)
        sd = _seed_arg(seed)
    out_dt = _dtypes.int64 if output_dtype is None else _dtypes.as_dtype(output_dtype)
    check_allowed(out_dt, "int32, int64", "output_dtype")
    attrs = {"T": lg._dtype, "Tseed": sd._dtype, "output_dtype": out_dt}
    inputs = [lg, n, sd]
    text = ", ".join(f"{k}={dt_enum(v)}" for k, v in sorted(attrs.items()))
    _check_seed_shape(full, op_type, attrs, inputs, 2)
    for t, rank in ((lg, 2), (n, 0)):
        if t._shape is not None and len(t._shape) != rank:
            raise node_error(f"Shape must be rank {rank} but is rank {len(t._shape)}", full,
                             op_type, text, inputs)
    rows = lg._shape[0] if lg._shape is not None else None
    k = constant_value(n)
    if k is not None and int(k) < 0:
        raise node_error("Dimension size, given by scalar input 1, must be non-negative but "
                         f"is {int(k)}", full, op_type, text, inputs)
    op = make_op(graph, full, op_type, inputs, attrs,
                 [(out_dt, (rows, None if k is None else int(k)))])
    return op._outputs[0]


_LOGIT_TYPES = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, "
                "float16, uint32, uint64")


def _int32_arg(value: Any, op_type: str) -> Tensor:
    """An int32 input (TF's 'Expected int32 passed to parameter ...' for a Python value of
    another type)."""
    if isinstance(value, Tensor):
        return value
    try:
        return convert_to_tensor(value, dtype=_dtypes.int32, name="num_samples")
    except TypeError as e:
        raise TypeError(f"Expected int32 passed to parameter 'num_samples' of op '{op_type}', "
                        f"got {value!r} of type '{type(value).__name__}' instead. Error: "
                        f"{e}") from None


def no_cpu_kernel(op: Operation, types: tuple[str, ...], attr: str = "T") -> None:
    """TF registers the CPU kernel of some random ops for a few dtypes only (the op's
    ``attr`` in ``types``): for another, the session fails as TF's does."""
    if op._attrs[attr].name not in types:
        attrs = ", ".join(f"{k}={dt_enum(v)}" for k, v in sorted(op._attrs.items())
                          if isinstance(v, _dtypes.DType))
        raise InvalidArgumentError(None, op, "No OpKernel was registered to support Op "
                                   f"'{op._type}' used by {{{{node {op._name}}}}} with these "
                                   f"attrs: [{attrs}]")


_FLOAT_KERNELS = ("float16", "bfloat16", "float32", "float64")


@register_kernel("StatelessMultinomial")
def _multinomial_kernel(op: Operation) -> Callable[..., np.ndarray]:
    no_cpu_kernel(op, _FLOAT_KERNELS)
    out_np = op._attrs["output_dtype"]._np

    def kernel(logits: np.ndarray, num_samples: np.ndarray, seed: np.ndarray) -> np.ndarray:
        key, counter = _key_counter(np.asarray(seed), op)
        lg, ns = np.asarray(logits), np.asarray(num_samples)
        if lg.ndim != 2:
            raise InvalidArgumentError(None, op, "logits should be a matrix, got shape "
                                       f"{shape_str(lg.shape)}")
        if ns.ndim != 0:
            raise InvalidArgumentError(None, op, "num_samples should be a scalar, got shape "
                                       f"{shape_str(ns.shape)}")
        k = int(ns)
        if k < 0:
            raise InvalidArgumentError(None, op, f"num_samples should be non-negative, got {k}")
        if lg.shape[1] == 0:
            raise InvalidArgumentError(None, op, "num_classes should be positive, got 0")
        if lg.shape[0] * k == 0:
            return np.zeros((lg.shape[0], k), out_np)
        stream = PhiloxStream.at(key, counter)
        return stream.multinomial(lg, k).astype(out_np)

    return kernel


NotDifferentiable("StatelessMultinomial")
