"""The embedding family (TF's embedding_ops.py): ``tf.nn.embedding_lookup`` on one or several
(sharded, ``partition_strategy`` "mod" or "div") params, with ``max_norm`` clipping,
``tf.nn.embedding_lookup_sparse`` (weighted sum / mean / sqrtn of the looked-up rows per row
of a SparseTensor of ids) and ``tf.nn.safe_embedding_lookup_sparse`` (invalid ids and weights
pruned, empty rows filled), built op for op as TF builds them so their gradients reach the
params the same way."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor, builders
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import Dimension, TensorShape, unknown_shape
from varstore.ops import (
    array_ops,
    array_slicing_ops,
    array_sort_ops,
    array_stack_ops,
    array_transform_ops,
    data_flow_ops,
    math_ops,
    math_reduce_ops,
    math_segment_ops,
    math_sequence_ops,
    math_unary_ops,
    sparse_array_ops,
    sparse_ops,
    sparse_segment_ops,
)

__all__ = [
    "embedding_lookup",
    "embedding_lookup_sparse",
    "safe_embedding_lookup_sparse",
]

_int32 = _dtypes.int32
_int64 = _dtypes.int64


def _is_variable(value: Any) -> bool:
    return hasattr(type(value), "_as_tensor") and hasattr(value, "_is_ref")


def _is_resource_variable(value: Any) -> bool:
    return _is_variable(value) and not value._is_ref


def _parts(params: Any) -> Any:
    """A PartitionedVariable is its list of parts, as TF iterates it."""
    if hasattr(type(params), "_get_variable_list"):
        return list(params._get_variable_list())
    return params


# -- embedding_lookup -----------------------------------------------------------------------------
def _clip(params: Tensor, ids: Tensor, max_norm: Any) -> Tensor:
    """TF's _clip: each embedding clipped to an l2-norm of ``max_norm`` over its own axes."""
    def rank(x: Tensor) -> tuple[Any, bool]:
        r = convert_to_tensor(x).get_shape().ndims
        if r:
            return r, True
        return builders.rank(x), False

    if max_norm is None:
        return params
    ids_rank, ids_static = rank(ids)
    params_rank, params_static = rank(params)
    axes: Any = (list(range(ids_rank, params_rank)) if ids_static and params_static
                 else math_sequence_ops.range(ids_rank, params_rank))
    out: Tensor = math_reduce_ops.clip_by_norm(params, max_norm, axes=axes)
    return out


def embedding_lookup(params: Any, ids: Any, partition_strategy: str = "mod",
                     name: str | None = None, validate_indices: bool = True,
                     max_norm: Any = None) -> Tensor:
    """``tf.nn.embedding_lookup`` (TF1): a gather of rows (named as its scope) and an
    Identity for one params tensor or variable; for several, each id goes to one part
    ("mod": part ``id % n``; "div": contiguous ranges, the first ``total % n`` parts one row
    longer), the parts gathered and stitched back (ParallelDynamicStitch) in the ids'
    order. ``max_norm`` clips each looked-up embedding's l2 norm."""
    del validate_indices  # deprecated in TF and unused
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    params = _parts(params)
    if not isinstance(params, list):
        params = [params]
    with name_scope(name, "embedding_lookup", [*params, ids]) as scope:
        n = len(params)
        if not any(_is_resource_variable(p) for p in params):
            params = [p if isinstance(p, Tensor) or _is_variable(p)
                      else convert_to_tensor(p, name=f"params_{i}")
                      for i, p in enumerate(params)]
        ids_t = convert_to_tensor(ids, name="ids")
        if n == 1:
            result = _clip(array_slicing_ops.gather(params[0], ids_t, name=scope), ids_t,
                           max_norm)
            return array_ops.identity(result)
        return _partitioned(params, ids_t, partition_strategy, scope, max_norm)


def _dim0(p: Any) -> int | None:
    return p.get_shape()[0]  # type: ignore[no-any-return]


def _partitioned(params: list[Any], ids: Tensor, partition_strategy: str, scope: str,
                 max_norm: Any) -> Tensor:
    n = len(params)
    flat_ids = array_ops.reshape(ids, [-1])
    original_indices = math_sequence_ops.range(array_ops.size(flat_ids, out_type=_int32))
    if partition_strategy == "mod":
        p_assignments = flat_ids % n
        new_ids = flat_ids // n
    elif partition_strategy == "div":
        total = Dimension(_dim0(params[0]))
        for p in params[1:]:
            total += Dimension(_dim0(p))
        num_total: Any
        if total.value:
            num_total = convert_to_tensor(total.value, dtype=flat_ids.dtype)
        else:
            sizes = [d if (d := _dim0(p)) is not None else array_ops.shape(p)[0]
                     for p in params]
            num_total = math_reduce_ops.reduce_sum(math_unary_ops.cast(
                array_stack_ops.stack(sizes), flat_ids.dtype))
        per = num_total // n
        extras = num_total % n
        p_assignments = math_ops.maximum(flat_ids // (per + 1), (flat_ids - extras) // per)
        new_ids = array_transform_ops.where(p_assignments < extras, flat_ids % (per + 1),
                                            (flat_ids - extras) % per)
    else:
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}.Must be one "
                         "of either `mod` or `div`.")
    p_assignments = math_unary_ops.cast(p_assignments, _int32)
    gather_ids = data_flow_ops.dynamic_partition(new_ids, p_assignments, n)
    pindices = data_flow_ops.dynamic_partition(original_indices, p_assignments, n)
    parts = [array_slicing_ops.gather(params[p], gather_ids[p]) for p in range(n)]
    ret = data_flow_ops.parallel_dynamic_stitch(pindices, parts, name=scope)
    element_s: TensorShape = params[0].get_shape()[1:]
    for p in params[1:]:
        element_s = element_s.merge_with(p.get_shape()[1:])
    element_d: Any = (element_s.as_list() if element_s.is_fully_defined()
                      else array_ops.shape(params[0])[1:])
    ret = array_ops.reshape(ret, array_stack_ops.concat([array_ops.shape(ids), element_d], 0))
    ret.set_shape(ids.get_shape().concatenate(element_s))
    return _clip(ret, ids, max_norm)


# -- embedding_lookup_sparse ----------------------------------------------------------------------
def embedding_lookup_sparse(params: Any, sp_ids: Any, sp_weights: Any,
                            partition_strategy: str = "mod", name: str | None = None,
                            combiner: str | None = None, max_norm: Any = None,
                            allow_fast_lookup: bool = False) -> Tensor:
    """``tf.nn.embedding_lookup_sparse`` (TF1): per row of ``sp_ids`` (an N x M SparseTensor
    of ids, rows in order), the ``combiner`` ("sum", "mean" default, "sqrtn") of the ids'
    embeddings weighted by ``sp_weights`` (None: all 1)."""
    if combiner is None:
        combiner = "mean"
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    params = _parts(params)
    if not isinstance(params, list):
        params = [params]
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    ignore_weights = sp_weights is None
    if not ignore_weights:
        if not isinstance(sp_weights, SparseTensor):
            raise TypeError(f"sp_weights must be either None or SparseTensor,got "
                            f"{type(sp_weights)}")
        sp_ids.values.get_shape().assert_is_compatible_with(sp_weights.values.get_shape())
        sp_ids.indices.get_shape().assert_is_compatible_with(sp_weights.indices.get_shape())
        sp_ids.dense_shape.get_shape().assert_is_compatible_with(
            sp_weights.dense_shape.get_shape())
    with name_scope(name, "embedding_lookup_sparse", [*params, sp_ids]) as scope:
        segment_ids = sp_ids.indices[:, 0]
        return _lookup_sparse_impl(params, segment_ids, sp_weights, sp_ids.values, combiner,
                                   ignore_weights, max_norm, allow_fast_lookup,
                                   partition_strategy, scope)


def _lookup_sparse_impl(params: list[Any], segment_ids: Any, sp_weights: Any, ids: Tensor,
                        combiner: str, ignore_weights: bool, max_norm: Any,
                        allow_fast_lookup: bool, partition_strategy: str,
                        name: str) -> Tensor:
    """TF's embedding_lookup_sparse_impl."""
    need_sparse_segment_gradient = False
    segment_ids = convert_to_tensor(segment_ids, name="segment_ids")
    if len(params) == 1 and not (isinstance(params[0], Tensor) or _is_variable(params[0])):
        params = [convert_to_tensor(params[0], name="params")]
    # TF's fast path takes a params Tensor (a variable is a CompositeTensor there) when no
    # weights or clipping are asked for; its segment op then has a sparse gradient.
    if len(params) == 1 and isinstance(params[0], Tensor) and max_norm is None and (
            allow_fast_lookup or ignore_weights):
        idx: Tensor = ids
        embeddings = params[0]
        if not allow_fast_lookup:
            need_sparse_segment_gradient = True
    else:
        ids, idx = array_sort_ops.unique(ids)
        embeddings = embedding_lookup(params, ids, partition_strategy=partition_strategy,
                                      max_norm=max_norm)
    if not ignore_weights:
        if segment_ids.dtype is not _int32:
            segment_ids = math_unary_ops.cast(segment_ids, _int32)
        weights = sp_weights.values
        embeddings = array_slicing_ops.gather(embeddings, idx)
        original_dtype = embeddings.dtype
        if embeddings.dtype.name in ("float16", "bfloat16"):
            embeddings = math_unary_ops.cast(embeddings, _dtypes.float32)
        if weights.dtype is not embeddings.dtype:
            weights = math_unary_ops.cast(weights, embeddings.dtype)
        ones_shape = array_ops.expand_dims(array_ops.rank(embeddings) - 1, 0)
        weights_shape = array_ops.shape(weights)
        ones = builders.ones(ones_shape, dtype=weights_shape.dtype)
        bcast_weights_shape = array_stack_ops.concat([weights_shape, ones], 0)
        orig_weights_shape = weights.get_shape()
        weights = array_ops.reshape(weights, bcast_weights_shape)
        emb_rank = embeddings.get_shape().ndims
        if emb_rank is not None:
            weights.set_shape(orig_weights_shape.concatenate([1] * (emb_rank - 1)))
        embeddings = embeddings * weights
        if combiner == "sum":
            embeddings = math_segment_ops.segment_sum(embeddings, segment_ids, name=name)
        elif combiner == "mean":
            embeddings = math_segment_ops.segment_sum(embeddings, segment_ids)
            weight_sum = math_segment_ops.segment_sum(weights, segment_ids)
            embeddings = math_ops.div_no_nan(embeddings, weight_sum, name=name)
        else:
            embeddings = math_segment_ops.segment_sum(embeddings, segment_ids)
            weights_squared = math_ops.pow(weights, 2)
            weight_sum = math_segment_ops.segment_sum(weights_squared, segment_ids)
            weight_sum_sqrt = math_unary_ops.sqrt(weight_sum)
            embeddings = math_ops.div_no_nan(embeddings, weight_sum_sqrt, name=name)
        if embeddings.dtype is not original_dtype:
            embeddings = math_unary_ops.cast(embeddings, original_dtype)
        return embeddings
    if segment_ids.dtype not in (_int32, _int64):
        segment_ids = math_unary_ops.cast(segment_ids, _int32)
    reduce = {"sum": sparse_segment_ops.sparse_segment_sum,
              "mean": sparse_segment_ops.sparse_segment_mean,
              "sqrtn": sparse_segment_ops.sparse_segment_sqrt_n}[combiner]
    return reduce(embeddings, idx, segment_ids, name=name,
                  sparse_gradient=need_sparse_segment_gradient)


# -- safe_embedding_lookup_sparse -----------------------------------------------------------------
def safe_embedding_lookup_sparse(embedding_weights: Any, sparse_ids: Any,
                                 sparse_weights: Any = None, combiner: str = "mean",
                                 default_id: Any = None, name: str | None = None,
                                 partition_strategy: str = "div", max_norm: Any = None,
                                 allow_fast_lookup: bool = False) -> Tensor:
    """``tf.nn.safe_embedding_lookup_sparse`` (TF1): embedding_lookup_sparse over ids of any
    rank (the last dimension combined), with ids < 0 (and, unless "sum", weights <= 0)
    pruned and empty rows giving ``default_id``'s embedding or zeros."""
    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    embedding_weights = _parts(embedding_weights)
    if not isinstance(embedding_weights, list):
        embedding_weights = [embedding_weights]
    if len(embedding_weights) < 1:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    dtype = sparse_weights.dtype if sparse_weights is not None else None
    embedding_weights = [
        w if (_is_resource_variable(w) and dtype in (None, w.dtype))
        else convert_to_tensor(w, dtype=dtype) for w in embedding_weights]
    with name_scope(name, "embedding_lookup",
                    [*embedding_weights, sparse_ids, sparse_weights]) as scope:
        original_shape = sparse_ids.dense_shape
        rank_dim = original_shape.get_shape()[0]
        original_rank: Any = array_ops.size(original_shape) if rank_dim is None else rank_dim
        sparse_ids = sparse_array_ops.sparse_reshape(sparse_ids, [
            math_reduce_ops.reduce_prod(
                array_slicing_ops.slice(original_shape, [0], [original_rank - 1])),
            array_slicing_ops.gather(original_shape, original_rank - 1)])
        if sparse_weights is not None:
            sparse_weights = SparseTensor(sparse_ids.indices, sparse_weights.values,
                                          sparse_ids.dense_shape)
        sparse_ids, sparse_weights = _prune_invalid_ids(sparse_ids, sparse_weights)
        if combiner != "sum":
            sparse_ids, sparse_weights = _prune_invalid_weights(sparse_ids, sparse_weights)
        sparse_ids, is_row_empty = sparse_array_ops.sparse_fill_empty_rows(sparse_ids,
                                                                           default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_array_ops.sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(
            embedding_weights, sparse_ids, sparse_weights, combiner=combiner,
            partition_strategy=partition_strategy,
            name=None if default_id is None else scope, max_norm=max_norm,
            allow_fast_lookup=allow_fast_lookup)
        if default_id is None:
            is_row_empty = builders.tile(
                array_ops.reshape(is_row_empty, [-1, 1]),
                array_stack_ops.stack([1, array_ops.shape(result)[1]]))
            result = array_transform_ops.where(is_row_empty, builders.zeros_like(result),
                                               result, name=scope)
        final = array_ops.reshape(result, array_stack_ops.concat([
            array_slicing_ops.slice(math_unary_ops.cast(original_shape, _int32), [0],
                                    [original_rank - 1]),
            array_slicing_ops.slice(array_ops.shape(result), [1], [-1])], 0))
        lead = (Dimension(rank_dim) - 1).value
        final.set_shape(unknown_shape(lead).concatenate(result.get_shape()[1:]))
        return final


def _prune_invalid_ids(sparse_ids: SparseTensor, sparse_weights: Any) -> tuple[Any, Any]:
    """TF's _prune_invalid_ids: entries whose id is < 0 dropped (from the weights too)."""
    valid = math_ops.greater_equal(sparse_ids.values, 0)
    if sparse_weights is not None:
        valid = math_ops.logical_and(valid, builders.ones_like(sparse_weights.values,
                                                               dtype=_dtypes.bool))
    sparse_ids = sparse_ops.sparse_retain(sparse_ids, valid)
    if sparse_weights is not None:
        sparse_weights = sparse_ops.sparse_retain(sparse_weights, valid)
    return sparse_ids, sparse_weights


def _prune_invalid_weights(sparse_ids: SparseTensor, sparse_weights: Any
                           ) -> tuple[Any, Any]:
    """TF's _prune_invalid_weights: entries whose weight is not > 0 dropped."""
    if sparse_weights is not None:
        valid = math_ops.greater(sparse_weights.values, 0)
        sparse_ids = sparse_ops.sparse_retain(sparse_ids, valid)
        sparse_weights = sparse_ops.sparse_retain(sparse_weights, valid)
    return sparse_ids, sparse_weights


builders.register(globals(), __all__)
