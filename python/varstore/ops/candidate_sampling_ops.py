"""Candidate sampling (TF's candidate_sampling_ops.py over gen_candidate_sampling_ops): the
five candidate sampler ops and ComputeAccidentalHits, with TF's argument checks, op names,
attributes, static shapes, kernels and (no) gradients.

Every sampler op takes ``true_classes`` (int64 [batch_size, num_true]) and returns TF's named
triple: ``sampled_candidates`` (int64 [num_sampled]), ``true_expected_count`` (float32
[batch_size, num_true]) and ``sampled_expected_count`` (float32 [num_sampled]). Seeds follow
TF's get_seed (the graph seed and the op seed, or the graph's op count).

The kernels are TF's (core/kernels/candidate_sampler_ops.cc over range_sampler.py): one
Philox generator per session and op, each run reading the words of a reservation of
``2048 * num_sampled`` 32-bit samples, so a seeded sampler gives TF's candidates, bit for
bit, run after run, for all five samplers; the expected counts are TF's float32 arithmetic
(range_sampler.py says how). The learned unigram sampler's weights live with the session's
kernel and grow with every batch of true classes, as in TF.

One divergence: a unique fixed-unigram draw of more candidates than the weights can ever give
(zero weights, reserved ids) makes TF's kernel loop forever; here it is an
InvalidArgumentError.
"""

from __future__ import annotations

import numbers
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import NotFoundError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.random_seed import get_seed
from varstore.ops.random_philox import PhiloxStream
from varstore.ops.range_sampler import (
    AllSampler,
    FixedUnigramSampler,
    LogUniformSampler,
    RangeSampler,
    UniformSampler,
    UnigramSampler,
)

__all__ = [
    "all_candidate_sampler",
    "compute_accidental_hits",
    "fixed_unigram_candidate_sampler",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "uniform_candidate_sampler",
]

_int64 = _dtypes.int64
_float32 = _dtypes.float32
_FLT_MAX = np.finfo(np.float32).max


# -- TF's result tuples (collections.namedtuple of the op's name, as gen_* ops return) -----------
class _Sampled(NamedTuple):
    sampled_candidates: Tensor
    true_expected_count: Tensor
    sampled_expected_count: Tensor


class UniformCandidateSampler(_Sampled):
    __slots__ = ()


class LogUniformCandidateSampler(_Sampled):
    __slots__ = ()


class LearnedUnigramCandidateSampler(_Sampled):
    __slots__ = ()


class FixedUnigramCandidateSampler(_Sampled):
    __slots__ = ()


class AllCandidateSampler(_Sampled):
    __slots__ = ()


class ComputeAccidentalHits(NamedTuple):
    indices: Tensor
    ids: Tensor
    weights: Tensor


_RESULTS: dict[str, type[_Sampled]] = {
    "UniformCandidateSampler": UniformCandidateSampler,
    "LogUniformCandidateSampler": LogUniformCandidateSampler,
    "LearnedUnigramCandidateSampler": LearnedUnigramCandidateSampler,
    "FixedUnigramCandidateSampler": FixedUnigramCandidateSampler,
    "AllCandidateSampler": AllCandidateSampler,
}


# -- attribute checks of the generated wrappers (eager/execute.py make_int ...) ------------------
def _make_int(v: Any, arg: str) -> int:
    if isinstance(v, str):
        raise TypeError(f"Expected int for argument '{arg}' not {v!r}.")
    try:
        return int(v)
    except (ValueError, TypeError):
        raise TypeError(f"Expected int for argument '{arg}' not {v!r}.") from None


def _make_bool(v: Any, arg: str) -> bool:
    if not isinstance(v, bool):
        raise TypeError(f"Expected bool for argument '{arg}' not {v!r}.")
    return v


def _make_float(v: Any, arg: str) -> float:
    if not isinstance(v, (numbers.Real, np.integer, np.floating)):
        raise TypeError(f"Expected float for argument '{arg}' not {v!r}.")
    return float(v)


def _make_str(v: Any, arg: str) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8", "surrogateescape")
    if not isinstance(v, str):
        raise TypeError(f"Expected string for argument '{arg}' not {v!r}.")
    return v


def _check_min(op_type: str, attrs: dict[str, Any], minimums: dict[str, int]) -> None:
    # op_def_library checks the attributes' minimums after converting the inputs.
    for name, low in minimums.items():
        if attrs[name] < low:
            raise ValueError(f"Attr '{name}' of '{op_type}' Op passed {attrs[name]} less than "
                             f"minimum {low}.")


def _int64_input(value: Any, op_type: str, arg: str) -> Tensor:
    """An ``int64`` input converted as op_def_library converts it (in the op's scope)."""
    if isinstance(value, Tensor) or hasattr(type(value), "_as_tensor"):
        t = convert_to_tensor(value)
        if t._dtype is not _int64:
            raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {t._dtype.name} that "
                            f"does not match expected type of int64.")
        return t
    try:
        return convert_to_tensor(value, dtype=_int64, name=arg)
    except TypeError as exc:
        raise TypeError(f"Expected int64 passed to parameter '{arg}' of op '{op_type}', got "
                        f"{value!r} of type '{type(value).__name__}' instead. Error: {exc}"
                        ) from None


def _float_text(v: float) -> str:
    """A float attribute as TF's node summary prints it (FloatToBuffer: %.6g, else %.9g)."""
    s = f"{v:.6g}"
    return s if np.float32(float(s)) == np.float32(v) else f"{v:.9g}"


def _attr_text(v: Any) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return _float_text(v)
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, list):
        return "[" + ", ".join(_attr_text(x) for x in v) + "]"
    return str(v)


def _attrs_text(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={_attr_text(attrs[k])}" for k in sorted(attrs))


# -- the sampler ops ------------------------------------------------------------------------------
def _sampler_op(op_type: str, true_classes: Any, attrs: dict[str, Any],
                minimums: dict[str, int], name: str | None) -> _Sampled:
    """The node of a candidate sampler (CandidateSamplerShapeFn: true_classes of rank 2)."""
    graph = check_same_graph(true_classes)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        tc = _int64_input(true_classes, op_type, "true_classes")
    _check_min(op_type, attrs, minimums)
    shape = tc._shape
    if shape is not None and len(shape) != 2:
        raise node_error(f"Shape must be rank 2 but is rank {len(shape)}", full, op_type,
                         _attrs_text(attrs), [tc])
    batch = None if shape is None else shape[0]
    n = attrs["num_sampled"]
    op = make_op(graph, full, op_type, [tc], attrs,
                 [(_int64, (n,)), (_float32, (batch, attrs["num_true"])), (_float32, (n,))])
    return _RESULTS[op_type](*op._outputs)


def _simple_sampler(op_type: str, true_classes: Any, num_true: Any, num_sampled: Any,
                    unique: Any, range_max: Any, seed: int | None, name: str | None
                    ) -> _Sampled:
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": _make_int(num_true, "num_true"),
             "num_sampled": _make_int(num_sampled, "num_sampled"),
             "unique": _make_bool(unique, "unique"),
             "range_max": _make_int(range_max, "range_max"),
             "seed": seed1 or 0, "seed2": seed2 or 0}
    return _sampler_op(op_type, true_classes, attrs,
                       {"num_true": 1, "num_sampled": 1, "range_max": 1}, name)


def uniform_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any,
                              unique: Any, range_max: Any, seed: int | None = None,
                              name: str | None = None) -> _Sampled:
    """``tf.random.uniform_candidate_sampler``: op UniformCandidateSampler, candidates
    uniform over [0, range_max) (distinct with ``unique``)."""
    return _simple_sampler("UniformCandidateSampler", true_classes, num_true, num_sampled,
                           unique, range_max, seed, name)


def log_uniform_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any,
                                  unique: Any, range_max: Any, seed: int | None = None,
                                  name: str | None = None) -> _Sampled:
    """``tf.random.log_uniform_candidate_sampler``: op LogUniformCandidateSampler, the Zipfian
    P(c) = log((c + 2) / (c + 1)) / log(range_max + 1)."""
    return _simple_sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled,
                           unique, range_max, seed, name)


def learned_unigram_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any,
                                      unique: Any, range_max: Any, seed: int | None = None,
                                      name: str | None = None) -> _Sampled:
    """``tf.random.learned_unigram_candidate_sampler``: op LearnedUnigramCandidateSampler;
    every class starts with weight 1 and gains 1 each time it is a true class."""
    seed1, seed2 = get_seed(seed)
    if range_max > 2147483647:
        raise ValueError(f"Value of range_max:{range_max} is too large to handle")
    attrs = {"num_true": _make_int(num_true, "num_true"),
             "num_sampled": _make_int(num_sampled, "num_sampled"),
             "unique": _make_bool(unique, "unique"),
             "range_max": _make_int(range_max, "range_max"),
             "seed": seed1 or 0, "seed2": seed2 or 0}
    return _sampler_op("LearnedUnigramCandidateSampler", true_classes, attrs,
                       {"num_true": 1, "num_sampled": 1, "range_max": 1}, name)


def fixed_unigram_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any,
                                    unique: Any, range_max: Any, vocab_file: Any = "",
                                    distortion: Any = 1.0, num_reserved_ids: Any = 0,
                                    num_shards: Any = 1, shard: Any = 0,
                                    unigrams: Any = (), seed: int | None = None,
                                    name: str | None = None) -> _Sampled:
    """``tf.random.fixed_unigram_candidate_sampler``: op FixedUnigramCandidateSampler over
    the weights ``unigrams`` (or the last CSV field of each line of ``vocab_file``), each
    raised to ``distortion``, after ``num_reserved_ids`` ids of weight 0, keeping the ids
    ``i % num_shards == shard``. The weights are read when a session first runs the op."""
    seed1, seed2 = get_seed(seed)
    attrs: dict[str, Any] = {
        "num_true": _make_int(num_true, "num_true"),
        "num_sampled": _make_int(num_sampled, "num_sampled"),
        "unique": _make_bool(unique, "unique"),
        "range_max": _make_int(range_max, "range_max"),
        "vocab_file": _make_str("" if vocab_file is None else vocab_file, "vocab_file"),
        "distortion": _make_float(1 if distortion is None else distortion, "distortion"),
        "num_reserved_ids": _make_int(0 if num_reserved_ids is None else num_reserved_ids,
                                      "num_reserved_ids"),
        "num_shards": _make_int(1 if num_shards is None else num_shards, "num_shards"),
        "shard": _make_int(0 if shard is None else shard, "shard"),
    }
    if unigrams is None:
        unigrams = []
    if not isinstance(unigrams, (list, tuple)):
        raise TypeError("Expected list for 'unigrams' argument to "
                        f"'fixed_unigram_candidate_sampler' Op, not {unigrams!r}.")
    # A list(float) attribute holds float32 values.
    attrs["unigrams"] = [float(np.float32(_make_float(u, "unigrams"))) for u in unigrams]
    attrs["distortion"] = float(np.float32(attrs["distortion"]))
    attrs["seed"] = seed1 or 0
    attrs["seed2"] = seed2 or 0
    return _sampler_op("FixedUnigramCandidateSampler", true_classes, attrs,
                       {"num_true": 1, "num_sampled": 1, "range_max": 1, "num_shards": 1,
                        "shard": 0}, name)


def all_candidate_sampler(true_classes: Any, num_true: Any, num_sampled: Any, unique: Any,
                          seed: int | None = None, name: str | None = None) -> _Sampled:
    """``tf.random.all_candidate_sampler``: op AllCandidateSampler, the candidates
    0 .. num_sampled - 1, each with expected count 1 (a test of all classes)."""
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": _make_int(num_true, "num_true"),
             "num_sampled": _make_int(num_sampled, "num_sampled"),
             "unique": _make_bool(unique, "unique"),
             "seed": seed1 or 0, "seed2": seed2 or 0}
    return _sampler_op("AllCandidateSampler", true_classes, attrs,
                       {"num_true": 1, "num_sampled": 1}, name)


# -- the sampler kernels --------------------------------------------------------------------------
def _make_sampler(op: Operation) -> RangeSampler:
    """The op's RangeSampler, made as TF's kernel constructor makes it (errors included)."""
    a = op._attrs
    t = op._type
    if t == "UniformCandidateSampler":
        return UniformSampler(a["range_max"])
    if t == "LogUniformCandidateSampler":
        return LogUniformSampler(a["range_max"])
    if t == "LearnedUnigramCandidateSampler":
        return UnigramSampler(a["range_max"])
    if t == "AllCandidateSampler":
        return AllSampler(a["num_sampled"])
    vocab, unigrams = a["vocab_file"], a["unigrams"]
    if not vocab and not unigrams:
        raise ValueError("Must provide either vocab_file or unigrams.")
    if vocab and unigrams:
        raise ValueError("Must only provide one of vocab_file and unigrams.")
    try:
        return FixedUnigramSampler(a["range_max"], a["distortion"], a["num_reserved_ids"],
                                   a["num_shards"], a["shard"], unigrams, vocab or None)
    except FileNotFoundError as exc:
        raise NotFoundError(None, None, str(exc)) from None


class _SamplerState:
    """A session's kernel of one sampler op: its generator and its (lazily made) sampler."""

    __slots__ = ("lock", "sampler", "stream")

    def __init__(self, op: Operation) -> None:
        self.stream = PhiloxStream(int(op._attrs["seed"]), int(op._attrs["seed2"]))
        self.sampler: RangeSampler | None = None
        self.lock = threading.Lock()


def _sampler_kernel(op: Operation, ctx: RunContext) -> Callable[[np.ndarray], Any]:
    state: _SamplerState = ctx.op_state(op, lambda: _SamplerState(op))
    num_true = int(op._attrs["num_true"])
    num_sampled = int(op._attrs["num_sampled"])
    unique = bool(op._attrs["unique"])

    def kernel(true_classes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        tc = np.asarray(true_classes)
        if tc.ndim != 2:
            raise ValueError("true_classes must be a matrix")
        if tc.shape[1] != num_true:
            # (TF's message names the two numbers the other way round.)
            raise ValueError(f"true_classes must have num_true columns, expected: "
                             f"{tc.shape[1]} was: {num_true}")
        with state.lock:
            if state.sampler is None:
                state.sampler = _make_sampler(op)
            sampler = state.sampler
        if unique and num_sampled > sampler.range:
            raise ValueError("Sampler's range is too small.")
        flat = tc.reshape(-1).astype(np.int64)
        bad = np.flatnonzero((flat < 0) | (flat >= sampler.range))
        if bad.size:
            raise ValueError(f"`true_candidate` out of range [0, {sampler.range}), received "
                             f"{int(flat[bad[0]])}")
        if unique and isinstance(sampler, FixedUnigramSampler) \
                and sampler.distinct_values() < num_sampled:
            raise ValueError(f"Cannot draw {num_sampled} unique candidates: the unigram "
                             f"weights give only {sampler.distinct_values()} distinct values "
                             "(TF's kernel would never return)")
        # TF reserves 2048 words a candidate; rejections read on past them.
        rnd = state.stream.reserve_samples32(2048 * num_sampled)
        with state.lock:
            batch, batch_count, true_count = sampler.sample_batch(rnd, unique, num_sampled,
                                                                  flat)
            if sampler.needs_updates:
                sampler.update(flat)
        return batch, true_count.reshape(tc.shape), batch_count

    return kernel


for _t in _RESULTS:
    register_kernel(_t, stateful=True)(_sampler_kernel)
    NotDifferentiable(_t)


# -- ComputeAccidentalHits ------------------------------------------------------------------------
def compute_accidental_hits(true_classes: Any, sampled_candidates: Any, num_true: Any,
                            seed: int | None = None, name: str | None = None
                            ) -> ComputeAccidentalHits:
    """``tf.nn.compute_accidental_hits``: op ComputeAccidentalHits, the (row, position)
    pairs where a sampled candidate equals one of the row's true classes, each with weight
    -FLT_MAX (to add to the sampled logits). It draws nothing but takes seeds, as in TF."""
    seed1, seed2 = get_seed(seed)
    op_type = "ComputeAccidentalHits"
    attrs = {"num_true": _make_int(num_true, "num_true"), "seed": seed1 or 0,
             "seed2": seed2 or 0}
    graph = check_same_graph(true_classes, sampled_candidates)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        tc = _int64_input(true_classes, op_type, "true_classes")
        sc = _int64_input(sampled_candidates, op_type, "sampled_candidates")
    ts, ss = tc._shape, sc._shape
    if ts is not None:
        if len(ts) != 2:
            raise node_error(f"Shape must be rank 2 but is rank {len(ts)}", full, op_type,
                             _attrs_text(attrs), [tc, sc])
        if ts[1] is not None and ts[1] != attrs["num_true"]:
            raise node_error(f"Dimension must be {attrs['num_true']} but is {ts[1]}", full,
                             op_type, _attrs_text(attrs), [tc, sc])
    if ss is not None and len(ss) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(ss)}", full, op_type,
                         _attrs_text(attrs), [tc, sc])
    op = make_op(graph, full, op_type, [tc, sc], attrs,
                 [(_dtypes.int32, (None,)), (_int64, (None,)), (_float32, (None,))])
    return ComputeAccidentalHits(*op._outputs)


@register_kernel("ComputeAccidentalHits")
def _accidental_hits_kernel(op: Operation) -> Callable[..., Any]:
    num_true = int(op._attrs["num_true"])

    def kernel(true_classes: np.ndarray, sampled: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        tc = np.asarray(true_classes)
        if tc.ndim != 2 or tc.shape[1] != num_true:
            raise ValueError("true_candidates must be a batch_size * num_true matrix")
        sv = np.asarray(sampled)
        if sv.ndim != 1:
            raise ValueError("sampled_candidates must be a vector, which is typically an "
                             "output from CandidateSampler")
        # A candidate sampled twice maps to its last position (TF's hash map is overwritten).
        pos = {int(c): i for i, c in enumerate(sv.tolist())}
        indices: list[int] = []
        ids: list[int] = []
        for i, row in enumerate(tc.tolist()):
            for c in row:
                p = pos.get(int(c))
                if p is not None:
                    indices.append(i)
                    ids.append(p)
        n = len(indices)
        return (np.asarray(indices, np.int32).reshape(n), np.asarray(ids, np.int64).reshape(n),
                np.full(n, -_FLT_MAX, np.float32))

    return kernel


NotDifferentiable("ComputeAccidentalHits")


builders.register(globals(), __all__)
