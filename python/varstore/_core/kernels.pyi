# varstore._core.kernels: conv2d + bias + ReLU kernels with run-time ISA dispatch.

from collections.abc import Sequence
from typing import SupportsIndex, final

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

# Fused conv2d + bias + ReLU: relu(conv2d(x, w) + bias), written once.
# x: NHWC [N, H, W, Cin]; w: HWIO [KH, KW, Cin, Cout] or a PackedFilter; bias: [Cout] or None
# (all converted to C-contiguous float32 if needed); strides, dilations: an int or (h, w), default
# (1, 1); padding: (top, bottom, left, right), (h, w) or an int in pixels, default (0, 0, 0, 0),
# or "SAME" / "VALID" (TensorFlow rules). relu=False skips the activation. Returns a new
# C-contiguous float32 [N, OH, OW, Cout] array, or fills `out` (float32, C-contiguous, writeable,
# not overlapping the inputs) and returns it. Releases the GIL.
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
) -> NDArray[np.float32]: ...

# TensorFlow "SAME" padding of one axis: (before, after); after may exceed before by one.
def same_padding(
    in_size: SupportsIndex, k: SupportsIndex, stride: SupportsIndex = 1, dilation: SupportsIndex = 1
) -> tuple[int, int]: ...

# Output size of one axis for explicit padding (<= 0: empty).
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
