"""``tf.io.parse_single_sequence_example`` (TF's parsing_ops.py): one
``ParseSequenceExampleV2`` op over a serialized ``tf.train.SequenceExample``.

Context features are FixedLenFeature / VarLenFeature (as in parse_single_example); feature
lists are FixedLenSequenceFeature (a dense ``[steps] + shape`` tensor; with allow_missing a
missing list is empty) or VarLenFeature (a SparseTensor indexed [step, position]).
RaggedFeature and the batched parse_sequence_example are not implemented.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph
from varstore.framework.ops import NotDifferentiable, Operation, make_op, register_kernel, scope_of
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import TensorShape, as_shape
from varstore.ops.parsing_ops import (
    _ALLOWED,
    _KIND,
    _TF_TYPE,
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    _array,
    _values,
)

__all__ = ["parse_single_sequence_example"]


def _split(features: Any, sequence: bool) -> tuple[list[str], list[Any], list[str], list[Any]]:
    sparse_keys: list[str] = []
    sparse_types: list[Any] = []
    dense_keys: list[str] = []
    dense: list[Any] = []
    for key in sorted(features or {}):
        f = features[key]
        if isinstance(f, VarLenFeature):
            sparse_keys.append(key)
            sparse_types.append(_dtypes.as_dtype(f.dtype))
        elif isinstance(f, FixedLenSequenceFeature if sequence else FixedLenFeature):
            shape = as_shape(f.shape)
            if shape.ndims is None or any(d is None for d in shape.as_list()):
                raise ValueError(f"varstore lacks feature shapes with unknown dimensions "
                                 f"({key}: {f.shape})")
            if sequence and f.default_value is not None:
                raise ValueError(f"Value feature_list.dense_defaults[{key}] must be None")
            dense_keys.append(key)
            dense.append(f)
        else:
            raise ValueError(f"Unsupported {type(f).__name__} {f}.")  # noqa: TRY004 - TF's
    return sparse_keys, sparse_types, dense_keys, dense


def parse_single_sequence_example(serialized: Any, context_features: Any = None,
                                  sequence_features: Any = None, example_name: Any = None,
                                  name: str | None = None) -> tuple[dict[str, Any],
                                                                    dict[str, Any]]:
    """(context dict, feature-list dict) of one serialized SequenceExample."""
    if context_features is None and sequence_features is None:
        raise ValueError("Both context_features and sequence_features are None, but at "
                         "least one should have values.")
    with name_scope(name, "ParseSingleSequenceExample", [serialized]):
        return _parse_single(serialized, context_features, sequence_features, example_name)


def _parse_single(serialized: Any, context_features: Any, sequence_features: Any,
                  example_name: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    c_sk, c_st, c_dk, c_dense = _split(context_features, False)
    f_sk, f_st, f_dk, f_dense = _split(sequence_features, True)
    if not (c_sk or c_dk or f_sk or f_dk):
        raise ValueError("Must provide at least one feature key.")
    with name_scope(None, "ParseSingleExample", [serialized]):
        serialized = convert_to_tensor(serialized, name="serialized")
        ndims = serialized.get_shape().ndims
        if ndims is not None and ndims != 0:
            raise ValueError("Input serialized must be a scalar")
    with name_scope(None, "ParseSequenceExample", [serialized]):
        from varstore.ops.array_ops import reshape
        defaults = []
        for key, f in zip(c_dk, c_dense):
            dtype = _dtypes.as_dtype(f.dtype)
            check_allowed(dtype, _ALLOWED, "context_dense_defaults")
            if f.default_value is None:
                defaults.append(constant([], dtype=dtype))
            else:
                d = convert_to_tensor(f.default_value, dtype=dtype, name=f"key_{key}")
                defaults.append(reshape(d, as_shape(f.shape).as_list()))
        for t in [*c_st, *f_st, *(_dtypes.as_dtype(f.dtype) for f in f_dense)]:
            check_allowed(t, _ALLOWED, "feature_list_dense_types")
        graph = check_same_graph(serialized, *defaults)
        full = graph._op_name(None, "ParseSequenceExampleV2")
        with scope_of(graph, full):
            debug = convert_to_tensor([] if example_name is None else example_name,
                                      dtype=_dtypes.string, name="debug_name")
            keys = [constant(k, dtype=_dtypes.string, shape=[len(k)], name=n) for k, n in (
                (c_sk, "context_sparse_keys"), (c_dk, "context_dense_keys"),
                ([], "context_ragged_keys"), (f_sk, "feature_list_sparse_keys"),
                (f_dk, "feature_list_dense_keys"), ([], "feature_list_ragged_keys"))]
            missing = constant([bool(f.allow_missing) for f in f_dense], dtype=_dtypes.bool,
                               shape=[len(f_dense)],
                               name="feature_list_dense_missing_assumed_empty")
        c_shapes = [as_shape(f.shape) for f in c_dense]
        f_shapes = [as_shape(f.shape) for f in f_dense]
        outs: list[tuple[Any, Any]] = [(_dtypes.int64, (None, 1)) for _ in c_sk]
        outs += [(t, (None,)) for t in c_st] + [(_dtypes.int64, (1,)) for _ in c_sk]
        outs += [(_dtypes.as_dtype(f.dtype), tuple(s.as_list()))
                 for f, s in zip(c_dense, c_shapes)]
        outs += [(_dtypes.int64, (None, 2)) for _ in f_sk]
        outs += [(t, (None,)) for t in f_st] + [(_dtypes.int64, (2,)) for _ in f_sk]
        outs += [(_dtypes.as_dtype(f.dtype), (None, *s.as_list()))
                 for f, s in zip(f_dense, f_shapes)]
        outs += [(_dtypes.int64, ()) for _ in f_dk]
        attrs = {"Ncontext_sparse": len(c_sk), "Nfeature_list_sparse": len(f_sk),
                 "Nfeature_list_dense": len(f_dk), "context_sparse_types": c_st,
                 "Tcontext_dense": [_dtypes.as_dtype(f.dtype) for f in c_dense],
                 "feature_list_dense_types": [_dtypes.as_dtype(f.dtype) for f in f_dense],
                 "context_dense_shapes": c_shapes, "feature_list_sparse_types": f_st,
                 "feature_list_dense_shapes": [TensorShape(s) for s in f_shapes],
                 "context_ragged_value_types": [], "context_ragged_split_types": [],
                 "feature_list_ragged_value_types": [], "feature_list_ragged_split_types": []}
        op = make_op(graph, full, "ParseSequenceExampleV2",
                     [serialized, debug, *keys, missing, *defaults], attrs, outs)
        o = list(op._outputs)
        ns, nd = len(c_sk), len(c_dk)
        context: dict[str, Any] = {k: SparseTensor(o[i], o[ns + i], o[2 * ns + i])
                                   for i, k in enumerate(c_sk)}
        context.update({k: o[3 * ns + i] for i, k in enumerate(c_dk)})
        o = o[3 * ns + nd:]
        fs = len(f_sk)
        lists: dict[str, Any] = {k: SparseTensor(o[i], o[fs + i], o[2 * fs + i])
                                 for i, k in enumerate(f_sk)}
        lists.update({k: o[3 * fs + i] for i, k in enumerate(f_dk)})
        return context, lists


@register_kernel("ParseSequenceExampleV2")
def _parse_sequence_kernel(op: Operation) -> Callable[..., Any]:
    from varstore.io.example_pb2 import SequenceExample
    from varstore.io.tf_record import as_bytes
    a = op._attrs
    c_st, f_st = a["context_sparse_types"], a["feature_list_sparse_types"]
    c_dt, f_dt = a["Tcontext_dense"], a["feature_list_dense_types"]
    c_shapes = [tuple(s.as_list()) for s in a["context_dense_shapes"]]
    f_shapes = [tuple(s.as_list()) for s in a["feature_list_dense_shapes"]]

    def sparse(rows: list[list[Any]], t: Any, rank2: bool) -> list[np.ndarray]:
        idx = [([i] if rank2 else []) + [j] for i, vs in enumerate(rows)
               for j in range(len(vs))]
        longest = max((len(vs) for vs in rows), default=0)
        return [np.asarray(idx, dtype=np.int64).reshape(len(idx), 2 if rank2 else 1),
                _array([v for vs in rows for v in vs], t),
                np.asarray([len(rows), longest] if rank2 else [longest], dtype=np.int64)]

    def kernel(serialized: np.ndarray, debug: np.ndarray, c_sk: np.ndarray, c_dk: np.ndarray,
               c_rk: np.ndarray, f_sk: np.ndarray, f_dk: np.ndarray, f_rk: np.ndarray,
               missing: np.ndarray, *defaults: np.ndarray) -> Any:
        raw = as_bytes(np.asarray(serialized).reshape(()).item())
        names = [as_bytes(n).decode() for n in debug.reshape(-1)]
        where = f"Name: {names[0] if names else '<unknown>'}, "
        try:
            ex = SequenceExample.FromString(raw)
        except Exception:  # noqa: BLE001 - protobuf's DecodeError and its kin
            raise InvalidArgumentError(None, None, "Could not parse example input, value: '"
                                       + raw.decode("latin-1") + "'") from None
        ctx, fl = ex.context.feature, ex.feature_lists.feature_list
        keys = [[as_bytes(k).decode() for k in arr.reshape(-1)]
                for arr in (c_sk, c_dk, f_sk, f_dk)]
        sp_i, sp_v, sp_s = [], [], []
        for k, t in zip(keys[0], c_st):
            parts = sparse([(_values(ctx[k], k, t, True) or []) if k in ctx else []], t, False)
            sp_i.append(parts[0][:, -1:])
            sp_v.append(parts[1])
            sp_s.append(parts[2][-1:])
        dense = []
        for i, (k, t, shape) in enumerate(zip(keys[1], c_dt, c_shapes)):
            if k not in ctx:
                if defaults[i].size == 0 and int(np.prod(shape)) != 0:
                    raise InvalidArgumentError(
                        None, None, f"{where}Feature: {k} (data type: {_TF_TYPE[t.name]}) "
                        "is required but could not be found.")
                dense.append(np.asarray(defaults[i]).reshape(shape))
                continue
            vals = _values(ctx[k], k, t, False) or []
            if len(vals) != int(np.prod(shape)):
                raise InvalidArgumentError(
                    None, None, f"Key: {k}.  Can't parse serialized Example: Some "
                    f"{_KIND[t.name]} slice was not parsed.")
            dense.append(_array(vals, t).reshape(shape))
        f_i, f_v, f_s = [], [], []
        for k, t in zip(keys[2], f_st):
            rows = [(_values(f, k, t, True) or []) for f in fl[k].feature] if k in fl else []
            i_, v_, s_ = sparse(rows, t, True)
            f_i.append(i_)
            f_v.append(v_)
            f_s.append(s_)
        f_dense, lengths = [], []
        for i, (k, t, shape) in enumerate(zip(keys[3], f_dt, f_shapes)):
            if k not in fl:
                if not bool(missing[i]):
                    raise InvalidArgumentError(
                        None, None, f"{where}Feature list '{k}' is required but could not "
                        "be found.  Did you mean to include it in "
                        "feature_list_dense_missing_assumed_empty or "
                        "feature_list_dense_defaults?")
                steps: list[np.ndarray] = []
            else:
                steps = []
                for f in fl[k].feature:
                    vals = _values(f, k, t, False) or []
                    if len(vals) != int(np.prod(shape)):
                        raise InvalidArgumentError(
                            None, None, f"{where}Key: {k}, Index: {len(steps)}.  Number of "
                            "values != expected.  values size: "
                            f"{len(vals)} but output shape: [{', '.join(map(str, shape))}]")
                    steps.append(_array(vals, t).reshape(shape))
            f_dense.append(np.stack(steps) if steps else np.empty(
                (0, *shape), dtype=object if t is _dtypes.string else t._np))
            lengths.append(np.int64(len(steps)))
        res = tuple(sp_i + sp_v + sp_s + dense + f_i + f_v + f_s + f_dense + lengths)
        return res if len(res) != 1 else res[0]

    return kernel


NotDifferentiable("ParseSequenceExampleV2")
