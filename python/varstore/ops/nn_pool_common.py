"""What the 2-D pooling ops share: TF's shape functions (MaxPoolShape, AvgPoolShape, the
gradients' merges) and the NHWC compute of MaxPool, AvgPool and their gradients, read from
an attrs dict so MaxPool and MaxPoolV2 (ksize and strides as inputs) run the same code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.errors import InvalidArgumentError, UnimplementedError
from varstore.framework.ops import Tensor, dt_enum, node_error
from varstore.framework.tensor_shape import compatible, merge_error
from varstore.ops.nn_conv_ops import fmt_list, out_size

Dims = tuple[int | None, ...] | None
_INT32 = (-2**31, 2**31)


def attrs_text(attrs: dict[str, Any], op_type: str) -> str:
    """The node's attrs as TF's shape errors print them (sorted; V2 ops have no ksize /
    strides attrs)."""
    parts = [f"T={dt_enum(attrs['T'])}", f'data_format="{attrs.get("data_format", "NHWC")}"']
    if "explicit_paddings" in attrs and op_type in ("MaxPool", "MaxPoolGrad"):
        parts.append(f"explicit_paddings={fmt_list(attrs['explicit_paddings'])}")
    if "ksize" in attrs and not op_type.endswith("V2"):
        parts.append(f"ksize={fmt_list(attrs['ksize'])}")
    parts.append(f'padding="{attrs["padding"]}"')
    if "strides" in attrs and not op_type.endswith("V2"):
        parts.append(f"strides={fmt_list(attrs['strides'])}")
    return ", ".join(parts)


def pool_shape(full: str, op_type: str, inputs: list[Tensor], attrs: dict[str, Any],
               extra: str = "") -> Dims:
    """TF's MaxPoolShape (the depth windowed too: depthwise max pooling) or AvgPoolShape,
    of ``inputs[0]`` under ``attrs`` (ksize, strides, padding, explicit_paddings); ``extra``
    ends the messages (MaxPoolV2's computed window tensors)."""
    x = inputs[0]
    text = attrs_text(attrs, op_type)

    def fail(message: str) -> ValueError:
        return node_error(message, full, op_type, text, inputs, extra)

    dims = x._shape
    vect_c = attrs.get("data_format") == "NCHW_VECT_C"
    rank = 5 if vect_c else 4  # NCHW_VECT_C packs the depth in fours: [N, C/4, H, W, 4]
    if dims is not None and len(dims) != rank:
        raise fail(f"Shape must be rank {rank} but is rank {len(dims)}")
    if vect_c:
        raise NotImplementedError(f"varstore lacks {op_type} with data_format NCHW_VECT_C "
                                  "(its qint8 kernels)")
    k4, s4 = list(attrs["ksize"]), list(attrs["strides"])
    for what, values in (("strides", s4), ("ksize", k4)):
        for v in values:
            if not _INT32[0] <= v < _INT32[1]:
                raise fail(f"Attr {what} has value {v} out of range for an int32")
    padding = attrs["padding"]
    explicit = list(attrs.get("explicit_paddings") or [])
    channel_index = 1 if attrs.get("data_format", "NHWC").startswith("NC") else 3
    if padding == "EXPLICIT":
        # TF's CheckValidPadding
        if any(v < 0 for v in explicit):
            raise fail("All elements of explicit_paddings must be nonnegative")
        if any(explicit[2 * a + i] for a in (0, channel_index) for i in (0, 1)):
            raise fail("Nonzero explicit padding in the batch or depth dimensions is not "
                       "supported")
    if dims is None:
        return (None,) * 4
    hw = (2, 3) if channel_index == 1 else (1, 2)
    sizes: list[int | None] = []
    for a in hw:
        pair = (explicit[2 * a], explicit[2 * a + 1]) if explicit else (0, 0)
        got = out_size(dims[a], k4[a], s4[a], 1, padding, pair)
        if got is None:
            size = int(dims[a] or 0) + pair[0] + pair[1]
            raise fail(f"Negative dimension size caused by subtracting {k4[a]} from {size}")
        sizes.append(got[0])
    c = dims[channel_index]
    if op_type.startswith("MaxPool"):
        got = out_size(c, k4[channel_index], s4[channel_index], 1, padding, (0, 0))
        if got is None:
            raise fail(f"Negative dimension size caused by subtracting {k4[channel_index]} "
                       f"from {c}")
        c = got[0]
    return (dims[0], c, sizes[0], sizes[1]) if channel_index == 1 else \
        (dims[0], sizes[0], sizes[1], c)


def merge_or_fail(a: Dims, b: Dims, fail: Callable[[str], ValueError]) -> None:
    """TF's InferenceContext::Merge of two shapes, only for its error."""
    if not compatible(a, b):
        raise fail(merge_error(a, b))


def grad_grad_shape(full: str, op_type: str, inputs: list[Tensor], attrs: dict[str, Any]
                    ) -> Dims:
    """MaxPoolGradGrad(V2)'s shape function: the forward pool's output shape, with
    orig_input merged with grad and orig_output with that output."""
    out = pool_shape(full, op_type, inputs, attrs)
    text = attrs_text(attrs, op_type)

    def fail(message: str) -> ValueError:
        return node_error(message, full, op_type, text, inputs)

    merge_or_fail(inputs[0]._shape, inputs[2]._shape, fail)
    merge_or_fail(inputs[1]._shape, out, fail)
    return out


# -- run time -----------------------------------------------------------------------------------
def check_batch(attrs: dict[str, Any]) -> None:
    """The pooling kernels' constructors: 4 window and stride values, none over the batch
    (TF checks these when it builds the kernel, before any input is read)."""
    k, s = attrs["ksize"], attrs["strides"]
    if len(k) != 4:
        raise InvalidArgumentError(None, None, "Sliding window ksize field must specify 4 "
                                   "dimensions")
    if len(s) != 4:
        raise InvalidArgumentError(None, None, "Sliding window stride field must specify 4 "
                                   "dimensions")
    if k[0] != 1 or s[0] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch "
                                 "dimension.")
    if any(v <= 0 for v in k):
        raise InvalidArgumentError(None, None, "Sliding window ksize must be positive. The "
                                   f"specified or inferred ksize is: {','.join(map(str, k))}")


def pool_geometry(attrs: dict[str, Any], shape: tuple[int, ...]) -> tuple[Any, ...]:
    """(window, strides, [(out, pad before, pad after)] for rows and columns) of an NHWC
    input shape."""
    nchw = attrs["data_format"].startswith("NC")
    hw = (2, 3) if nchw else (1, 2)
    k = [attrs["ksize"][a] for a in hw]
    s = [attrs["strides"][a] for a in hw]
    explicit = attrs.get("explicit_paddings") or []
    geo = []
    for i in range(2):
        pair = (explicit[2 * hw[i]], explicit[2 * hw[i] + 1]) if explicit else (0, 0)
        for side, pad in zip((("Top", "Bottom"), ("Left", "Right"))[i], pair):
            if pad >= k[i]:
                raise ValueError(f"{side} padding {pad} needs to be smaller than the window size "
                                 f"{k[i]}")
        if attrs["padding"] == "SAME":
            got = out_size(shape[1 + i], k[i], s[i], 1, "SAME", pair)
        else:
            # TF's GetWindowedOutputSize at run time (C's truncating division): a window
            # longer than the input by less than a stride gives an empty output
            num = shape[1 + i] + pair[0] + pair[1] - k[i] + s[i]
            n = num // s[i] if num >= 0 else -((-num) // s[i])
            if n < 0:
                raise ValueError(f"Computed output size would be negative: {n} [input_size: "
                                 f"{shape[1 + i]}, effective_filter_size: {k[i]}, stride: "
                                 f"{s[i]}]")
            got = (n, pair[0], pair[1])
        geo.append(got)
    return k, s, geo


def check_pool_dims(attrs: dict[str, Any], depth: int | None, what: str = "") -> int:
    """TF's pooling kernels' checks (at run time): no pooling over the batch; pooling over
    the depth only for MaxPool, alone, in windows that tile the depth. The depth window."""
    k, s = attrs["ksize"], attrs["strides"]
    c = 1 if attrs["data_format"].startswith("NC") else 3
    if k[0] != 1 or s[0] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch "
                                 "dimension.")
    if k[c] == 1:
        return 1
    if what:
        raise UnimplementedError(None, None, what)
    if any(k[a] != 1 for a in range(1, 4) if a != c):
        raise UnimplementedError(None, None, "MaxPooling supports exactly one of pooling "
                                 "across depth or pooling across width/height.")
    if depth is not None and depth % k[c]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window "
                                 "to evenly divide the input depth")
    if s[c] != k[c]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window "
                                 "to equal the depth stride")
    return int(k[c])


def windows(x: np.ndarray, geo: list[Any], fill: Any) -> tuple[np.ndarray, int, int]:
    (oh, top, bottom), (ow, left, right) = geo
    if top or bottom or left or right:
        xp = np.full((x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right,
                      x.shape[3]), fill, dtype=x.dtype)
        xp[:, top:top + x.shape[1], left:left + x.shape[2], :] = x
    else:
        xp = x
    return xp, oh, ow


def _taps(k: list[int], s: list[int], oh: int, ow: int) -> list[tuple[slice, ...]]:
    return [(slice(None), slice(i, i + (oh - 1) * s[0] + 1, s[0]),
             slice(j, j + (ow - 1) * s[1] + 1, s[1]), slice(None))
            for i in range(k[0]) for j in range(k[1])]


def _low(dtype: np.dtype) -> Any:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _expect(what: str, got: tuple[int, ...], want: tuple[int, ...]) -> None:
    if tuple(got) != tuple(want):
        raise ValueError(f"Expected {what} shape to be [{','.join(map(str, want))}], but got "
                         f"[{','.join(map(str, got))}]")


def max_pool(attrs: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """MaxPool of an NHWC array (NaN skipped; a window of only -inf / NaN or padding gives
    the dtype's lowest finite value, as TF's kernel starts from it)."""
    depth = check_pool_dims(attrs, x.shape[3])
    if depth > 1:
        # TF's depthwise max pooling: the max of each run of `depth` channels
        reduced: np.ndarray = np.fmax.reduce(x.reshape(*x.shape[:3], -1, depth), axis=-1)
        return reduced
    k, s, geo = pool_geometry(attrs, x.shape)
    xp, oh, ow = windows(x, geo, _low(x.dtype))
    if oh == 0 or ow == 0 or x.size == 0:
        return np.zeros((x.shape[0], oh, ow, x.shape[3]), dtype=x.dtype)
    taps = _taps(k, s, oh, ow)
    out: np.ndarray = xp[taps[0]].copy()
    for sl in taps[1:]:
        np.fmax(out, xp[sl], out=out)
    if out.dtype.kind == "f":
        np.fmax(out, np.finfo(out.dtype).min, out=out)
    return out


def avg_pool(attrs: dict[str, Any], x: np.ndarray) -> np.ndarray:
    """AvgPool of an NHWC array: SAME padding averages the valid elements only."""
    check_pool_dims(attrs, x.shape[3], "Non-spatial pooling is not yet supported. "
                    "Volunteers? :)")
    k, s, geo = pool_geometry(attrs, x.shape)
    xp, oh, ow = windows(x, geo, 0)
    ones = np.ones((1, x.shape[1], x.shape[2], 1), dtype=x.dtype)
    cp, _, _ = windows(ones, geo, 0)
    total = np.zeros((x.shape[0], oh, ow, x.shape[3]), dtype=x.dtype)
    count = np.zeros((1, oh, ow, 1), dtype=x.dtype)
    for sl in _taps(k, s, oh, ow):
        total += xp[sl]
        count += cp[sl]
    return total / np.maximum(count, 1)


def max_pool_grad(attrs: dict[str, Any], x: np.ndarray, y: np.ndarray, dy: np.ndarray
                  ) -> np.ndarray:
    """MaxPoolGrad (NHWC): each output's gradient to the first maximum of its window."""
    check_pool_dims(attrs, None, "MaxPoolingGrad is not yet supported on the depth "
                    "dimension.")
    for what, a in (("tensor_in", x), ("tensor_out", y), ("out_backprop", dy)):
        if a.ndim != 4:
            raise ValueError(f"{what} must be 4-dimensional")
    k, s, geo = pool_geometry(attrs, x.shape)
    (oh, _, _), (ow, _, _) = geo
    want = (x.shape[0], oh, ow, x.shape[3])
    _expect("orig_output", y.shape, want)
    _expect("grad", dy.shape, want)
    # TF's CPU kernel recomputes each window's argmax from the input (orig_output is only
    # shape-checked): the first valid element, then each strictly greater one, so a NaN
    # window sends its gradient to its first element
    xp, oh, ow = windows(x, geo, _low(x.dtype))
    valid, _, _ = windows(np.ones((1, *x.shape[1:3], 1), dtype=bool), geo, False)
    taps = _taps(k, s, oh, ow)
    best = np.zeros(y.shape, dtype=x.dtype)
    arg = np.full(y.shape, -1, dtype=np.int64)
    for t, sl in enumerate(taps):
        v = xp[sl]
        take = valid[sl] & ((arg < 0) | (v > best))
        best = np.where(take, v, best)
        arg = np.where(take, t, arg)
    dxp = np.zeros(xp.shape, dtype=dy.dtype)
    for t, sl in enumerate(taps):
        dxp[sl] += np.where(arg == t, dy, dy.dtype.type(0))
    (_, top, _), (_, left, _) = geo
    return dxp[:, top:top + x.shape[1], left:left + x.shape[2], :]


def max_pool_grad_grad(attrs: dict[str, Any], x: np.ndarray, y: np.ndarray, g: np.ndarray
                       ) -> np.ndarray:
    """MaxPoolGradGrad (NHWC): each output takes the grad at the first input (in window
    order) equal to its max."""
    for what, a in (("tensor_in", x), ("tensor_out", y), ("out_grad_backprop", g)):
        if a.ndim != 4:
            raise ValueError(f"{what} must be 4-dimensional")
    k, s, geo = pool_geometry(attrs, x.shape)
    (oh, _, _), (ow, _, _) = geo
    _expect("orig_output", y.shape, (x.shape[0], oh, ow, x.shape[3]))
    _expect("grad", g.shape, x.shape)
    xp, oh, ow = windows(x, geo, _low(x.dtype))
    gp, _, _ = windows(g, geo, 0)
    out = np.zeros(y.shape, dtype=g.dtype)
    taken = np.zeros(y.shape, dtype=bool)
    for sl in _taps(k, s, oh, ow):
        hit = (xp[sl] == y) & ~taken
        out += np.where(hit, gp[sl], g.dtype.type(0))
        taken |= hit
    return out


def _broadcast(index: int, size: int, k: int, stride: int, pad: int) -> tuple[int, int]:
    """TF's GetBroadcastSize: the input rows (or columns) one output row reads."""
    if index * stride > size:
        raise ValueError("index * stride must be less than or equal to input size")
    start = index * stride
    n = k
    if start < pad:
        n = k + start - pad
        start = 0
    else:
        start -= pad
    if start + k > size:
        n = min(size - start, k)
    return start, n


def avg_pool_grad(attrs: dict[str, Any], dims: tuple[int, ...], dy: np.ndarray
                  ) -> np.ndarray:
    """AvgPoolGrad (NHWC) of an input of shape ``dims``: TF 2.21's CPU kernel, which loops
    over the grad's own rows and columns and bounds-checks the input it would write."""
    if dy.ndim != 4:
        raise ValueError("out_backprop must be 4-dimensional")
    out = np.zeros(dims, dtype=dy.dtype)
    if out.size == 0:
        return out
    if attrs["ksize"][3] != 1:
        raise UnimplementedError(None, None, "Non-spatial pooling is not yet supported. "
                                 "Volunteers? :)")
    k, s, geo = pool_geometry(attrs, dims)
    (_, pad_rows, _), (_, pad_cols, _) = geo
    n, rows, cols, depth = dy.shape
    in_rows, in_cols = dims[1], dims[2]
    spans = []
    for r in range(rows):
        ri, rn = _broadcast(r, in_rows, k[0], s[0], pad_rows)
        for c in range(cols):
            ci, cn = _broadcast(c, in_cols, k[1], s[1], pad_cols)
            last = ((n - 1) * in_rows + ri + rn - 1) * in_cols + ci + cn - 1
            if last >= out.size:
                raise ValueError(f"Output only has {out.size} elements but computation "
                                 f"requested would use element with index={last}")
            spans.append((r, c, ri, rn, ci, cn))
    if (n, depth) == (dims[0], dims[3]):
        for r, c, ri, rn, ci, cn in spans:
            out[:, ri:ri + rn, ci:ci + cn, :] += (dy[:, r, c, :] / (rn * cn))[:, None, None, :]
        return out
    # a grad of another batch or depth: TF's flat indexing, writes past the end dropped
    flat = out.reshape(-1)
    for r, c, ri, rn, ci, cn in spans:
        rr, cc = np.meshgrid(np.arange(ri, ri + rn), np.arange(ci, ci + cn), indexing="ij")
        b = np.arange(n)[:, None, None, None]
        index = ((b * in_rows + rr[None, :, :, None]) * in_cols + cc[None, :, :, None]) * depth \
            + np.arange(depth)[None, None, None, :]
        value = np.broadcast_to((dy[:, r, c, :] / (rn * cn))[:, None, None, :], index.shape)
        keep = index < flat.size
        np.add.at(flat, index[keep], value[keep])
    return out
