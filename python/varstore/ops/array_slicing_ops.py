"""Array ops that select: slice, strided_slice (``tensor[...]``), gather, with shape inference,
kernels and gradients; and the broadcast-gradient helpers of binary ops. (split is
array_split_ops.py's.)"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import (
    CONSTANT_FOLDERS,
    SHAPE_FOLDERS,
    constant_value,
    constant_value_as_shape,
    convert_index,
    convert_to_tensor,
    evaluate_constant,
)
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
)
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import Dimension, shape_str
from varstore.ops.array_ops import (
    attr_text,
    reshape,
    shape,
)
from varstore.ops.array_stack_ops import (
    concat,
    stack,
)

__all__ = [
    "gather",
    "slice",
    "strided_slice",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64


def _out(op: Operation) -> Tensor:
    return op._outputs[0]


def _int_list(t: Tensor) -> list[int] | None:
    v = evaluate_constant(t)
    return None if v is None else [int(x) for x in v.reshape(-1)]


# -- slice --------------------------------------------------------------------------------------
def slice(input_: Any, begin: Any, size: Any, name: str | None = None) -> Tensor:
    """``tf.slice``: op ``Slice``; a size of -1 takes the rest of the dimension."""
    graph = check_same_graph(input_, begin, size)
    full = graph._op_name(name, "Slice")
    with scope_of(graph, full):
        x = first_input(input_, "input")
        b = convert_index(begin, name="begin", default=None)
        check_allowed(b._dtype, "int32, int64", "begin")
        s = typed_input(size, b._dtype, "Slice", "size", "begin")
    bv, sv = _int_list(b), _int_list(s)
    dims = x._shape
    out: Dims = None
    if dims is not None:
        out_l: list[int | None] = []
        for i, d in enumerate(dims):
            bi = None if bv is None else bv[i]
            si = None if sv is None else sv[i]
            if si is not None and si >= 0:
                if d is not None and bi is not None and bi + si > d:
                    raise ValueError(f"Expected size[{i}] in [0, {d - bi}], but got {si} for "
                                     f"'{{{{node {full}}}}} = Slice'")
                out_l.append(si)
            elif si == -1 and d is not None and bi is not None:
                out_l.append(d - bi)
            else:
                out_l.append(None)
        out = tuple(out_l)
    elif sv is not None:
        out = tuple(None if v < 0 else v for v in sv)
    return _out(make_op(graph, full, "Slice", [x, b, s], {"T": x._dtype, "Index": b._dtype},
                        [(x._dtype, out)]))


@register_kernel("Slice")
def _slice_kernel(op: Operation) -> Callable[..., Any]:
    def slice_(x: np.ndarray, b: np.ndarray, s: np.ndarray) -> np.ndarray:
        idx = tuple(np.s_[int(bi):(None if int(si) < 0 else int(bi) + int(si))]
                    for bi, si in zip(b.tolist(), s.tolist()))
        return x[idx]

    return slice_


@RegisterGradient("Slice")
def _slice_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, b, _ = op._inputs
    in_shape = x._shape
    bv = _int_list(b)
    if in_shape is not None and None not in in_shape and bv is not None and \
            grad._shape is not None and None not in grad._shape:
        pads = [[bi, d - bi - g]  # type: ignore[operator]
                for bi, d, g in zip(bv, in_shape, grad._shape)]
        return [builders.pad(grad, pads), None, None]
    rank_ = len(in_shape) if in_shape is not None else None
    before = reshape(b, [rank_ if rank_ is not None else -1, 1])
    after = reshape(builders.subtract(builders.subtract(shape(x), shape(grad)), b),
                    [rank_ if rank_ is not None else -1, 1])
    return [builders.pad(grad, concat([before, after], 1)), None, None]


# -- strided_slice --------------------------------------------------------------------------------
def strided_slice(input_: Any, begin: Any, end: Any, strides: Any = None, begin_mask: int = 0,
                  end_mask: int = 0, ellipsis_mask: int = 0, new_axis_mask: int = 0,
                  shrink_axis_mask: int = 0, var: Any = None, name: str | None = None,
                  **_: Any) -> Tensor:
    """``tf.strided_slice``: op ``StridedSlice`` with TF's five masks; strides default to
    ``ones_like(begin)``, made in the caller's scope before the op as TF's array_ops does."""
    if strides is None and isinstance(begin, Tensor) and begin._shape is not None \
            and None not in begin._shape:
        strides = builders.ones_like(begin)
    graph = check_same_graph(input_, begin, end, strides)
    full = graph._op_name(name, "StridedSlice")
    with scope_of(graph, full):
        x = first_input(input_, "input")
        b = convert_index(begin, name="begin", default=None)
        check_allowed(b._dtype, "int16, int32, int64", "begin")
        e = typed_input(end, b._dtype, "StridedSlice", "end", "begin")
        if strides is None:
            strides = [1] * (b._shape[0] if b._shape and b._shape[0] is not None else 1)
        s = typed_input(strides, b._dtype, "StridedSlice", "strides", "begin")
    attrs = {"T": x._dtype, "Index": b._dtype, "begin_mask": begin_mask, "end_mask": end_mask,
             "ellipsis_mask": ellipsis_mask, "new_axis_mask": new_axis_mask,
             "shrink_axis_mask": shrink_axis_mask}
    out = _strided_shape(full, x, b, e, s, attrs)
    return _out(make_op(graph, full, "StridedSlice", [x, b, e, s], attrs, [(x._dtype, out)]))


def _spec(n: int, bv: list[int] | None, ev: list[int] | None, sv: list[int] | None,
          attrs: dict[str, Any]) -> list[Any]:
    """The NumPy index of a strided slice spec (None entries: unknown values)."""
    key: list[Any] = []
    for i in range(n):
        bit = 1 << i
        if attrs["ellipsis_mask"] & bit:
            key.append(Ellipsis)
        elif attrs["new_axis_mask"] & bit:
            key.append(None)
        elif attrs["shrink_axis_mask"] & bit:
            key.append(("index", None if bv is None else bv[i]))
        else:
            start = None if attrs["begin_mask"] & bit else (None if bv is None else bv[i])
            stop = None if attrs["end_mask"] & bit else (None if ev is None else ev[i])
            step = None if sv is None else sv[i]
            unknown = (bv is None and not attrs["begin_mask"] & bit) or (
                ev is None and not attrs["end_mask"] & bit) or sv is None
            key.append(("slice", start, stop, step, unknown))
    return key


def _strided_shape(full: str, x: Tensor, b: Tensor, e: Tensor, s: Tensor,
                   attrs: dict[str, Any]) -> Dims:
    n = b._shape[0] if b._shape else None
    if n is None:
        return None
    bv, ev, sv = _int_list(b), _int_list(e), _int_list(s)
    if sv is not None and 0 in sv:
        raise ValueError("strides[0] must be non-zero") if sv[0] == 0 else \
            ValueError(f"strides[{sv.index(0)}] must be non-zero")
    key = _spec(n, bv, ev, sv, attrs)
    dims = x._shape
    if dims is None:
        return None
    # (TF's shape function has evaluated only the strides when these checks fail)
    strides_txt = f" and with computed input tensors: input[3] = <{' '.join(map(str, sv or []))}>"
    if not dims and any(k is not None and k is not Ellipsis for k in key):
        raise node_error("Attempting to slice scalar input.", full, "StridedSlice",
                         attr_text(attrs), [x, b, e, s], strides_txt)
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    if Ellipsis not in key:
        key = key + [("slice", None, None, 1, False)] * (len(dims) - n_real)
    out: list[int | None] = []
    dim = 0
    for k in key:
        if k is Ellipsis:
            for _ in range(len(dims) - n_real):
                out.append(dims[dim])
                dim += 1
            continue
        if k is None:
            out.append(1)
            continue
        if dim >= len(dims):
            raise node_error(f"Index out of range using input dim {dim}; input has only "
                             f"{len(dims)} dims", full, "StridedSlice", attr_text(attrs),
                             [x, b, e, s], strides_txt)
        d = dims[dim]
        if k[0] == "index":
            idx = k[1]
            if idx is not None and d is not None and not -d <= idx < d:
                raise ValueError(f"slice index {idx} of dimension {dim} out of bounds. for "
                                 f"'{{{{node {full}}}}} = StridedSlice[{attr_text(attrs)}]"
                                 f"({x._op._name}, {b._op._name}, {e._op._name}, "
                                 f"{s._op._name})' with input shapes: {shape_str(dims)}, "
                                 f"[{n}], [{n}], [{n}] and with computed input tensors: "
                                 f"input[1] = <{' '.join(map(str, bv or []))}>, input[2] = "
                                 f"<{' '.join(map(str, ev or []))}>, input[3] = "
                                 f"<{' '.join(map(str, sv or []))}>.")
        else:
            _, start, stop, step, unknown = k
            if d is None or unknown:
                out.append(None)
            else:
                out.append(len(range(*np.s_[start:stop:step].indices(d))))
        dim += 1
    return tuple(out)


def _numpy_key(b: np.ndarray, e: np.ndarray, s: np.ndarray, attrs: dict[str, Any],
               ndim: int) -> tuple[Any, ...]:
    key: list[Any] = []
    for k in _spec(len(b), b.tolist(), e.tolist(), s.tolist(), attrs):
        if k is Ellipsis or k is None:
            key.append(k)
        elif k[0] == "index":
            key.append(k[1])
        else:
            key.append(np.s_[k[1]:k[2]:k[3]])
    return tuple(key)


@register_kernel("StridedSlice")
def _strided_slice_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    consts = [constant_value(t) for t in op._inputs[1:]]
    if all(c is not None for c in consts):
        b0, e0, s0 = consts
        assert b0 is not None and e0 is not None and s0 is not None
        key = _numpy_key(b0, e0, s0, attrs, 0)

        def fixed(x: np.ndarray, b: Any, e: Any, s: Any) -> np.ndarray:
            try:
                return np.asarray(x[key])
            except IndexError as exc:
                raise ValueError(str(exc)) from None

        return fixed

    def strided(x: np.ndarray, b: np.ndarray, e: np.ndarray, s: np.ndarray) -> np.ndarray:
        try:
            return np.asarray(x[_numpy_key(b, e, s, attrs, x.ndim)])
        except IndexError as exc:
            raise ValueError(str(exc)) from None

    return strided


def _fold_strided(t: Tensor) -> np.ndarray | None:
    op = t._op
    vals = [constant_value(i) for i in op._inputs]
    if vals[0] is None and op._inputs[0]._op._type == "Shape":
        # TF's constant evaluation reads the known dims of a partly known shape:
        # tf.shape(x)[1] is 2 for x of shape (?, 2)
        dims = op._inputs[0]._op._inputs[0]._shape
        b, e, st = vals[1:]
        if dims is None or b is None or e is None or st is None:
            return None
        picked = np.asarray(np.arange(len(dims))[_numpy_key(b, e, st, op._attrs, 1)])
        if picked.ndim > 1 or any(dims[int(i)] is None for i in picked.reshape(-1)):
            return None
        return np.asarray([dims[int(i)] for i in picked.reshape(-1)],
                          t._dtype._np).reshape(picked.shape)
    if any(v is None for v in vals):
        return None
    x, b, e, s = vals
    assert x is not None and b is not None and e is not None and s is not None
    return np.asarray(x[_numpy_key(b, e, s, op._attrs, 0)])


def _shape_strided(t: Tensor) -> Dims:
    """tf.shape(x)[i:j] and tf.shape(x)[i] of a partly known shape (TF's
    constant_value_as_shape for StridedSlice: the slice of its input's partial shape, so
    a dynamic dense_shape[:-1] of length 2 is (None,))."""
    op = t._op
    src = op._inputs[0]
    dims = constant_value_as_shape(src)
    vals = [constant_value(i) for i in op._inputs[1:]]
    if dims is None or any(v is None for v in vals):
        return None
    marker = np.arange(len(dims))
    b, e, s = vals
    assert b is not None and e is not None and s is not None
    picked = np.asarray(marker[_numpy_key(b, e, s, op._attrs, 1)])
    if picked.ndim != 1:
        return None
    return tuple(dims[int(i)] for i in picked)


CONSTANT_FOLDERS["StridedSlice"] = _fold_strided
SHAPE_FOLDERS["StridedSlice"] = _shape_strided


@RegisterGradient("StridedSlice")
def _strided_slice_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _StridedSliceGrad: shape(x), begin, end and strides enter as NumPy constants
    # when they are known (new Consts inside StridedSliceGrad/)
    x, b, e, s = op._inputs
    args: list[Any] = [shape(x, out_type=b._dtype), b, e, s]
    args = [t if v is None else v for t, v in zip(args, map(constant_value, args))]
    return [strided_slice_grad(args[0], args[1], args[2], args[3], grad, op._attrs,
                               index_dtype=b._dtype), None, None, None]


def strided_slice_grad(shape_arg: Any, begin: Any, end: Any, strides: Any, dy: Tensor,
                       attrs: dict[str, Any], name: str | None = None,
                       index_dtype: Any = None) -> Tensor:
    graph = dy._op._graph
    full = graph._op_name(name, "StridedSliceGrad")
    dt = index_dtype if index_dtype is not None else begin._dtype
    with scope_of(graph, full):
        sh = convert_to_tensor(shape_arg, dtype=dt, name="shape")
        begin = convert_to_tensor(begin, dtype=dt, name="begin")
        end = convert_to_tensor(end, dtype=dt, name="end")
        strides = convert_to_tensor(strides, dtype=dt, name="strides")
    out = constant_value_as_shape(sh)
    new_attrs = dict(attrs)
    new_attrs["T"] = dy._dtype
    return _out(make_op(graph, full, "StridedSliceGrad", [sh, begin, end, strides, dy],
                        new_attrs, [(dy._dtype, out)]))


@register_kernel("StridedSliceGrad")
def _strided_slice_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def grad_(sh: np.ndarray, b: np.ndarray, e: np.ndarray, s: np.ndarray,
              dy: np.ndarray) -> np.ndarray:
        out = np.zeros(sh.tolist(), dtype=dy.dtype)
        key = _numpy_key(b, e, s, attrs, out.ndim)
        out[key] = dy
        return out

    return grad_


@RegisterGradient("StridedSliceGrad")
def _strided_slice_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _StridedSliceGradGrad: the same slice of the incoming gradient
    _, b, e, s, _ = op._inputs
    a = op._attrs
    return [None, None, None, None, strided_slice(
        grad, b, e, s, begin_mask=a["begin_mask"], end_mask=a["end_mask"],
        ellipsis_mask=a["ellipsis_mask"], new_axis_mask=a["new_axis_mask"],
        shrink_axis_mask=a["shrink_axis_mask"])]


def getitem(tensor: Tensor, key: Any) -> Tensor:
    """``tensor[key]``: TF's _slice_helper (op ``strided_slice``; ints, slices, Ellipsis,
    tf.newaxis and scalar integer tensors; packed int64 when any part is)."""
    if not isinstance(key, tuple):
        key = (key,)
    begin: list[Any] = []
    end: list[Any] = []
    strides: list[Any] = []
    masks = {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0,
             "shrink_axis_mask": 0}
    for index, s in enumerate(key):
        bit = 1 << index
        if isinstance(s, builtin_slice):
            # a slice's default parts take the dtype of its tensor parts (int64 wins)
            dt = None
            for t in (s.start, s.stop, s.step):
                if isinstance(t, Tensor):
                    if t._dtype is _int64:
                        dt = _int64
                    elif t._dtype is _int32 and dt is not _int64:
                        dt = _int32
                    elif t._dtype is _dtypes.int16 and dt is None:
                        dt = _dtypes.int16
            for part, mask, out, default in ((s.start, "begin_mask", begin, 0),
                                             (s.stop, "end_mask", end, 0),
                                             (s.step, None, strides, 1)):
                if part is None or (type(part) is Dimension and part.value is None):
                    out.append(default if dt is None else convert_to_tensor(default, dtype=dt))
                    if mask is not None:
                        masks[mask] |= bit
                else:
                    v = _index_value(part)
                    if mask is None and isinstance(v, int) and v == 0:
                        raise ValueError("slice step cannot be zero")
                    out.append(v)
        elif s is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["ellipsis_mask"] |= bit
        elif s is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            masks["new_axis_mask"] |= bit
        else:
            v = _index_value(s)
            begin.append(v)
            end.append(v + 1)
            strides.append(convert_to_tensor(1, dtype=v._dtype) if isinstance(v, Tensor)
                           and v._dtype in (_dtypes.int16, _int64) else 1)
            masks["shrink_axis_mask"] |= bit
    graph = tensor._op._graph
    full = graph._op_name(None, "strided_slice")
    with scope_of(graph, full):
        packed = [stack(begin), stack(end), stack(strides)]
        if any(t._dtype is _int64 for t in packed):
            packed = [t if t._dtype is _int64 else builders.cast(t, _int64) for t in packed]
    return strided_slice(tensor, packed[0], packed[1], packed[2], name=full + "/",
                         **masks)


builtin_slice = builtins.slice  # the module's own slice() shadows it


def _index_value(s: Any) -> Any:
    if type(s) is Dimension and s.value is not None:
        return s.value  # TF's _check_index takes a known Dimension as its int
    if isinstance(s, (bool, np.bool_)):
        raise TypeError(_BAD_INDEX.format(s))
    if isinstance(s, (int, np.integer)):
        return int(s)
    if isinstance(s, np.ndarray) and s.ndim == 0 and s.dtype in (np.int16, np.int32,
                                                                 np.int64):
        return s.item()  # (TF's _check_index takes a 0-d NumPy integer array)
    if isinstance(s, Tensor) or hasattr(type(s), "_as_tensor"):
        t = convert_to_tensor(s)
        if t._dtype not in (_dtypes.int16, _int32, _int64) or (t._shape is not None
                                                              and t._shape != ()):
            raise TypeError(_BAD_INDEX.format(repr(s)))
        return t
    raise TypeError(_BAD_INDEX.format(repr(s)))


_BAD_INDEX = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
              "tf.int32/tf.int64 tensors are valid indices, got {}")


# -- gather ---------------------------------------------------------------------------------------
def _is_zero(axis: Any) -> bool:
    """TF's ``constant_value(axis) == 0`` (no op is made for a Python axis)."""
    if axis is None:
        return True
    v = constant_value(axis) if isinstance(axis, Tensor) else axis
    try:
        return v is not None and int(v) == 0
    except (TypeError, ValueError):
        return False


def gather(params: Any, indices: Any, validate_indices: Any = None, name: str | None = None,
           axis: Any = None, batch_dims: int = 0) -> Tensor:
    """``tf.gather``: op ``GatherV2``; along axis 0 of a resource variable, its
    ``sparse_read`` (``ResourceGather``), as TF's gather tries first."""
    if batch_dims == 0 and _is_zero(axis) and hasattr(type(params), "sparse_read") \
            and not params._is_ref:
        return params.sparse_read(indices, name=name)  # type: ignore[no-any-return]
    if batch_dims is None:
        batch_dims = 0  # (TF passes None on to gather_v2, whose default is 0)
    graph = check_same_graph(params, indices, axis)
    full = graph._op_name(name, "GatherV2")
    with scope_of(graph, full):
        p = first_input(params, "params")
        i = convert_index(indices, name="indices", default=None)
        check_allowed(i._dtype, "int16, int32, int64", "indices")
        a = convert_index(batch_dims if axis is None else axis, name="axis", default=None)
        check_allowed(a._dtype, "int32, int64", "axis")
    av = constant_value(a)
    out: Dims = None
    attrs = {"Tparams": p._dtype, "Tindices": i._dtype, "Taxis": a._dtype,
             "batch_dims": batch_dims}
    if av is None and p._shape is not None and i._shape is not None:
        # TF's GatherV2 shape function: only the rank is known for an unknown axis
        out = (None,) * (len(p._shape) + len(i._shape) - 1 - batch_dims)
    if p._shape is not None and i._shape is not None and av is not None:
        ax = int(av) % len(p._shape) if p._shape else 0
        b = batch_dims % len(i._shape) if batch_dims < 0 and i._shape else batch_dims
        if b > ax:
            raise ValueError(f"batch_dims ({batch_dims}) must be less than or equal to axis "
                             f"({int(av)}).")
        out = p._shape[:ax] + i._shape[b:] + p._shape[ax + 1:]
    if av is not None and p._shape is not None:
        need = -int(av) if int(av) < 0 else int(av) + 1
        if len(p._shape) < need:
            raise node_error(f"Shape must be at least rank {need} but is rank "
                             f"{len(p._shape)}", full, "GatherV2", attr_text(attrs), [p, i, a],
                             f" and with computed input tensors: input[2] = <{int(av)}>")
    return _out(make_op(graph, full, "GatherV2", [p, i, a], attrs, [(p._dtype, out)]))


def _take(p: np.ndarray, i: np.ndarray, ax: int, b: int) -> np.ndarray:
    """np.take along ``ax`` with the first ``b`` dimensions of p and i walked together."""
    if b == 0:
        return np.take(p, i, axis=ax)
    rows = [_take(p[k], i[k], ax - 1, b - 1) for k in builtins.range(p.shape[0])]
    if rows:
        return np.stack(rows)
    return np.empty(p.shape[:ax] + i.shape[b:] + p.shape[ax + 1:], p.dtype)


@register_kernel("GatherV2")
def _gather_kernel(op: Operation) -> Callable[..., Any]:
    batch_dims = int(op._attrs.get("batch_dims", 0))

    def gather_(p: np.ndarray, i: np.ndarray, a: Any) -> np.ndarray:
        if not -p.ndim <= int(a) < p.ndim:
            need = -int(a) if int(a) < 0 else int(a) + 1
            raise InvalidArgumentError(None, None, f"Shape must be at least rank {need} but "
                                       f"is rank {p.ndim}")
        ax = int(a) % p.ndim if p.ndim else int(a)
        n = p.shape[ax]
        if i.size and (i.min() < 0 or i.max() >= n):
            flat = i.reshape(-1)
            at = int(np.flatnonzero((flat < 0) | (flat >= n))[0])
            where = ",".join(str(int(x)) for x in np.unravel_index(at, i.shape))
            raise ValueError(f"indices[{where}] = {int(flat[at])} is not in [0, {n})")
        b = batch_dims % i.ndim if batch_dims < 0 else batch_dims
        return _take(p, i, ax, b)

    return gather_


# -- broadcast gradient helpers -------------------------------------------------------------------
def broadcast_gradient_args(s0: Tensor, s1: Tensor, name: str | None = None) -> list[Tensor]:
    graph = s0._op._graph
    full = graph._op_name(name, "BroadcastGradientArgs")
    op = make_op(graph, full, "BroadcastGradientArgs", [s0, s1], {"T": s0._dtype},
                 [(s0._dtype, (None,)), (s0._dtype, (None,))])
    return list(op._outputs)


def broadcast_reduction_axes(sx: tuple[int, ...], sy: tuple[int, ...]
                             ) -> tuple[list[int], list[int]]:
    """The axes to sum a broadcast gradient over, for each input (TF's
    BroadcastGradientArgs on static shapes)."""
    rank_ = max(len(sx), len(sy))
    px = (1,) * (rank_ - len(sx)) + tuple(sx)
    py = (1,) * (rank_ - len(sy)) + tuple(sy)
    rx, ry = [], []
    for i, (a, b) in enumerate(zip(px, py)):
        if a == 1 and b != 1:
            rx.append(i)
        elif b == 1 and a != 1:
            ry.append(i)
        elif a == 1 and b == 1:
            rx.append(i)
            ry.append(i)
    return rx, ry


@register_kernel("BroadcastGradientArgs")
def _bga_kernel(op: Operation) -> Callable[..., Any]:
    def bga(s0: np.ndarray, s1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rx, ry = broadcast_reduction_axes(tuple(s0.tolist()), tuple(s1.tolist()))
        return np.array(rx, dtype=s0.dtype), np.array(ry, dtype=s0.dtype)

    return bga


NotDifferentiable("BroadcastGradientArgs")


builders.register(globals(), [*__all__, "getitem", "strided_slice_grad",
                              "broadcast_gradient_args", "broadcast_reduction_axes"])
