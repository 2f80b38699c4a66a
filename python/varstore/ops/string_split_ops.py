"""TF's string ops with a non-elementwise shape: StringSplit / StringSplitV2 (a
SparseTensor of tokens: ``tf.string_split`` and TF1's ``tf.strings.split``), ReduceJoin,
UnsortedSegmentJoin and StringFormat (``tf.strings.format``, tensors summarized as TF's
print_v2 does). TF registers no gradient for any of them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
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
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.string_basic_ops import (
    as_b,
    shape_text,
    strings_of,
    typed_in,
    utf8_safe_escape,
)

__all__ = ["reduce_join", "string_format", "string_split", "strings_split",
           "unsorted_segment_join"]

_WHITESPACE = b" \t\n\v\f\r"


# -- split ----------------------------------------------------------------------------------
def _split_node(op_type: str, source: Tensor, sep: Tensor, attrs: dict[str, Any]
                ) -> SparseTensor:
    graph = check_same_graph(source, sep)
    full = graph._op_name(None, op_type)
    s = source._shape
    if s is not None and len(s) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(s)}", full, op_type,
                         ", ".join(f"{k}={_attr(v)}" for k, v in attrs.items()), [source, sep])
    if sep._shape is not None and len(sep._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(sep._shape)}", full, op_type,
                         ", ".join(f"{k}={_attr(v)}" for k, v in attrs.items()), [source, sep])
    op = make_op(graph, full, op_type, [source, sep], attrs,
                 [(_dtypes.int64, (None, 2)), (_dtypes.string, (None,)),
                  (_dtypes.int64, (2,))])
    return SparseTensor(op._outputs[0], op._outputs[1], op._outputs[2])


def _attr(v: Any) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def string_split(source: Any, sep: Any = None, skip_empty: bool = True, delimiter: Any = None,
                 result_type: str = "SparseTensor", name: str | None = None) -> SparseTensor:
    """``tf.string_split`` (TF1): op ``StringSplit``; each byte of ``sep`` (default " ")
    splits, an empty ``sep`` splits into bytes; empty tokens dropped if ``skip_empty``."""
    if sep is not None and delimiter is not None:
        raise ValueError("Cannot specify both 'sep' and 'delimiter'")
    if sep is None:
        sep = delimiter
    if result_type not in ("SparseTensor", "RaggedTensor"):
        raise ValueError("result_type must be 'RaggedTensor' or 'SparseTensor'.")
    _no_ragged(result_type, "tf.string_split")
    with name_scope(name, "StringSplit", [source]):
        d = convert_to_tensor(" " if sep is None else sep, dtype=_dtypes.string)
        src = convert_to_tensor(source, dtype=_dtypes.string)
        return _split_node("StringSplit", src, d, {"skip_empty": bool(skip_empty)})


def _no_ragged(result_type: str, what: str) -> None:
    if result_type == "RaggedTensor":
        raise NotImplementedError(f"{what}(result_type='RaggedTensor'): varstore lacks "
                                  "tf.RaggedTensor; use result_type='SparseTensor'")


def strings_split(input: Any = None, sep: Any = None, maxsplit: int = -1,
                  result_type: str = "SparseTensor", source: Any = None,
                  name: str | None = None) -> SparseTensor:
    """TF1's ``tf.strings.split``: op ``StringSplitV2``; ``sep`` None or "" splits on runs of
    whitespace, else on each occurrence of ``sep``; at most ``maxsplit`` splits if > 0."""
    if input is not None and source is not None:
        raise ValueError("Cannot specify both 'input' and 'source'")
    if input is None:
        input = source
    with name_scope(name, "StringSplit", [input]):
        t = input if isinstance(input, Tensor) else \
            convert_to_tensor(input, dtype=_dtypes.string, name="input")
        if t._shape == ():
            t = builders.expand_dims(t, 0)
        if result_type not in ("SparseTensor", "RaggedTensor"):
            raise ValueError("result_type must be 'RaggedTensor' or 'SparseTensor'.")
        _no_ragged(result_type, "tf.strings.split")
        if t._shape is None:
            raise NotImplementedError(
                "tf.strings.split of an input of unknown rank: TF builds it from a "
                "tf.RaggedTensor, which varstore lacks")
        s = convert_to_tensor("" if sep is None else sep, dtype=_dtypes.string)
        if len(t._shape) == 1:
            return _split_node("StringSplitV2", t, s, {"maxsplit": int(maxsplit)})
        return _split_nd(t, s, int(maxsplit))


def _split_nd(t: Tensor, sep: Tensor, maxsplit: int) -> SparseTensor:
    """A rank-N input's split as TF's RaggedTensor.to_sparse gives it: indices are the
    input's index then the token's, dense_shape the input's shape then the most tokens.
    TF builds it through RaggedTensor ops varstore lacks; this composite of TF ops (one
    StringSplitV2 over the flattened strings) gives the same SparseTensor."""
    flat = builders.reshape(t, [-1])
    # TF's ragged split recurses over the ragged dimensions: 2 * rank - 1 more StringSplit
    # scopes around the op
    with contextlib.ExitStack() as stack:
        for _ in range(2 * len(t._shape or ()) - 1):
            stack.enter_context(name_scope(None, "StringSplit"))
        sp = _split_node("StringSplitV2", flat, sep, {"maxsplit": maxsplit})
    shape = builders.shape(t, out_type=_dtypes.int64)
    rows = builders.strided_slice(sp.indices, [0, 0], [0, 1], end_mask=1, shrink_axis_mask=2)
    cols = builders.strided_slice(sp.indices, [0, 1], [0, 2], end_mask=1)
    # (an empty input has no rows to unravel; UnravelIndex refuses zero dimensions)
    where = builders.transpose(builders.unravel_index(rows, builders.maximum(shape, 1)))
    indices = builders.concat([where, cols], 1)
    width = builders.strided_slice(sp.dense_shape, [1], [2])
    # TF's ragged rows: the dimensions after a zero one are zero too
    seen = builders.minimum(builders.cumprod(shape, exclusive=True), 1)
    dense_shape = builders.concat([builders.multiply(shape, seen), width], 0)
    return SparseTensor(indices, sp.values, dense_shape)


def _vector(x: np.ndarray, sep: np.ndarray) -> tuple[list[bytes], bytes]:
    if np.ndim(x) != 1:
        raise InvalidArgumentError(None, None, "input must be a vector, got shape: "
                                   f"{shape_text(np.shape(x))}")
    if np.ndim(sep) != 0:
        raise InvalidArgumentError(None, None, "delimiter must be a scalar, got shape: "
                                   f"{shape_text(np.shape(sep))}")
    return [as_b(v) for v in np.asarray(x, dtype=object)], as_b(np.asarray(sep).item())


def _sparse(rows: list[list[bytes]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    idx = [(i, j) for i, r in enumerate(rows) for j in range(len(r))]
    indices = np.asarray(idx, dtype=np.int64).reshape(-1, 2)
    values = strings_of((len(idx),), [v for r in rows for v in r])
    width = max((len(r) for r in rows), default=0)
    return indices, values, np.asarray([len(rows), width], dtype=np.int64)


def _split_bytes_on(s: bytes, delims: bytes) -> list[bytes]:
    out, start = [], 0
    for i, b in enumerate(s):
        if b in delims:
            out.append(s[start:i])
            start = i + 1
    out.append(s[start:])
    return out


@register_kernel("StringSplit")
def _string_split_kernel(op: Operation) -> Callable[..., Any]:
    skip = op._attrs.get("skip_empty", True)

    def kernel(x: np.ndarray, sep: np.ndarray) -> Any:
        strs, d = _vector(x, sep)
        rows = []
        for s in strs:
            # an empty string has no tokens, even with skip_empty=False (TF's Split)
            tokens = [] if not s else [s[i:i + 1] for i in range(len(s))] if not d else \
                _split_bytes_on(s, d)
            rows.append([t for t in tokens if t] if skip else tokens)
        return _sparse(rows)
    return kernel


@register_kernel("StringSplitV2")
def _string_split_v2_kernel(op: Operation) -> Callable[..., Any]:
    maxsplit = op._attrs.get("maxsplit", -1)

    def kernel(x: np.ndarray, sep: np.ndarray) -> Any:
        strs, d = _vector(x, sep)
        n = maxsplit if maxsplit > 0 else -1
        rows = [s.split(d, n) for s in strs] if d else [_split_whitespace(s, n) for s in strs]
        return _sparse(rows)
    return kernel


def _split_whitespace(s: bytes, maxsplit: int) -> list[bytes]:
    # ASCII whitespace only, as TF's isspace (Python's bytes.split also splits on \x1c-\x1f)
    out: list[bytes] = []
    i, n = 0, len(s)
    while i < n:
        while i < n and s[i] in _WHITESPACE:
            i += 1
        if i >= n:
            break
        if maxsplit >= 0 and len(out) == maxsplit:
            out.append(s[i:])  # the rest as it is, trailing whitespace kept (TF)
            break
        j = i
        while j < n and s[j] not in _WHITESPACE:
            j += 1
        out.append(s[i:j])
        i = j
    return out


# -- reduce_join -------------------------------------------------------------------------------
def reduce_join(inputs: Any, axis: Any = None, keep_dims: Any = None, separator: str = "",
                name: str | None = None, reduction_indices: Any = None,
                keepdims: Any = None) -> Tensor:
    """``tf.strings.reduce_join`` (TF1): op ``ReduceJoin``, the strings along ``axis``
    joined in row-major order (all axes when None)."""
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'")
    keep = bool(keepdims if keepdims is not None else keep_dims)
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'axis' and 'reduction_indices'")
    if axis is None:
        axis = reduction_indices
    with name_scope(None, "ReduceJoin", [inputs, axis]):
        x = convert_to_tensor(inputs)
        if axis is None:
            if x._shape is None:
                raise NotImplementedError("tf.strings.reduce_join(axis=None) of an input of "
                                          "unknown rank (TF's Rank/Range path)")
            axis = constant(np.arange(len(x._shape) - 1, -1, -1), dtype=_dtypes.int32)
        graph = check_same_graph(x, axis)
        full = graph._op_name(name, "ReduceJoin")
        with scope_of(graph, full):
            if x._dtype is not _dtypes.string:
                raise TypeError(f"Input 'inputs' of 'ReduceJoin' Op has type {x._dtype.name} "
                                "that does not match expected type of string.")
            r = typed_in(axis, "reduction_indices", "ReduceJoin", _dtypes.int32)
        attrs = {"keep_dims": keep, "separator": separator}
        shape = None
        rv = constant_value(r)
        if rv is not None and x._shape is not None:
            rank = len(x._shape)
            dims = set()
            for a in np.asarray(rv).reshape(-1).tolist():
                if not -rank <= a < rank:
                    text = f'keep_dims={str(keep).lower()}, separator="{separator}"'
                    raise node_error(f"Invalid reduction dimension {a} for input with {rank} "
                                     "dimensions.", full, "ReduceJoin", text, [x, r],
                                     " and with computed input tensors: input[1] = "
                                     f"<{_vals(rv)}>")
                dims.add(a % rank)
            shape = tuple((1 if i in dims else d) for i, d in enumerate(x._shape)
                          if keep or i not in dims)
        return make_op(graph, full, "ReduceJoin", [x, r], attrs,
                       [(_dtypes.string, shape)])._outputs[0]


def _vals(v: Any) -> str:
    return " ".join(str(a) for a in np.asarray(v).reshape(-1).tolist())


@register_kernel("ReduceJoin")
def _reduce_join_kernel(op: Operation) -> Callable[..., Any]:
    keep = op._attrs.get("keep_dims", False)
    sep = as_b(op._attrs.get("separator", ""))

    def kernel(x: np.ndarray, r: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=object)
        rank = x.ndim
        dims: list[int] = []
        for a in np.asarray(r).reshape(-1).tolist():
            if not -rank <= a < rank:
                raise InvalidArgumentError(None, None, f"Invalid reduction dimension {a} for "
                                           f"input with {rank} dimensions.")
            if a % rank in dims:
                raise InvalidArgumentError(None, None, f"Duplicate reduction dimension {a}")
            dims.append(a % rank)
        kept = [i for i in range(rank) if i not in dims]
        # the first reduction index varies fastest in the joined order (TF's kernel)
        t = np.transpose(x, kept + dims[::-1]) if rank else x
        out_shape = tuple(x.shape[i] for i in kept)
        flat = t.reshape(int(np.prod(out_shape)), -1) if t.size else \
            np.empty((int(np.prod(out_shape)), 0), dtype=object)
        items = [sep.join(as_b(v) for v in row) for row in flat]
        out = strings_of(out_shape, items)
        if keep:
            out = out.reshape(tuple(1 if i in dims else x.shape[i] for i in range(rank)))
        return out
    return kernel


# -- unsorted_segment_join ----------------------------------------------------------------------
def unsorted_segment_join(inputs: Any, segment_ids: Any, num_segments: Any,
                          separator: str = "", name: str | None = None) -> Tensor:
    """``tf.strings.unsorted_segment_join``: op ``UnsortedSegmentJoin``."""
    graph = check_same_graph(inputs, segment_ids, num_segments)
    full = graph._op_name(name, "UnsortedSegmentJoin")
    with scope_of(graph, full):
        x = typed_in(inputs, "inputs", "UnsortedSegmentJoin")
        ids = segment_ids if isinstance(segment_ids, Tensor) else \
            convert_to_tensor(segment_ids, name="segment_ids")
        n = num_segments if isinstance(num_segments, Tensor) else \
            convert_to_tensor(num_segments, name="num_segments")
    for t, arg in ((ids, "Tindices"), (n, "Tnumsegments")):
        if t._dtype not in (_dtypes.int32, _dtypes.int64):
            raise TypeError(f"Value passed to parameter '{arg}' has DataType {t._dtype.name} "
                            "not in list of allowed values: int32, int64")
    shape = None
    nv = constant_value(n)
    if x._shape is not None and ids._shape is not None:
        head = None if nv is None else int(np.asarray(nv))
        shape = (head, *x._shape[len(ids._shape):])
    attrs = {"separator": separator, "Tindices": ids._dtype, "Tnumsegments": n._dtype}
    return make_op(graph, full, "UnsortedSegmentJoin", [x, ids, n], attrs,
                   [(_dtypes.string, shape)])._outputs[0]


@register_kernel("UnsortedSegmentJoin")
def _segment_join_kernel(op: Operation) -> Callable[..., Any]:
    sep = as_b(op._attrs.get("separator", ""))

    def kernel(x: np.ndarray, ids: np.ndarray, n: np.ndarray) -> np.ndarray:
        x, ids = np.asarray(x, dtype=object), np.asarray(ids)
        count = int(n)
        if x.shape[:ids.ndim] != ids.shape:
            raise InvalidArgumentError(None, None, "segment_ids.shape = "
                                       f"{shape_text(ids.shape)} does not match inputs.shape"
                                       f" = {shape_text(x.shape)}")
        inner = x.shape[ids.ndim:]
        parts: list[list[list[bytes]]] = [[[] for _ in range(int(np.prod(inner)))]
                                          for _ in range(count)]
        rows = x.reshape(ids.size, -1)
        for seg, row in zip(ids.reshape(-1).tolist(), rows):
            if not 0 <= seg < count:
                raise InvalidArgumentError(None, None, "segment_ids are not allowed to exceed "
                                           "num_segments or to have negative values.")
            for k, v in enumerate(row):
                parts[seg][k].append(as_b(v))
        return strings_of((count, *inner), [sep.join(p) for seg in parts for p in seg])
    return kernel


# -- format --------------------------------------------------------------------------------------
def string_format(template: str, inputs: Any, placeholder: str = "{}", summarize: int = 3,
                  name: str | None = None) -> Tensor:
    """``tf.strings.format``: op ``StringFormat``, each placeholder replaced by a tensor
    printed as TF's print_v2 (numpy-like, at most ``summarize`` entries at each end)."""
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    if template.count(placeholder) != len(inputs):
        raise ValueError(f"The template expects {template.count(placeholder)} tensors, but "
                         f"the inputs only has {len(inputs)}. Please ensure the number of "
                         "placeholders in template matches inputs length.")
    graph = check_same_graph(list(inputs))
    full = graph._op_name(name, "StringFormat")
    with scope_of(graph, full):
        ts = [v if isinstance(v, Tensor) else convert_to_tensor(v, name=f"inputs_{i}")
              for i, v in enumerate(inputs)]
    attrs = {"T": [t._dtype for t in ts], "template": template, "placeholder": placeholder,
             "summarize": int(summarize)}
    return make_op(graph, full, "StringFormat", ts, attrs,
                   [(_dtypes.string, ())])._outputs[0]


def _scalar_text(v: Any, dt: _dtypes.DType) -> str:
    if dt is _dtypes.string:
        # TF quotes a string and escapes it as absl's Utf8SafeCEscape
        return '"' + utf8_safe_escape(as_b(v)) + '"'
    if dt is _dtypes.bool:
        return "1" if v else "0"
    if dt.is_floating:
        f = float(v)
        if not np.isfinite(f):
            return "nan" if np.isnan(f) else ("inf" if f > 0 else "-inf")
        digits = (6, 9) if dt.size <= 4 else (15, 17)
        text = f"{f:.{digits[0]}g}"
        cast = np.float32 if dt.size <= 4 else np.float64
        if cast(float(text)) != cast(f):
            text = f"{f:.{digits[1]}g}"
        return text
    return str(v)


def _summarize(a: np.ndarray, dt: _dtypes.DType, summarize: int, depth: int = 0) -> str:
    if a.ndim == 0:
        return _scalar_text(a.item(), dt)
    n = a.shape[0]
    idx: list[int | None] = list(range(n))
    if summarize >= 0 and n > 2 * summarize:
        idx = [*range(summarize), None, *range(n - summarize, n)]
    parts = ["..." if i is None else _summarize(np.asarray(a[i]), dt, summarize, depth + 1)
             for i in idx]
    if a.ndim == 1:
        return "[" + " ".join(parts) + "]"
    glue = "\n" * (a.ndim - 1) + " " * (depth + 1)
    return "[" + glue.join(parts) + "]"


@register_kernel("StringFormat")
def _string_format_kernel(op: Operation) -> Callable[..., Any]:
    a = op._attrs
    pieces = a["template"].split(a["placeholder"])
    types = a["T"]

    def kernel(*xs: np.ndarray) -> np.ndarray:
        out = [pieces[0]]
        for x, dt, piece in zip(xs, types, pieces[1:]):
            out.append(_summarize(np.asarray(x), dt, a["summarize"]))
            out.append(piece)
        return np.asarray("".join(out).encode(), dtype=object)
    return kernel


for _t in ("StringSplit", "StringSplitV2", "ReduceJoin", "UnsortedSegmentJoin",
           "StringFormat"):
    NotDifferentiable(_t)

builders.register(globals(), __all__)
