# varstore._core.kernels: conv2d + bias + activation kernels, their backward kernels
# (Conv2DBackpropInput / Conv2DBackpropFilter / BiasAddGrad, optionally fused with the ReLU or
# leaky-ReLU backward mask) with run-time ISA dispatch.

from collections.abc import Sequence
from typing import Any, Literal, SupportsIndex, final

import numpy as np
from numpy.typing import ArrayLike, NDArray

# An HWIO float32 filter packed once into the kernels' blocked layout. Pass it to conv2d_relu()
# in place of the filter array to skip re-packing; it does not track later changes of the source
# array (re-pack then).
@final
class PackedFilter:
    def __init__(self, w: ArrayLike) -> None: ...
    @property
    def shape(self) -> tuple[int, int, int, int]: ...  # (height, width, in_channels, out_channels)
    @property
    def nbytes(self) -> int: ...

# Fused conv2d + bias + activation: act(conv2d(x, w) + bias), written once.
# x: NHWC [N, H, W, Cin]; w: HWIO [KH, KW, Cin, Cout] or a PackedFilter; bias: [Cout] or None
# (all converted to C-contiguous float32 if needed); strides, dilations: an int or (h, w), default
# (1, 1); padding: (top, bottom, left, right), (h, w) or an int in pixels, default (0, 0, 0, 0),
# or "SAME" / "VALID" (TensorFlow rules: SAME puts the odd pixel after). activation: "none",
# "relu" (keeps NaN) or "leaky_relu" (x > 0 ? x : alpha * x, TF's LeakyRelu); None: "relu" if
# relu else "none". Empty tensors as TF: N / OH / OW / Cout = 0 give an empty result, Cin = 0
# gives act(bias). Returns a new C-contiguous float32 [N, OH, OW, Cout] array, or fills `out`
# (float32, C-contiguous, writeable, not overlapping the inputs) and returns it. Releases the GIL.
def conv2d_relu(
    x: ArrayLike,
    w: ArrayLike | PackedFilter,
    bias: ArrayLike | None = None,
    strides: SupportsIndex | Sequence[SupportsIndex] = ...,
    dilations: SupportsIndex | Sequence[SupportsIndex] = ...,
    padding: str | SupportsIndex | Sequence[SupportsIndex] = ...,
    relu: bool = True,
    *,
    out: NDArray[np.float32] | None = None,
    activation: Literal["none", "relu", "leaky_relu"] | None = None,
    alpha: float = 0.2,
) -> NDArray[np.float32]: ...

# TF's Conv2DBackpropInput (= tf.nn.conv2d_transpose): dx [N, H, W, Cin] of conv2d(x, w).
# dy: [N, OH, OW, Cout], which must be the forward output size of input_shape = (N, H, W, Cin)
# (TF's "Size of out_backprop doesn't match computed" otherwise); w: HWIO [KH, KW, Cin, Cout];
# strides / dilations / padding as conv2d_relu (SAME / VALID computed from input_shape). y
# (optional, the shape of dy) masks dy first: y > 0 ? dy : alpha * dy (alpha = 0: TF's ReluGrad,
# else LeakyReluGrad; pass the activation output, or its input, the features, when alpha is
# outside [0, 1)). Fills `out` if given. Releases the GIL.
def conv2d_backprop_input(
    dy: ArrayLike,
    w: ArrayLike,
    input_shape: Sequence[SupportsIndex],
    strides: SupportsIndex | Sequence[SupportsIndex] = 1,
    dilations: SupportsIndex | Sequence[SupportsIndex] = 1,
    padding: str | SupportsIndex | Sequence[SupportsIndex] = 0,
    *,
    y: ArrayLike | None = None,
    alpha: float = 0.0,
    out: NDArray[np.float32] | None = None,
) -> NDArray[np.float32]: ...

# TF's Conv2DBackpropFilter: dw HWIO [KH, KW, Cin, Cout] of conv2d(x, w); filter_shape =
# (KH, KW, Cin, Cout); y / alpha: the fused mask as conv2d_backprop_input. bias_out (float32
# [Cout]) also receives the bias gradient (sum of the masked dy) from the same pass. Fills `out`
# if given. Releases the GIL.
def conv2d_backprop_filter(
    x: ArrayLike,
    dy: ArrayLike,
    filter_shape: Sequence[SupportsIndex],
    strides: SupportsIndex | Sequence[SupportsIndex] = 1,
    dilations: SupportsIndex | Sequence[SupportsIndex] = 1,
    padding: str | SupportsIndex | Sequence[SupportsIndex] = 0,
    *,
    y: ArrayLike | None = None,
    alpha: float = 0.0,
    out: NDArray[np.float32] | None = None,
    bias_out: NDArray[np.float32] | None = None,
) -> NDArray[np.float32]: ...

# TF's BiasAddGrad: dy summed over every axis but the last (float32, blocked accumulation).
# y / alpha: the fused mask as conv2d_backprop_input; masked_out (float32, the shape of dy) also
# receives the masked dy from the same pass. Fills `out` ([C]) if given. Releases the GIL.
def bias_add_grad(
    dy: ArrayLike,
    *,
    y: ArrayLike | None = None,
    alpha: float = 0.0,
    out: NDArray[np.float32] | None = None,
    masked_out: NDArray[np.float32] | None = None,
) -> NDArray[np.float32]: ...

# TensorFlow "SAME" padding of one axis: (before, after); after may exceed before by one.
def same_padding(
    in_size: SupportsIndex, k: SupportsIndex, stride: SupportsIndex = 1, dilation: SupportsIndex = 1
) -> tuple[int, int]: ...

# Output size of one axis for explicit padding, by TF's rule (0: empty; < 0: TF's error).
def output_size(
    in_size: SupportsIndex,
    k: SupportsIndex,
    stride: SupportsIndex = 1,
    dilation: SupportsIndex = 1,
    pad_before: SupportsIndex = 0,
    pad_after: SupportsIndex = 0,
) -> int: ...

# ISA of the implementation in use: "avx512", "avx2" or "scalar".
def active_isa() -> str: ...

# ISAs compiled in AND supported by this CPU/OS, best first.
def supported_isas() -> list[str]: ...

# ISAs compiled into this build, best first.
def compiled_isas() -> list[str]: ...

# Use this ISA from now on; ValueError if unknown, not compiled or not supported.
def force_isa(name: str) -> None: ...

# Drop force_isa(); select as on first use (honours VARSTORE_FORCE_ISA).
def reset_isa() -> None: ...

# Threads used by the kernels (caller included).
def set_num_threads(n: SupportsIndex) -> None: ...
def get_num_threads() -> int: ...

# The CPU's brand string.
def cpu_brand() -> str: ...

# FP32 GFLOP/s of an FMA-throughput loop on this thread with the widest supported ISA (best of a
# few samples of about `seconds`); 0.0 without SIMD.
def measure_peak_gflops(seconds: float = 0.05) -> float: ...

# TF's Philox-4x32-10 blocks (bind_random.cpp), (len(offsets), 4) uint32: row i at the 128-bit
# counter (counter_hi << 64 | counter_lo) + offsets[i] under the 64-bit key. Releases the GIL.
def philox_blocks(
    key: SupportsIndex, counter_lo: SupportsIndex, counter_hi: SupportsIndex, offsets: ArrayLike
) -> NDArray[np.uint32]: ...

# TF's RandomStandardNormal from the counter on: n Box-Muller values, "float32" (4 a block; TF's
# float values, which its half kernel rounds) or "float64" (2 a block). Releases the GIL.
def philox_normal(
    key: SupportsIndex,
    counter_lo: SupportsIndex,
    counter_hi: SupportsIndex,
    n: SupportsIndex,
    dtype: Literal["float32", "float64"],
) -> NDArray[np.float32] | NDArray[np.float64]: ...

# TF's TruncatedNormal from the counter on: n Box-Muller values with |x| < 2, each group of 4
# floats (2 doubles) from its own run of 256 (128) counters. Releases the GIL.
def philox_truncated_normal(
    key: SupportsIndex,
    counter_lo: SupportsIndex,
    counter_hi: SupportsIndex,
    n: SupportsIndex,
    dtype: Literal["float32", "float64"],
) -> NDArray[np.float32] | NDArray[np.float64]: ...

# TF's SparseTensorDenseMatMul CPU loop: out[ms[i]] += values[i] * b[ks[i]] for i in order
# (float32/float64; out 2-D C-contiguous and zeroed by the caller; the indices are not checked:
# sparse_ops.py checks them first). Releases the GIL.
def sparse_dense_matmul_rows(
    out: NDArray[Any], ms: NDArray[np.int64], ks: NDArray[np.int64], values: NDArray[Any],
    b: NDArray[Any]
) -> None: ...
