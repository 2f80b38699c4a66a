"""Space <-> depth and space <-> batch rearrangements: SpaceToDepth, DepthToSpace (NHWC and
NCHW), SpaceToBatchND, BatchToSpaceND and TF1's space_to_batch / batch_to_space on them,
with their shape inference, kernels and gradients (each other's, as TF's array_grad)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_index, convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
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
from varstore.framework.tensor_shape import compatible, merge_error

__all__ = [
    "batch_to_space",
    "batch_to_space_nd",
    "depth_to_space",
    "space_to_batch",
    "space_to_batch_nd",
    "space_to_depth",
]

Dims = tuple[int | None, ...] | None
_INDEX = "int32, int64"


# -- SpaceToDepth / DepthToSpace -----------------------------------------------------------------
def _depth_op(op_type: str, input: Any, block_size: int, name: str | None,
              data_format: str) -> Tensor:
    graph = check_same_graph(input)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(input, "input")
    b = int(block_size)
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Value for attr 'data_format' of \"{data_format}\" is not in the "
                         "list of allowed values: \"NHWC\", \"NCHW\", \"NCHW_VECT_C\"")
    if b < 2:
        raise ValueError(f"Value for attr 'block_size' of {b} must be at least minimum 2")
    attrs = {"T": x._dtype, "block_size": b, "data_format": data_format}
    text = f'T={dt_enum(x._dtype)}, block_size={b}, data_format="{data_format}"'
    out: Dims = None
    s = x._shape
    if s is not None:
        if len(s) != 4:
            raise node_error(f"Shape must be rank 4 but is rank {len(s)}", full, op_type, text,
                             [x])
        nchw = data_format == "NCHW"
        n, h, w, c = (s[0], s[2], s[3], s[1]) if nchw else s
        if op_type == "SpaceToDepth":
            for d in (h, w):
                if d is not None and d % b:
                    raise node_error(f"Dimension size must be evenly divisible by {b} but is "
                                     f"{d}", full, op_type, text, [x])
            h2 = None if h is None else h // b
            w2 = None if w is None else w // b
            c2 = None if c is None else c * b * b
        else:
            if c is not None and c % (b * b):
                raise node_error(f"Dimension size must be evenly divisible by {b * b} but is "
                                 f"{c}", full, op_type, text, [x])
            h2 = None if h is None else h * b
            w2 = None if w is None else w * b
            c2 = None if c is None else c // (b * b)
        out = (n, c2, h2, w2) if nchw else (n, h2, w2, c2)
    return make_op(graph, full, op_type, [x], attrs, [(x._dtype, out)])._outputs[0]


def space_to_depth(input: Any, block_size: int, name: str | None = None,
                   data_format: str = "NHWC") -> Tensor:
    """``tf.space_to_depth``: op ``SpaceToDepth``; each b x b spatial block into depth."""
    return _depth_op("SpaceToDepth", input, block_size, name, data_format)


def depth_to_space(input: Any, block_size: int, name: str | None = None,
                   data_format: str = "NHWC") -> Tensor:
    """``tf.depth_to_space``: op ``DepthToSpace``; the inverse of space_to_depth."""
    return _depth_op("DepthToSpace", input, block_size, name, data_format)


def _s2d(x: np.ndarray, b: int) -> np.ndarray:
    n, h, w, c = x.shape
    if h % b or w % b:
        raise ValueError(f"Image width {w} and height {h} should be divisible by "
                         f"block_size: {b}")
    y = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h // b, w // b, b * b * c)  # type: ignore[no-any-return]


def _d2s(x: np.ndarray, b: int) -> np.ndarray:
    n, h, w, c = x.shape
    if c % (b * b):
        raise ValueError(f"Input depth dimension {c} should be divisible by: {b * b}")
    y = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
    return y.reshape(n, h * b, w * b, c // (b * b))  # type: ignore[no-any-return]


def _depth_kernel(fn: Callable[[np.ndarray, int], np.ndarray]
                  ) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        b = op._attrs["block_size"]
        nchw = op._attrs["data_format"] == "NCHW"

        def run(x: np.ndarray) -> np.ndarray:
            if x.ndim != 4:
                raise ValueError(f"Input rank should be: 4 instead of: {x.ndim}")
            if nchw:
                return np.ascontiguousarray(fn(x.transpose(0, 2, 3, 1), b).transpose(0, 3, 1, 2))
            return np.ascontiguousarray(fn(x, b))

        return run

    return factory


register_kernel("SpaceToDepth")(_depth_kernel(_s2d))
register_kernel("DepthToSpace")(_depth_kernel(_d2s))


@RegisterGradient("SpaceToDepth")
def _space_to_depth_grad(op: Operation, grad: Tensor) -> Tensor:
    return depth_to_space(grad, op._attrs["block_size"], data_format=op._attrs["data_format"])


@RegisterGradient("DepthToSpace")
def _depth_to_space_grad(op: Operation, grad: Tensor) -> Tensor:
    return space_to_depth(grad, op._attrs["block_size"], data_format=op._attrs["data_format"])


# -- SpaceToBatchND / BatchToSpaceND -------------------------------------------------------------
def _batch_op(op_type: str, input: Any, block_shape: Any, pads: Any, name: str | None
              ) -> Tensor:
    graph = check_same_graph(input, block_shape, pads)
    full = graph._op_name(name, op_type)
    arg = "paddings" if op_type == "SpaceToBatchND" else "crops"
    with scope_of(graph, full):
        x = first_input(input, "input")
        # an ndarray keeps its dtype (TF1's space_to_batch passes an int64 block)
        hint = None if isinstance(block_shape, np.ndarray) else _dtypes.int32
        bs = convert_to_tensor(block_shape, dtype_hint=hint, name="block_shape")
        p = convert_index(pads, name=arg)
    check_allowed(bs._dtype, _INDEX, "block_shape")
    check_allowed(p._dtype, _INDEX, arg)
    pattr = "Tpaddings" if arg == "paddings" else "Tcrops"
    attrs = {"T": x._dtype, "Tblock_shape": bs._dtype, pattr: p._dtype}
    text = (f"T={dt_enum(x._dtype)}, Tblock_shape={dt_enum(bs._dtype)}, "
            f"{pattr}={dt_enum(p._dtype)}")
    bv, pv = constant_value(bs), constant_value(p)
    out: Dims = None
    s = x._shape

    def plain(message: str) -> ValueError:
        # TF's structural checks come before it reads the constant block and paddings
        return node_error(message, full, op_type, text, [x, bs, p])

    if bs._shape is None or len(bs._shape) != 1:
        raise plain("block_shape must have rank 1.")
    m = bs._shape[0]
    if m is None:
        raise plain("block_shape must have known size.")
    if s is not None and len(s) < m + 1:
        raise plain(f"Shape must be at least rank {m + 1} but is rank {len(s)}")
    if not compatible(p._shape, (m, 2)):
        raise plain(merge_error(p._shape, (m, 2)))
    if s is not None:
        computed = _computed(bv, pv)

        def fail(message: str) -> ValueError:
            return node_error(message, full, op_type, text, [x, bs, p], computed)

        out = _batch_shape(op_type, s, m, bv, pv, fail)
    return make_op(graph, full, op_type, [x, bs, p], attrs, [(x._dtype, out)])._outputs[0]


def _summary(v: np.ndarray) -> str:
    # TF's Tensor::SummarizeValue: rows in brackets, no separators between them
    if v.ndim <= 1:
        return " ".join(str(int(e)) for e in np.reshape(v, -1))
    return "".join(f"[{_summary(r)}]" for r in v)


def _computed(bv: Any, pv: Any) -> str:
    parts = [f"input[{i}] = <{_summary(np.asarray(v))}>" for i, v in ((1, bv), (2, pv))
             if v is not None]
    return " and with computed input tensors: " + ", ".join(parts) if parts else ""


_INT64_MAX = 2**63 - 1


def _batch_shape(op_type: str, s: tuple[int | None, ...], m: int, bv: Any, pv: Any,
                 fail: Callable[[str], ValueError]) -> tuple[int | None, ...]:
    """TF's SpaceToBatchShapeHelper / BatchToSpaceShapeHelper: the batch dim from the
    block (multiplied or evenly divided, one block dim at a time), each block dim from
    the paddings or crops once both are constant; unknown pieces stay unknown."""
    to_batch = op_type == "SpaceToBatchND"
    blocks = None if bv is None else [int(v) for v in np.reshape(bv, -1)]
    if blocks is not None and to_batch and not blocks:
        blocks = None  # TF reads an empty block tensor as not yet known
    batch = s[0]
    if blocks is None:
        batch = None if m > 0 else batch
    else:
        for blk in blocks:
            if blk < 1:
                raise fail("block_shape must be positive")
            if batch is None:
                continue
            if to_batch:
                if batch * blk > _INT64_MAX:
                    raise fail("Negative dimension size caused by overflow when multiplying "
                               f"{batch} and {blk}")
                batch *= blk
            else:
                if batch % blk:
                    raise fail(f"Dimension size must be evenly divisible by {blk} but is "
                               f"{batch}")
                batch //= blk
    dims: list[int | None] = [batch] + [None] * m
    if pv is not None and np.size(pv) > 0:
        pads = np.reshape(pv, (-1, 2)).tolist()
        what = "paddings" if to_batch else "crops"
        for i in range(m):
            a, c = int(pads[i][0]), int(pads[i][1])
            if a < 0 or c < 0:
                raise fail(f"{what} cannot be negative")
            d = s[i + 1]
            if blocks is None or d is None:
                continue
            blk = blocks[i]
            if to_batch:
                if (d + a + c) % blk:
                    raise fail(f"Dimension size must be evenly divisible by {blk} but is "
                               f"{d + a + c}")
                dims[i + 1] = (d + a + c) // blk
            else:
                size = d * blk
                for cut in (a, c):
                    if size - cut < 0:
                        raise fail(f"Negative dimension size caused by subtracting {cut} "
                                   f"from {size}")
                    size -= cut
                dims[i + 1] = size
    return (*dims, *s[m + 1:])


def space_to_batch_nd(input: Any, block_shape: Any, paddings: Any,
                      name: str | None = None) -> Tensor:
    """``tf.space_to_batch_nd``: op ``SpaceToBatchND``; zero-pads the spatial dims and moves
    each block offset into the batch."""
    return _batch_op("SpaceToBatchND", input, block_shape, paddings, name)


def batch_to_space_nd(input: Any, block_shape: Any, crops: Any, name: str | None = None
                      ) -> Tensor:
    """``tf.batch_to_space_nd``: op ``BatchToSpaceND``; the inverse of space_to_batch_nd
    (then crops)."""
    return _batch_op("BatchToSpaceND", input, block_shape, crops, name)


def _check_count(dims: list[int]) -> None:
    """TensorShape's AddDim overflow check, one dim at a time."""
    count = dims[0]
    for size in dims[1:]:
        if count * size > _INT64_MAX:
            raise ValueError(f"Encountered overflow when multiplying {count} with {size}, "
                             "result: -1")
        count *= size


@register_kernel("SpaceToBatchND")
def _space_to_batch_kernel(op: Operation) -> Callable[..., Any]:
    def s2b(x: np.ndarray, bs: np.ndarray, p: np.ndarray) -> np.ndarray:
        blocks = [int(v) for v in np.reshape(bs, -1)]
        m = len(blocks)
        pads = np.reshape(p, (m, 2)).tolist()
        if np.any(np.asarray(pads) < 0):
            raise ValueError("Negative paddings are not allowed")
        # TF builds the output shape before padding: a huge block overflows its int64
        # element count (an InvalidArgumentError) instead of attempting the allocation
        _check_count([x.shape[0] * int(np.prod(blocks, dtype=object)),
                      *((x.shape[i + 1] + int(a) + int(c)) // blk
                        for i, (blk, (a, c)) in enumerate(zip(blocks, pads))),
                      *x.shape[m + 1:]])
        xp = np.pad(x, [(0, 0), *((int(a), int(c)) for a, c in pads),
                        *((0, 0),) * (x.ndim - m - 1)])
        n = xp.shape[0]
        shape: list[int] = [n]
        for i, blk in enumerate(blocks):
            d = xp.shape[i + 1]
            if d % blk:
                raise ValueError(f"padded_shape[{i}]={d} is not divisible by "
                                 f"block_shape[{i}]={blk}")
            shape += [d // blk, blk]
        rest = list(xp.shape[m + 1:])
        y = xp.reshape(shape + rest)
        perm = ([2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
                + list(range(1 + 2 * m, 1 + 2 * m + len(rest))))
        y = y.transpose(perm)
        return np.ascontiguousarray(y.reshape([n * int(np.prod(blocks)),
                                               *(shape[1 + 2 * i] for i in range(m)), *rest]))

    return s2b


@register_kernel("BatchToSpaceND")
def _batch_to_space_kernel(op: Operation) -> Callable[..., Any]:
    def b2s(x: np.ndarray, bs: np.ndarray, c: np.ndarray) -> np.ndarray:
        blocks = [int(v) for v in np.reshape(bs, -1)]
        m = len(blocks)
        crops = np.reshape(c, (m, 2)).tolist()
        prod = int(np.prod(blocks))
        if x.shape[0] % prod:
            raise ValueError(f"Input batch dimension ({x.shape[0]}) is not divisible by "
                             f"product of block sizes ({prod})")
        n = x.shape[0] // prod
        spatial = list(x.shape[1:m + 1])
        rest = list(x.shape[m + 1:])
        y = x.reshape([*blocks, n, *spatial, *rest])
        perm = [m]
        for i in range(m):
            perm += [m + 1 + i, i]
        perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
        y = y.transpose(perm).reshape([n, *(d * b for d, b in zip(spatial, blocks)), *rest])
        index = [slice(None)] + [slice(int(a), y.shape[i + 1] - int(e))
                                 for i, (a, e) in enumerate(crops)]
        return np.ascontiguousarray(y[tuple(index)])

    return b2s


@RegisterGradient("SpaceToBatchND")
def _space_to_batch_nd_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [batch_to_space_nd(grad, op._inputs[1], op._inputs[2]), None, None]


@RegisterGradient("BatchToSpaceND")
def _batch_to_space_nd_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [space_to_batch_nd(grad, op._inputs[1], op._inputs[2]), None, None]


def space_to_batch(input: Any, paddings: Any, block_size: Any = None, name: str | None = None,
                   block_shape: Any = None) -> Tensor:
    """``tf.space_to_batch`` (TF1): SpaceToBatchND with a square int64 block."""
    if block_size is None:
        block_size = block_shape
    if block_size is None:
        raise TypeError("space_to_batch() missing required argument: 'block_size'")
    bs = np.array([block_size, block_size], dtype=np.int64)
    return space_to_batch_nd(input, bs, paddings, name=name)


def batch_to_space(input: Any, crops: Any, block_size: Any, name: str | None = None,
                   block_shape: Any = None) -> Tensor:
    """``tf.batch_to_space`` (TF1): BatchToSpaceND with a square int64 block."""
    if block_shape is not None:
        block_size = block_shape
    bs = np.array([block_size, block_size], dtype=np.int64)
    return batch_to_space_nd(input, bs, crops, name=name)


builders.register(globals(), __all__)
