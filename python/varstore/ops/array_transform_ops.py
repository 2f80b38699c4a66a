"""Array ops that repeat, pad, flip, broadcast and select element-wise: tile, pad (Pad,
PadV2, MirrorPad), reverse, reverse_sequence, broadcast_to, one_hot, where / where_v2,
sequence_mask, boolean_mask, with shape inference, kernels and gradients (TF's array_ops)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import (
    CONSTANT_FOLDERS,
    constant_value,
    constant_value_as_shape,
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
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import TensorShape
from varstore.ops import math_grad as _math_grad
from varstore.ops import math_ops as _math
from varstore.ops.array_ops import (
    expand_dims,
    reshape,
    shape,
)
from varstore.ops.array_slicing_ops import _int_list, _out, builtin_slice, gather
from varstore.ops.array_slicing_ops import slice as _slice_op
from varstore.ops.array_stack_ops import (
    concat,
)

__all__ = [
    "boolean_mask",
    "broadcast_to",
    "one_hot",
    "pad",
    "reverse",
    "reverse_sequence",
    "reverse_v2",
    "sequence_mask",
    "tile",
    "where",
    "where_v2",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64


# -- tile, pad, reverse, broadcast_to -------------------------------------------------------------
def tile(input: Any, multiples: Any, name: str | None = None) -> Tensor:
    """``tf.tile``: op ``Tile``."""
    graph = check_same_graph(input, multiples)
    full = graph._op_name(name, "Tile")
    with scope_of(graph, full):
        x = first_input(input, "input")
        m = convert_to_tensor(multiples, dtype_hint=_int32, name="multiples")
    mv = _int_list(m)
    dims = x._shape
    out: Dims = None
    if mv is not None:
        if dims is not None and len(mv) != len(dims):
            raise ValueError(f"Shape must be rank {len(dims)} but is rank {len(mv)}")
        known: list[int | None] = list(mv)
    else:
        # TF's shape function reads the multiples as a partial shape (a Shape // ... of
        # partly known dims keeps the known ones)
        partial = constant_value_as_shape(m)
        if partial is None and m._shape is not None and m._shape[0] is not None:
            partial = (None,) * m._shape[0]  # (the multiples' length gives the rank)
        known = list(partial) if partial is not None else (
            [None] * len(dims) if dims is not None else [])
    if known or (dims is not None and not dims):
        rank = len(known)
        src = dims if dims is not None else (None,) * rank
        if len(src) == rank:
            out = tuple(_mul_dim(d, k) for d, k in zip(src, known))
    return _out(make_op(graph, full, "Tile", [x, m], {"T": x._dtype, "Tmultiples": m._dtype},
                        [(x._dtype, out)]))


def _mul_dim(a: int | None, b: int | None) -> int | None:
    # InferenceContext::Multiply: 0 and 1 decide it alone; else unknown unless both known
    if a == 0 or b == 0:
        return 0
    if a == 1:
        return b
    if b == 1:
        return a
    return None if a is None or b is None else a * b


@register_kernel("Tile")
def _tile_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x, m: np.tile(x, m.tolist())


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: str | None = None,
        constant_values: Any = 0) -> Tensor:
    """``tf.pad``: op ``Pad`` (``PadV2`` with a constant value, ``MirrorPad``)."""
    graph = check_same_graph(tensor, paddings)
    mode_u = mode.upper()
    default = {"CONSTANT": "Pad", "REFLECT": "MirrorPad", "SYMMETRIC": "MirrorPad"}.get(mode_u)
    if default is None:
        raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", "
                         f"\"REFLECT\", or \"SYMMETRIC\". Received `mode` = {mode}")
    # TF's rule: a zero Python/NumPy scalar makes Pad, anything else (a tensor) PadV2
    plain = mode_u == "CONSTANT" and not isinstance(constant_values, Tensor) \
        and not hasattr(type(constant_values), "_as_tensor") \
        and np.ndim(constant_values) == 0 \
        and bool(constant_values == np.zeros_like(constant_values))
    if mode_u == "CONSTANT" and not plain:
        default = "PadV2"
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        x = first_input(tensor, "input")
        p = convert_to_tensor(paddings, dtype_hint=_int32, name="paddings")
        cv = None
        if mode_u == "CONSTANT" and not plain:
            cv = convert_to_tensor(constant_values, dtype=x._dtype, name="constant_values")
    # TF's shape function sees small constant subgraphs of the paddings evaluated
    pv = evaluate_constant(p)
    dims = x._shape
    out: Dims = None
    if dims is not None:
        if pv is None:
            out = (None,) * len(dims)
        else:
            pv = pv.reshape(-1, 2)
            out = tuple(None if d is None else d + int(a) + int(b) for d, (a, b) in
                        zip(dims, pv.tolist()))
    if mode_u != "CONSTANT":
        return _out(make_op(graph, full, "MirrorPad", [x, p],
                            {"T": x._dtype, "Tpaddings": p._dtype, "mode": mode_u},
                            [(x._dtype, out)]))
    if cv is not None:
        return _out(make_op(graph, full, "PadV2", [x, p, cv],
                            {"T": x._dtype, "Tpaddings": p._dtype}, [(x._dtype, out)]))
    return _out(make_op(graph, full, "Pad", [x, p], {"T": x._dtype, "Tpaddings": p._dtype},
                        [(x._dtype, out)]))


@register_kernel("Pad")
def _pad_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x, p: np.pad(x, p.tolist())


@register_kernel("PadV2")
def _pad_v2_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x, p, c: np.pad(x, p.tolist(), constant_values=c)


def _pad_grad_slice(op: Operation, grad: Tensor) -> Tensor:
    x, p = op._inputs[0], op._inputs[1]
    pv = constant_value(p)
    if pv is not None and x._shape is not None and None not in x._shape:
        begin = pv.reshape(-1, 2)[:, 0].tolist()
        return _slice_op(grad, begin, list(x._shape))
    begin = reshape(builders.slice(p, [0, 0], [-1, 1]), [-1])
    return _slice_op(grad, begin, shape(x))


@RegisterGradient("Pad")
def _pad_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [_pad_grad_slice(op, grad), None]


@RegisterGradient("PadV2")
def _pad_v2_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [_pad_grad_slice(op, grad), None, None]


def reverse(tensor: Any, axis: Any, name: str | None = None) -> Tensor:
    """``tf.reverse``: op ``ReverseV2``."""
    graph = check_same_graph(tensor, axis)
    full = graph._op_name(name, "ReverseV2")
    with scope_of(graph, full):
        x = first_input(tensor, "tensor")
        a = convert_to_tensor(axis, dtype_hint=_int32, name="axis")
    return _out(make_op(graph, full, "ReverseV2", [x, a], {"T": x._dtype, "Tidx": a._dtype},
                        [(x._dtype, x._shape)]))


reverse_v2 = reverse  # TF1 exports the same function under both names


@register_kernel("ReverseV2")
def _reverse_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x, a: np.flip(x, tuple(int(v) for v in np.reshape(a, -1)))


@RegisterGradient("ReverseV2")
def _reverse_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [reverse(grad, op._inputs[1]), None]


def reverse_sequence(input: Any, seq_lengths: Any, seq_axis: Any = None,
                     batch_axis: Any = None, name: str | None = None, seq_dim: Any = None,
                     batch_dim: Any = None) -> Tensor:
    """``tf.reverse_sequence``: op ``ReverseSequence``; along ``seq_axis``, the first
    ``seq_lengths[b]`` entries of batch entry ``b`` reversed, the rest kept. ``seq_dim`` and
    ``batch_dim`` are TF1's names for the axes."""
    seq_axis = _lookup("seq_axis", seq_axis, "seq_dim", seq_dim)
    batch_axis = _lookup("batch_axis", batch_axis, "batch_dim", batch_dim)
    if seq_axis is None:
        raise TypeError("Expected int for argument 'seq_dim' not None.")
    batch_axis = 0 if batch_axis is None else batch_axis  # the op's default
    graph = check_same_graph(input, seq_lengths)
    full = graph._op_name(name, "ReverseSequence")
    with scope_of(graph, full):
        x = first_input(input, "input")
        lens = convert_to_tensor(seq_lengths, dtype_hint=_int32, name="seq_lengths")
    check_allowed(lens._dtype, "int32, int64", "seq_lengths")
    seq, batch = int(seq_axis), int(batch_axis)
    attrs = {"seq_dim": seq, "batch_dim": batch, "T": x._dtype, "Tlen": lens._dtype}

    def shape_error(message: str) -> ValueError:
        text = (f"T={dt_enum(x._dtype)}, Tlen={dt_enum(lens._dtype)}, "
                f"batch_dim={batch}, seq_dim={seq}")
        return node_error(message, full, "ReverseSequence", text, [x, lens])

    # TF's shape function: lengths a vector as long as the batch axis
    if lens._shape is not None and len(lens._shape) != 1:
        raise shape_error(f"Shape must be rank 1 but is rank {len(lens._shape)}")
    out: Dims = x._shape
    if x._shape is not None:
        rank = len(x._shape)
        if batch >= rank:
            raise shape_error(f"batch_dim must be < input rank: {batch} vs. {rank}")
        if seq >= rank:
            raise shape_error(f"seq_dim must be < input rank: {seq} vs. {rank}")
        b = x._shape[batch]
        n = None if lens._shape is None else lens._shape[0]
        if b is not None and n is not None and b != n:
            raise shape_error(f"Dimensions must be equal, but are {b} and {n}")
        dims = list(x._shape)
        dims[batch] = b if b is not None else n
        out = tuple(dims)
    return _out(make_op(graph, full, "ReverseSequence", [x, lens], attrs,
                        [(x._dtype, out)]))


def _lookup(new_name: str, new_value: Any, old_name: str, old_value: Any) -> Any:
    # TF's deprecation.deprecated_argument_lookup
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value


@register_kernel("ReverseSequence")
def _reverse_sequence_kernel(op: Operation) -> Callable[..., Any]:
    seq, batch = op._attrs["seq_dim"], op._attrs["batch_dim"]

    def run(x: Any, lens: Any) -> Any:
        if seq == batch:
            raise InvalidArgumentError(None, op, f"seq_dim == batch_dim == {seq}")
        if not 0 <= seq < x.ndim:
            raise InvalidArgumentError(None, op, f"Invalid seq_dim {seq}")
        if not 0 <= batch < x.ndim:
            raise InvalidArgumentError(None, op, f"Invalid batch_dim {batch}")
        if lens.shape[0] != x.shape[batch]:
            raise InvalidArgumentError(None, op, f"Length of seq_lens != input.dims({batch}),"
                                       f" ({lens.shape[0]} vs. {x.shape[batch]})")
        out = np.array(x, copy=True)
        for b, n in enumerate(lens.tolist()):
            if n < 0:
                raise InvalidArgumentError(None, op, f"seq_lens({b}) < 0")
            if n > x.shape[seq]:
                raise InvalidArgumentError(None, op, f"seq_lens({b}) > input.dims({seq})")
            src: list[Any] = [slice(None)] * x.ndim
            src[batch] = b
            src[seq] = slice(0, n)
            dst = list(src)
            # entry b's first n steps, backwards (slice(-1, None, -1) would be empty)
            src[seq] = slice(n - 1, None, -1) if n else slice(0, 0)
            out[tuple(dst)] = x[tuple(src)]
        return out

    return run


@RegisterGradient("ReverseSequence")
def _reverse_sequence_grad(op: Operation, grad: Tensor) -> list[Any]:
    # reversing the same prefixes again sends each gradient back to its step
    return [reverse_sequence(grad, op._inputs[1], seq_axis=op._attrs["seq_dim"],
                             batch_axis=op._attrs["batch_dim"]), None]


def broadcast_to(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.broadcast_to``: op ``BroadcastTo``."""
    graph = check_same_graph(input, shape)
    full = graph._op_name(name, "BroadcastTo")
    with scope_of(graph, full):
        x = first_input(input, "input")
        s = convert_to_tensor(shape, dtype_hint=_int32, name="shape")
    out = constant_value_as_shape(s)
    return _out(make_op(graph, full, "BroadcastTo", [x, s], {"T": x._dtype, "Tidx": s._dtype},
                        [(x._dtype, out)]))


@register_kernel("BroadcastTo")
def _broadcast_to_kernel(op: Operation) -> Callable[..., Any]:
    # np.array, not np.ascontiguousarray: that turns a 0-d result into shape (1,)
    return lambda x, s: np.array(np.broadcast_to(x, s.tolist()))


def _fold_broadcast_to(t: Tensor) -> np.ndarray | None:
    x, s = (constant_value(i) for i in t._op._inputs)
    if x is None or s is None:
        return None
    return np.array(np.broadcast_to(x, [int(d) for d in np.reshape(s, -1)]))


CONSTANT_FOLDERS["BroadcastTo"] = _fold_broadcast_to


# -- one_hot, where, masks ------------------------------------------------------------------------
def one_hot(indices: Any, depth: Any, on_value: Any = None, off_value: Any = None,
            axis: Any = None, dtype: Any = None, name: str | None = None) -> Tensor:
    """``tf.one_hot``: op ``one_hot`` (``OneHot``)."""
    graph = check_same_graph(indices, depth)
    full = graph._op_name(name, "one_hot")
    with scope_of(graph, full):
        # TF's wrapper converts on/off first (a given one by its own dtype, unnamed), takes
        # the dtype from them, then the op converts indices and depth
        hint = None if dtype is None else _dtypes.as_dtype(dtype)
        on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=hint)
        off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=hint)
        given = [t._dtype.base_dtype for t in (on, off) if t is not None]
        if hint is not None:
            for t, what in ((on, "on_value"), (off, "off_value")):
                if t is not None and t._dtype.base_dtype != hint:
                    raise TypeError(f"dtype {t._dtype.base_dtype} of {what} does not match "
                                    f"dtype parameter {hint}")
        if len(given) == 2 and given[0] != given[1]:
            raise TypeError(f"dtype {given[0]} of on_value does not match dtype "
                            f"{given[1]} of off_value")
        dt = hint if hint is not None else (given[0] if given else _dtypes.float32)
        if on is None:
            on = convert_to_tensor(1, dtype=dt, name="on_value")
        if off is None:
            off = convert_to_tensor(0, dtype=dt, name="off_value")
        i = first_input(indices, "indices")
        d = convert_to_tensor(depth, dtype=_int32, name="depth")
    ax = -1 if axis is None else int(axis)
    dv = constant_value(d)
    out: Dims = None
    if i._shape is not None:
        depth_v = None if dv is None else int(dv)
        pos = len(i._shape) if ax == -1 else ax
        out = (*i._shape[:pos], depth_v, *i._shape[pos:])
    return _out(make_op(graph, full, "OneHot", [i, d, on, off],
                        {"T": dt, "TI": i._dtype, "axis": ax}, [(dt, out)]))


@register_kernel("OneHot")
def _one_hot_kernel(op: Operation) -> Callable[..., Any]:
    ax = op._attrs["axis"]

    def one_hot_(i: np.ndarray, d: Any, on: Any, off: Any) -> np.ndarray:
        depth = int(d)
        hot = i[..., None] == np.arange(depth)
        out = np.where(hot, on, off).astype(np.asarray(on).dtype)
        if ax != -1:
            out = np.moveaxis(out, -1, ax)
        return out  # type: ignore[no-any-return]

    return one_hot_


NotDifferentiable("OneHot")


def where(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where`` (TF1): with x and y, op ``Select`` (element-wise choice; a vector
    condition picks rows); without, op ``Where`` (the coordinates of true elements)."""
    graph = check_same_graph(condition, x, y)
    if x is None and y is None:
        full = graph._op_name(name, "Where")
        with scope_of(graph, full):
            c = convert_to_tensor(condition, name="condition")
        rank_ = None if c._shape is None else len(c._shape)
        return _out(make_op(graph, full, "Where", [c], {"T": c._dtype},
                            [(_int64, (None, rank_))]))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    full = graph._op_name(name, "Select")
    with scope_of(graph, full):
        c = convert_to_tensor(condition, dtype=_dtypes.bool, name="condition")
        tx = first_input(x, "x")
        ty = typed_input(y, tx._dtype, "Select", "e", "t")
    return _out(make_op(graph, full, "Select", [c, tx, ty], {"T": tx._dtype},
                        [(tx._dtype, tx._shape if tx._shape is not None else ty._shape)]))


@register_kernel("Where")
def _where_kernel(op: Operation) -> Callable[..., Any]:
    return lambda c: np.argwhere(c).astype(np.int64)


@register_kernel("Select")
def _select_kernel(op: Operation) -> Callable[..., Any]:
    def select(c: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        if c.ndim == 1 and x.ndim > 1:
            c = c.reshape((-1,) + (1,) * (x.ndim - 1))
        return np.where(c, x, y)

    return select


NotDifferentiable("Where")


@RegisterGradient("Select")
def _select_grad(op: Operation, grad: Tensor) -> list[Any]:
    c = op._inputs[0]
    z = builders.zeros_like(grad)
    return [None, where(c, grad, z), where(c, z, grad)]


def where_v2(condition: Any, x: Any = None, y: Any = None, name: str | None = None) -> Tensor:
    """``tf.where_v2``: with x and y, op ``SelectV2`` (condition, x and y broadcast against
    each other); without, op ``Where``."""
    if x is None and y is None:
        return where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    graph = check_same_graph(condition, x, y)
    full = graph._op_name(name, "SelectV2")
    with scope_of(graph, full):
        c = convert_to_tensor(condition, dtype=_dtypes.bool, name="condition")
        tx = first_input(x, "t")
        ty = typed_input(y, tx._dtype, "SelectV2", "e", "t")
    xy = _math.broadcast_shape(full, "SelectV2", tx, ty)
    out = None if xy is None or c._shape is None else _broadcast_dims(c._shape, xy, full)
    return _out(make_op(graph, full, "SelectV2", [c, tx, ty], {"T": tx._dtype},
                        [(tx._dtype, out)]))


def _fold_select_v2(t: Tensor) -> Any:
    """A SelectV2 of constants, as TF's shape inference evaluates small constant subgraphs
    (expand_dims' slice sizes come from one)."""
    c, x, y = (constant_value(i) for i in t._op._inputs)
    if c is None or x is None or y is None:
        return None
    return np.where(c, x, y).astype(x.dtype)


CONSTANT_FOLDERS["SelectV2"] = _fold_select_v2


def _broadcast_dims(a: tuple[int | None, ...], b: tuple[int | None, ...], full: str
                    ) -> tuple[int | None, ...]:
    """The broadcast of two static shapes (the condition against x and y's)."""
    rank_ = max(len(a), len(b))
    pa = (1,) * (rank_ - len(a)) + a
    pb = (1,) * (rank_ - len(b)) + b
    out: list[int | None] = []
    for i, j in zip(pa, pb):
        if i == 1 or (i is None and j not in (1, None)):
            out.append(j)
        elif j in (1, None) or i == j:
            out.append(i)
        else:
            raise ValueError(f"Dimensions must be equal, but are {i} and {j} for "
                             f"'{{{{node {full}}}}} = SelectV2'")
    return tuple(out)


@register_kernel("SelectV2")
def _select_v2_kernel(op: Operation) -> Callable[..., Any]:
    return lambda c, x, y: np.where(c, x, y)


@RegisterGradient("SelectV2")
def _select_v2_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _SelectGradV2: each branch's gradient reduced against the output's broadcast shape
    c, x, y = op._inputs
    z = op._outputs[0]
    zeros = builders.zeros([], dtype=grad._dtype)
    gx = where_v2(c, grad, zeros)
    gy = where_v2(c, zeros, grad)
    gx = _math_grad.reduce_gradient_args(x, z, gx, None)[0]
    gy = _math_grad.reduce_gradient_args(y, z, gy, None)[0]
    return [None, gx, gy]


def boolean_mask(tensor: Any, mask: Any, name: str = "boolean_mask", axis: Any = None
                 ) -> Tensor:
    """``tf.boolean_mask`` (the 1-D-mask-per-leading-dims form): gather of the true rows."""
    graph = check_same_graph(tensor, mask)
    full = graph._op_name(name, "boolean_mask")
    with scope_of(graph, full):
        t = convert_to_tensor(tensor, name="tensor")
        m = convert_to_tensor(mask, name="mask")
        k = len(m._shape) if m._shape is not None else 1
        lead = builders.reduce_prod(builders.getitem(shape(t), builtin_slice(0, k)), [0])
        flat = reshape(t, concat([expand_dims(lead, 0),
                                  builders.getitem(shape(t), builtin_slice(k, None))], 0),
                       name="Reshape")
        idx = builders.squeeze(where(reshape(m, [-1])), axis=[1])
        return gather(flat, idx, axis=0)


def sequence_mask(lengths: Any, maxlen: Any = None, dtype: Any = _dtypes.bool,
                  name: str | None = None) -> Tensor:
    """``tf.sequence_mask`` as TF builds it in scope ``SequenceMask``: raw ``Range(Const,
    maxlen, Const_1)`` < ``Cast(ExpandDims(lengths, -1))`` in maxlen's dtype (maxlen
    defaulting to ``Maximum(0, Max(lengths))``), cast to ``dtype`` unless bool."""
    graph = check_same_graph(lengths, maxlen)
    with graph.name_scope(name or "SequenceMask"):
        ln = convert_to_tensor(lengths)
        if maxlen is None:
            mx = builders.reduce_max(ln, name="Max")
            mx = _math.maximum(convert_to_tensor(0, dtype=mx._dtype), mx)
        else:
            mx = convert_to_tensor(maxlen)
        if mx._shape is not None and len(mx._shape) != 0:
            raise ValueError("Argument `maxlen` must be scalar for sequence_mask, received "
                             f"`maxlen` = {mx} with shape '{TensorShape(mx._shape)}' instead")
        start = convert_to_tensor(0, dtype=mx._dtype)
        delta = convert_to_tensor(1, dtype=mx._dtype)
        limit = evaluate_constant(mx)  # as Range's shape function sees it
        full = graph._op_name(None, "Range")
        row = make_op(graph, full, "Range", [start, mx, delta], {"Tidx": mx._dtype},
                      [(mx._dtype, (None if limit is None else max(int(limit), 0),))])
        col = expand_dims(ln, -1)
        full = graph._op_name(None, "Cast")
        mat = make_op(graph, full, "Cast", [col], {"SrcT": col._dtype, "DstT": mx._dtype,
                                                   "Truncate": False},
                      [(mx._dtype, col._shape)])
        res: Tensor = _math.less(row._outputs[0], mat._outputs[0])
        dt = _dtypes.as_dtype(dtype)
        return res if dt is _dtypes.bool else builders.cast(res, dt)


builders.register(globals(), __all__)
