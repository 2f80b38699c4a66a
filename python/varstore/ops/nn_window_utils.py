"""What the N-D windowed ops (Conv3D and its backprops, the 3-D pools, MaxPoolWithArgmax,
Dilation2D) share: TF's generated-wrapper checks of list and string attributes, the
``{{node ...}}`` attribute text of shape errors, TF's run-time window geometry
(GetWindowedOutputSizeVerbose) and NumPy channels-last convolution kernels over any number
of spatial dimensions (one matrix product per filter tap)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from varstore.errors import InvalidArgumentError
from varstore.framework.ops import Tensor, dt_enum, node_error

__all__: list[str] = []

Geometry = list[tuple[int, int, int]]  # per spatial dim: (output size, pad before, pad after)


def fmt_list(values: Sequence[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


# -- attributes, as gen_nn_ops and op_def_library check them ----------------------------------------
def int_list(value: Any, attr: str, api: str) -> list[int]:
    """gen_nn_ops' ``if not isinstance(v, (list, tuple)): raise TypeError(...)``."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"Expected list for '{attr}' argument to '{api}' Op, not {value!r}.")
    return [int(v) for v in value]


def convert_padding(padding: Any, expected_length: int = 4) -> tuple[Any, list[int]]:
    """TF's nn_ops.convert_padding: a list of [before, after] pairs becomes 'EXPLICIT' and
    the flat explicit_paddings."""
    explicit: list[int] = []
    if isinstance(padding, str) and padding == "EXPLICIT":
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit "
                         "padding, `padding` must be a list.")
    if isinstance(padding, (list, tuple)):
        for i, pair in enumerate(padding):
            if not isinstance(pair, (list, tuple)):
                raise ValueError(  # noqa: TRY004 - TF raises ValueError
                    "When `padding` is a list, each element of `padding` must be a list/tuple "
                    f"of size 2. Received: padding={padding} with element at index {i} of type "
                    f"{type(pair)}")
            if len(pair) != 2:
                raise ValueError("When `padding` is a list, each element of `padding` must be a "
                                 f"list/tuple of size 2. Received: padding={padding} with "
                                 f"element at index {i} of size {len(pair)}")
            explicit.extend(int(v) for v in pair)
        if len(padding) != expected_length:
            raise ValueError(f"When padding is a list, it must be of size {expected_length}. "
                             f"Received: padding={padding} of size {len(padding)}")
        padding = "EXPLICIT"
    return padding, explicit


def padding_str(padding: Any) -> str:
    """_execute.make_str(padding, "padding")."""
    if not isinstance(padding, (str, bytes)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    return padding.decode() if isinstance(padding, bytes) else padding


def check_min_length(values: Sequence[int], attr: str, op_type: str, minimum: int) -> None:
    if len(values) < minimum:
        raise ValueError(f"Attr '{attr}' of '{op_type}' Op passed list of length {len(values)} "
                         f"less than minimum {minimum}.")


def check_choice(value: str, attr: str, op_type: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        shown = ", ".join(f'"{a}"' for a in allowed)
        raise ValueError(f"Attr '{attr}' of '{op_type}' Op passed string '{value}' not in: "
                         f"{shown}.")


def attrs_text(attrs: dict[str, Any]) -> str:
    """The attributes of a NodeDef as TF prints them in a shape error (sorted by name)."""
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if isinstance(value, bool):
            parts.append(f"{key}={str(value).lower()}")
        elif isinstance(value, str):
            parts.append(f'{key}="{value}"')
        elif isinstance(value, (list, tuple)):
            parts.append(f"{key}={fmt_list(value)}")
        elif hasattr(value, "_np"):
            parts.append(f"{key}={dt_enum(value)}")
        else:
            parts.append(f"{key}={value}")
    return ", ".join(parts)


def conv2d_backprop_input_shape(full: str, sz: Tensor, w: Tensor, dy: Tensor,
                                attrs: dict[str, Any], sizes: tuple[int | None, ...] | None,
                                text: str) -> tuple[int | None, ...] | None:
    """TF's Conv2DBackpropInputShape: the batch is out_backprop's, the spatial dims (and the
    depth, when given) the input_sizes'; two sizes are the spatial dims only."""
    if sizes is None:
        n = sz._shape[0] if sz._shape is not None and len(sz._shape) == 1 else None
        sizes = (None,) * (4 if n is None else n)
    nchw = attrs["data_format"] == "NCHW"
    batch = dy._shape[0] if dy._shape is not None and len(dy._shape) == 4 else None
    if dy._shape is not None and len(dy._shape) == 4 and w._shape is not None \
            and len(w._shape) == 4:
        # TF merges out_backprop's depth with the filter's output channels
        a, b = dy._shape[1 if nchw else 3], w._shape[3]
        if a is not None and b is not None and a != b:
            raise node_error(f"Dimensions must be equal, but are {a} and {b}", full,
                             "Conv2DBackpropInput", text, [sz, w, dy])
    if len(sizes) == 4:
        depth, spatial = (sizes[1], sizes[2:]) if nchw else (sizes[3], sizes[1:3])
    elif len(sizes) == 2:
        depth = w._shape[2] if w._shape is not None and len(w._shape) == 4 else None
        spatial = sizes
    else:
        raise node_error(f"Conv2DBackpropInput requires input_sizes to contain 4 values or 2 "
                         f"values, but got: {len(sizes)}", full, "Conv2DBackpropInput",
                         text, [sz, w, dy])
    return (batch, depth, *spatial) if nchw else (batch, *spatial, depth)


def check_explicit_paddings(attrs: dict[str, Any]) -> None:
    """TF's CheckValidPadding, as the conv backprop kernels run it when they are built (their
    shape functions do not): explicit paddings nonnegative, none on the batch or depth."""
    explicit = list(attrs.get("explicit_paddings") or [])
    if attrs.get("padding") != "EXPLICIT" or not explicit:
        return
    if any(v < 0 for v in explicit):
        raise InvalidArgumentError(None, None, "All elements of explicit_paddings must be "
                                   "nonnegative")
    c = 1 if str(attrs.get("data_format", "NHWC")).startswith("NC") else len(explicit) // 2 - 1
    if any(explicit[2 * a + i] for a in (0, c) for i in (0, 1)):
        raise InvalidArgumentError(None, None, "Nonzero explicit padding in the batch or depth "
                                   "dimensions is not supported")


# -- geometry ---------------------------------------------------------------------------------------
def windowed_output(n: int, k: int, stride: int, dilation: int, padding: str
                    ) -> tuple[int, int, int]:
    """TF's GetWindowedOutputSizeVerbose (run time): (output, pad before, pad after); a
    VALID window longer than the input by more than a stride is an error, C's truncating
    division included."""
    eff = (k - 1) * dilation + 1
    if padding == "SAME":
        out = (n + stride - 1) // stride
        total = max((out - 1) * stride + eff - n, 0)
        return out, total // 2, total - total // 2
    num = n - eff + stride
    out = num // stride if num >= 0 else -((-num) // stride)
    if out < 0:
        raise ValueError(f"Computed output size would be negative: {out} [input_size: {n}, "
                         f"effective_filter_size: {eff}, stride: {stride}]")
    return out, 0, 0


def geometry(spatial: Sequence[int], window: Sequence[int], strides: Sequence[int],
             dilations: Sequence[int], padding: str) -> Geometry:
    return [windowed_output(n, k, s, d, padding)
            for n, k, s, d in zip(spatial, window, strides, dilations)]


def tap_slices(tap: Sequence[int], dilations: Sequence[int], strides: Sequence[int],
               geo: Geometry) -> tuple[slice, ...]:
    """The (padded) input elements filter tap ``tap`` meets, for every output position."""
    inner = [slice(t * d, t * d + (g[0] - 1) * s + 1, s)
             for t, d, s, g in zip(tap, dilations, strides, geo)]
    return (slice(None), *inner, slice(None))


def pad_input(x: np.ndarray, geo: Geometry, fill: Any = 0) -> np.ndarray:
    if not any(g[1] or g[2] for g in geo):
        return x
    widths = [(0, 0)] + [(g[1], g[2]) for g in geo] + [(0, 0)]
    return np.pad(x, widths, constant_values=fill)


def crop(xp: np.ndarray, geo: Geometry, spatial: Sequence[int]) -> np.ndarray:
    inner = [slice(g[1], g[1] + n) for g, n in zip(geo, spatial)]
    index = (slice(None), *inner, slice(None))
    return xp[index]


def compute_dtype(dtype: np.dtype[Any]) -> np.dtype[Any]:
    # half products accumulate in float32 (as Eigen's half GEMM does), then round once
    return np.dtype(np.float32) if dtype == np.float16 else dtype


# -- channels-last convolution kernels (x: [N, *spatial, C], w: [*window, C, O]) -----------------
def conv_nd(x: np.ndarray, w: np.ndarray, strides: Sequence[int], dilations: Sequence[int],
            geo: Geometry) -> np.ndarray:
    ct = compute_dtype(x.dtype)
    out = np.zeros((x.shape[0], *[g[0] for g in geo], w.shape[-1]), dtype=ct)
    if out.size == 0 or x.shape[-1] == 0:
        return out.astype(x.dtype, copy=False)
    xp = pad_input(x.astype(ct, copy=False), geo)
    wc = w.astype(ct, copy=False)
    for tap in np.ndindex(*w.shape[:-2]):
        out += xp[tap_slices(tap, dilations, strides, geo)] @ wc[tap]
    return out.astype(x.dtype, copy=False)


def conv_nd_backprop_input(dy: np.ndarray, w: np.ndarray, in_shape: Sequence[int],
                           strides: Sequence[int], dilations: Sequence[int], geo: Geometry
                           ) -> np.ndarray:
    ct = compute_dtype(dy.dtype)
    spatial = in_shape[1:-1]
    dxp = np.zeros((in_shape[0], *[n + g[1] + g[2] for n, g in zip(spatial, geo)],
                    in_shape[-1]), dtype=ct)
    if dy.size and w.size:
        dyc = dy.astype(ct, copy=False)
        wc = w.astype(ct, copy=False)
        for tap in np.ndindex(*w.shape[:-2]):
            dxp[tap_slices(tap, dilations, strides, geo)] += dyc @ wc[tap].T
    return np.ascontiguousarray(crop(dxp, geo, spatial)).astype(dy.dtype, copy=False)


def conv_nd_backprop_filter(x: np.ndarray, dy: np.ndarray, f_shape: Sequence[int],
                            strides: Sequence[int], dilations: Sequence[int], geo: Geometry
                            ) -> np.ndarray:
    ct = compute_dtype(dy.dtype)
    dw = np.zeros(tuple(f_shape), dtype=ct)
    if not dy.size or not x.size:
        return dw.astype(dy.dtype, copy=False)
    xp = pad_input(x.astype(ct, copy=False), geo)
    dy2 = dy.astype(ct, copy=False).reshape(-1, f_shape[-1])
    for tap in np.ndindex(*f_shape[:-2]):
        dw[tap] = xp[tap_slices(tap, dilations, strides, geo)].reshape(-1, f_shape[-2]).T @ dy2
    return dw.astype(dy.dtype, copy=False)


def to_channels_last(a: np.ndarray) -> np.ndarray:
    return np.moveaxis(a, 1, -1)


def to_channels_first(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.moveaxis(a, -1, 1))
