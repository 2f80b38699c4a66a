"""``tf.map_fn``, ``tf.scan``, ``tf.foldl`` and ``tf.foldr`` as TF's map_fn.py and
functional_ops.py build them in graph mode: the elements unstacked into TensorArrays, one
``tf.while_loop`` that reads element ``i`` and writes the result to an output TensorArray,
and the outputs stacked. Gradients are those of the loop and the TensorLists it carries, so
a loss through them reaches the elements and whatever ``fn`` reads from outside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import Dimension, TensorShape, dimension_value
from varstore.ops.array_fill_ops import fill
from varstore.ops.array_ops import reshape
from varstore.ops.array_ops import shape as _shape_of
from varstore.ops.array_stack_ops import concat, stack
from varstore.ops.array_transform_ops import boolean_mask
from varstore.ops.math_ops import equal
from varstore.ops.math_reduce_ops import reduce_max
from varstore.ops.math_unary_ops import cast
from varstore.ops.tensor_array_ops import TensorArray
from varstore.ops.while_v2 import while_loop
from varstore.util.nest import assert_same_structure, flatten, is_nested, pack_sequence_as

__all__ = ["foldl", "foldr", "map_fn", "scan"]


def _check_callable(fn: Any) -> None:
    if not callable(fn):
        # TF's message reads fn.__name__, so a non-function raises its AttributeError
        raise TypeError(f"{fn.__name__} is not callable. Please provide a callable "
                        "function.")


def _leading(elems_flat: list[Any]) -> tuple[Dimension, Any]:
    """The static number of elements (checked compatible across ``elems``) and ``n``: that
    number, or the tensor ``shape(elems[0])[0]`` when it is not known."""
    n_static = Dimension(dimension_value(elems_flat[0].get_shape().with_rank_at_least(1)[0]))
    for t in elems_flat[1:]:
        n_static.assert_is_compatible_with(
            Dimension(dimension_value(t.get_shape().with_rank_at_least(1)[0])))
    n = n_static.value if n_static.value is not None else _shape_of(elems_flat[0])[0]
    return n_static, n


def map_fn(fn: Callable[[Any], Any], elems: Any, dtype: Any = None,
           parallel_iterations: int | None = None, back_prop: bool = True,
           swap_memory: bool = False, infer_shape: bool = True, name: str | None = None,
           fn_output_signature: Any = None) -> Any:
    """``tf.map_fn``: ``fn`` applied to each element of ``elems`` unstacked on axis 0, the
    results stacked (in the structure of ``dtype``, else of ``elems``)."""
    if fn_output_signature is None:
        fn_output_signature = dtype
    if not callable(fn):
        # TF's message reads fn.__name__, so a non-function raises its AttributeError
        raise TypeError(f"The provided function {fn.__name__} is not callable.fn must be "
                        "callable.")
    if not parallel_iterations:
        parallel_iterations = 10
    elems_flat = flatten(elems)
    if not elems_flat:
        raise ValueError("elems must be a Tensor or (possibly nested) sequence of Tensors. "
                         f"Got {elems}, which does not contain any Tensors.")
    with name_scope(name or "map"):
        elems_flat = [t if isinstance(t, SparseTensor) else convert_to_tensor(t, name="elem")
                      for t in elems_flat]
        rank = elems_flat[0].get_shape().rank
        if rank is not None and rank < 1:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        if fn_output_signature is None:
            # TF's _most_general_type_spec: the elements' dtypes (a SparseTensor's spec for a
            # sparse element), no shape (the writes set it, infer_shape)
            specs: list[Any] = [_SparseSpec(t.dtype) if isinstance(t, SparseTensor)
                                else t.dtype for t in elems_flat]
            out_structure = elems
        else:
            specs = [_dtypes.as_dtype(d) for d in flatten(fn_output_signature)]
            out_structure = fn_output_signature
        n_static, n = _leading(elems_flat)
        sparse = [t for t in elems_flat if isinstance(t, SparseTensor)]
        if sparse:
            # TF batches a SparseTensor through variants: the number of rows is not static
            n_static = Dimension(None)
            n = cast(sparse[0].dense_shape[0], _dtypes.int32)
        readers = [_sparse_rows(t) if isinstance(t, SparseTensor)
                   else TensorArray(t.dtype, size=n, dynamic_size=False, infer_shape=True)
                   .unstack(t).read for t in elems_flat]
        i = constant(0)
        result_ta = [spec.arrays(n) if isinstance(spec, _SparseSpec)
                     else [TensorArray(spec, size=n, dynamic_size=False, infer_shape=infer_shape)]
                     for spec in specs]

        def compute(i: Any, tas: Any) -> Any:
            value = pack_sequence_as(elems, [read(i) for read in readers])
            result = fn(value)
            assert_same_structure(fn_output_signature or elems, result)
            tas = [_write(ta, i, v) for ta, v in zip(tas, flatten(result))]
            return (i + 1, tas)

        _, r_a = while_loop(lambda i, _: i < n, compute, (i, result_ta),
                            parallel_iterations=parallel_iterations, back_prop=back_prop,
                            swap_memory=swap_memory, maximum_iterations=n)
        results = []
        for spec, r in zip(specs, r_a):
            if isinstance(spec, _SparseSpec):
                results.append(spec.batch(r, n))
                continue
            out = r[0].stack()
            out.set_shape(TensorShape([n_static]).concatenate(out.get_shape()[1:]))
            results.append(out)
    return pack_sequence_as(out_structure, results) if is_nested(out_structure) \
        else results[0]


class _SparseSpec:
    """A SparseTensor result of map_fn (TF's SparseTensorSpec batched through variants):
    each row's indices (with its row number in front), values and dense shape collected
    in TensorArrays, batched into one SparseTensor whose dense shape is the largest."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype

    def arrays(self, n: Any) -> list[TensorArray]:
        return [TensorArray(_dtypes.int64, size=n, infer_shape=False),
                TensorArray(self.dtype, size=n, infer_shape=False),
                TensorArray(_dtypes.int64, size=n, infer_shape=False)]

    def batch(self, arrays: list[TensorArray], n: Any) -> SparseTensor:
        indices, values, shapes = arrays
        dense_shape = concat([cast(reshape(n, [1]), _dtypes.int64),
                              reduce_max(shapes.stack(), axis=0)], 0)
        out = SparseTensor(indices.concat(), values.concat(), dense_shape)
        # TF's DeserializeSparse knows no static shapes
        out.indices.set_shape([None, None])
        out.values.set_shape([None])
        out.dense_shape.set_shape([None])
        return out


def _write(arrays: list[TensorArray], i: Any, value: Any) -> list[TensorArray]:
    if len(arrays) == 1:
        return [arrays[0].write(i, value)]
    if not isinstance(value, SparseTensor):
        raise TypeError(f"map_fn: fn returned {value} where the elems' structure has a "
                        "SparseTensor")
    row = fill(stack([_shape_of(value.indices, out_type=_dtypes.int64)[0], 1]),
               cast(i, _dtypes.int64))
    idx, vals, shape = arrays
    return [idx.write(i, concat([row, value.indices], 1)), vals.write(i, value.values),
            shape.write(i, value.dense_shape)]


def _sparse_rows(st: SparseTensor) -> Callable[[Any], SparseTensor]:
    """Row ``i`` of a SparseTensor (its first dimension dropped), as map_fn unbatches one."""
    row_shape = st.get_shape()[1:]

    def read(i: Any) -> SparseTensor:
        mask = equal(st.indices[:, 0], cast(i, _dtypes.int64))
        # a row keeps the static shape of the rows (TF's unbatched SparseTensorSpec)
        shape = constant(row_shape.as_list(), dtype=_dtypes.int64) \
            if row_shape.is_fully_defined() else st.dense_shape[1:]
        return SparseTensor(boolean_mask(st.indices, mask)[:, 1:], boolean_mask(st.values, mask),
                            shape)

    return read


def _fold(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any,
          parallel_iterations: int, back_prop: bool, swap_memory: bool, name: str | None,
          reverse: bool) -> Any:
    _check_callable(fn)
    with name_scope(name or ("foldr" if reverse else "foldl")):
        elems_flat = [convert_to_tensor(e, name="elem") for e in flatten(elems)]
        n = dimension_value(elems_flat[0].get_shape()[0]) or _shape_of(elems_flat[0])[0]
        elems_ta = pack_sequence_as(elems, [
            TensorArray(e.dtype, size=n, dynamic_size=False, infer_shape=True).unstack(e)
            for e in elems_flat])

        def read(i: Any) -> Any:
            return pack_sequence_as(elems, [ta.read(i) for ta in flatten(elems_ta)])

        if initializer is None:
            a = read(n - 1 if reverse else 0)
            i = n - 1 if reverse else constant(1)
        else:
            a = initializer
            i = n if reverse else constant(0)

        if reverse:
            def compute(i: Any, a: Any) -> Any:
                i -= 1
                return [i, fn(a, read(i))]

            def condition(i: Any, a: Any) -> Any:
                return i > 0
        else:
            def compute(i: Any, a: Any) -> Any:
                return [i + 1, fn(a, read(i))]

            def condition(i: Any, a: Any) -> Any:
                return i < n

        _, r_a = while_loop(condition, compute, [i, a],
                            parallel_iterations=parallel_iterations, back_prop=back_prop,
                            swap_memory=swap_memory, maximum_iterations=n)
    return r_a


def foldl(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:
    """``tf.foldl``: ``fn(acc, x)`` over the elements of ``elems`` from first to last."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 reverse=False)


def foldr(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
          parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
          name: str | None = None) -> Any:
    """``tf.foldr``: ``fn(acc, x)`` over the elements of ``elems`` from last to first."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name,
                 reverse=True)


def scan(fn: Callable[[Any, Any], Any], elems: Any, initializer: Any = None,
         parallel_iterations: int = 10, back_prop: bool = True, swap_memory: bool = False,
         infer_shape: bool = True, reverse: bool = False, name: str | None = None) -> Any:
    """``tf.scan``: every accumulator ``fn(acc, x)`` takes over the elements, stacked."""
    _check_callable(fn)
    in_seq = is_nested(elems)
    out_like = elems if initializer is None else initializer
    out_seq = is_nested(out_like)

    def out_flatten(x: Any) -> list[Any]:
        return flatten(x) if out_seq else [x]

    def out_pack(x: list[Any]) -> Any:
        return pack_sequence_as(out_like, x) if out_seq else x[0]

    elems_flat = flatten(elems) if in_seq else [elems]
    with name_scope(name or "scan"):
        elems_flat = [convert_to_tensor(e, name="elem") for e in elems_flat]
        n: Any = dimension_value(elems_flat[0].get_shape()[0])
        if n is None:
            n = _shape_of(elems_flat[0])[0]
        elems_ta = [TensorArray(e.dtype, size=n, dynamic_size=False,
                                element_shape=e.get_shape()[1:], infer_shape=True).unstack(e)
                    for e in elems_flat]
        if initializer is None:
            a_flat = [ta.read(n - 1 if reverse else 0) for ta in elems_ta]
            start = 1
        else:
            a_flat = [convert_to_tensor(x) for x in out_flatten(initializer)]
            start = 0
        accs_ta = [TensorArray(a.dtype, size=n, element_shape=a.get_shape() if infer_shape
                               else None, dynamic_size=False, infer_shape=infer_shape)
                   for a in a_flat]
        if initializer is None:
            accs_ta = [ta.write(n - 1 if reverse else 0, a) for ta, a in zip(accs_ta, a_flat)]

        def compute(i: Any, a_flat: Any, tas: Any) -> Any:
            packed = [ta.read(i) for ta in elems_ta]
            x = pack_sequence_as(elems, packed) if in_seq else packed[0]
            a_out = fn(out_pack(a_flat), x)
            assert_same_structure(out_like, a_out)
            flat_out = out_flatten(a_out)
            tas = [ta.write(i, v) for ta, v in zip(tas, flat_out)]
            return (i - 1 if reverse else i + 1, flat_out, tas)

        if reverse:
            initial_i: Any = n - 1 - start

            def condition(i: Any, _1: Any, _2: Any) -> Any:
                return i >= 0
        else:
            initial_i = start

            def condition(i: Any, _1: Any, _2: Any) -> Any:
                return i < n

        _, _, r_a = while_loop(condition, compute, (initial_i, a_flat, accs_ta),
                               parallel_iterations=parallel_iterations, back_prop=back_prop,
                               swap_memory=swap_memory, maximum_iterations=n)
        results = [r.stack() for r in r_a]
        n_static, _ = _leading(elems_flat)
        for r in results:
            r.set_shape(TensorShape([n_static]).concatenate(r.get_shape()[1:]))
    return out_pack(results)
