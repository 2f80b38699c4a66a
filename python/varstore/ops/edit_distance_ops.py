"""``tf.edit_distance``: op ``EditDistance`` (TF's array_ops.edit_distance over
tensorflow/core/kernels/edit_distance_op.cc), the Levenshtein distance between the sequences
of two SparseTensors, grouped by all but their last index column. Not differentiable, as in
TF (it is used to evaluate CTC decoders and seq2seq models, not to train them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import NotDifferentiable, Operation, Tensor, make_op, register_kernel
from varstore.framework.sparse_tensor import SparseTensor, SparseTensorValue
from varstore.framework.sparse_tensor import convert_to_tensor_or_sparse_tensor as _to_sparse

__all__ = ["edit_distance"]


def edit_distance(hypothesis: Any, truth: Any, normalize: bool = True,
                  name: str = "edit_distance") -> Tensor:
    """The Levenshtein distances (float32, rank R-1) between the variable-length sequences
    in ``hypothesis`` and ``truth`` (SparseTensors of rank R); with ``normalize``, divided
    by the truth's length (inf where the truth is empty and the hypothesis is not)."""
    if not isinstance(hypothesis, (SparseTensor, SparseTensorValue)):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, (SparseTensor, SparseTensorValue)):
        raise TypeError("Truth must be a SparseTensor.")
    hyp, tru = _to_sparse(hypothesis), _to_sparse(truth)
    if hyp.values.dtype is not tru.values.dtype:
        raise TypeError(f"Input 'truth_values' of 'EditDistance' Op has type "
                        f"{tru.values.dtype.name} that does not match type "
                        f"{hyp.values.dtype.name} of argument 'hypothesis_values'.")
    inputs = [hyp.indices, hyp.values, hyp.dense_shape, tru.indices, tru.values,
              tru.dense_shape]
    graph = check_same_graph(*inputs)
    # TF's shape function: known only when both dense shapes are constants
    shape: tuple[int | None, ...] | None = None
    hs, ts = constant_value(hyp.dense_shape), constant_value(tru.dense_shape)
    if hs is not None and ts is not None and len(hs) == len(ts):
        shape = tuple(int(max(a, b)) for a, b in zip(hs[:-1], ts[:-1]))
    full = graph._op_name(name, "EditDistance")
    return make_op(graph, full, "EditDistance", inputs,
                   {"normalize": bool(normalize), "T": hyp.values.dtype},
                   [(_dtypes.float32, shape)])._outputs[0]


def _dbg(a: np.ndarray) -> str:
    return "[" + ",".join(str(d) for d in a.shape) + "]"


def _validate(hi: np.ndarray, hv: np.ndarray, hs: np.ndarray, ti: np.ndarray,
              tv: np.ndarray, ts: np.ndarray) -> None:
    """edit_distance_op.cc's ValidateShapes, message for message."""
    for what, arr, rank in (("hypothesis_indices", hi, 2), ("truth_indices", ti, 2),
                            ("hypothesis_values", hv, 1), ("truth_values", tv, 1),
                            ("hypothesis_shape", hs, 1), ("truth_shape", ts, 1)):
        if arr.ndim != rank:
            kind = "matrix" if rank == 2 else "vector"
            raise InvalidArgumentError(None, None,
                                       f"{what} should be a {kind}, but got shape: {_dbg(arr)}")
    if hs.size != hi.shape[1]:
        raise InvalidArgumentError(None, None, "Expected hypothesis_shape.NumElements == "
                                   "#cols(hypothesis_indices), their shapes are: "
                                   f"{_dbg(hs)} and {_dbg(hi)}")
    if ts.size < 2:
        raise InvalidArgumentError(None, None, "Input SparseTensors must have rank at least 2, "
                                   f"but truth_shape rank is: {ts.size}")
    if ts.size != ti.shape[1]:
        raise InvalidArgumentError(None, None, "Expected truth_shape.NumElements == "
                                   "#cols(truth_indices), their shapes are: "
                                   f"{_dbg(ts)} and {_dbg(ti)}")
    if ts.size != hs.size:
        raise InvalidArgumentError(None, None, "Expected truth and hypothesis to have matching "
                                   f"ranks, but their shapes are: {_dbg(ts)} and {_dbg(hs)}")


def _groups(indices: np.ndarray, values: np.ndarray, shape: np.ndarray, what: str
            ) -> dict[tuple[int, ...], list[Any]]:
    """The sequences keyed by their group index, in the SparseTensor's order (TF reorders
    the inputs lexicographically first, so the order of entries does not matter)."""
    order = np.lexsort(indices.T[::-1]) if len(indices) else np.arange(0)
    out: dict[tuple[int, ...], list[Any]] = {}
    for i in order:
        idx = indices[i]
        if np.any(idx < 0) or np.any(idx >= shape):
            raise InvalidArgumentError(None, None, f"Invalid {what} index: "
                                       f"[{','.join(str(int(d)) for d in idx)}] is out of "
                                       f"bounds for shape [{','.join(str(int(d)) for d in shape)}]")
        out.setdefault(tuple(int(d) for d in idx[:-1]), []).append(values[i])
    return out


def _levenshtein(a: list[Any], b: list[Any]) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y))
        prev = cur
    return prev[-1]


@register_kernel("EditDistance")
def _edit_distance_kernel(op: Operation) -> Callable[..., Any]:
    normalize = bool(op._attrs["normalize"])

    def kernel(hi: np.ndarray, hv: np.ndarray, hs: np.ndarray, ti: np.ndarray, tv: np.ndarray,
               ts: np.ndarray) -> np.ndarray:
        _validate(hi, hv, hs, ti, tv, ts)
        out_shape = tuple(int(max(a, b)) for a, b in zip(hs[:-1], ts[:-1]))
        out = np.zeros(out_shape, np.float32)
        hyp = _groups(hi, hv, hs, "hypothesis")
        tru = _groups(ti, tv, ts, "truth")
        for key in set(hyp) | set(tru):
            h, t = hyp.get(key), tru.get(key)
            if h is not None and t is not None:
                d = float(_levenshtein(h, t))
                out[key] = d / len(t) if normalize else d
            elif h is not None:  # no truth: TF's infinity when normalizing
                out[key] = np.inf if normalize else len(h)
            elif t is not None:  # no hypothesis: every truth token is deleted
                out[key] = 1.0 if normalize else len(t)
        return out

    return kernel


NotDifferentiable("EditDistance")
