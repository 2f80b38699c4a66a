"""NumPy reference kernels of Conv2D and its two backprops (NHWC, HWIO filter): one matrix
product per filter tap. The SIMD kernels of ``_core`` replace them for float32; these run
every other dtype (and grouped convolutions)."""

from __future__ import annotations

import numpy as np

__all__: list[str] = []


def conv_reference(x: np.ndarray, w: np.ndarray, strides: tuple[int, int],
                    dilations: tuple[int, int], pads: tuple[int, int, int, int]) -> np.ndarray:
    """NHWC x (N,H,W,C), HWIO w (KH,KW,C/groups,O): one matrix product per filter tap, in
    the input dtype."""
    n, h, wd, c = x.shape
    kh, kw, cin, cout = w.shape
    sh, sw = strides
    dh, dw = dilations
    top, bottom, left, right = pads
    oh = (h + top + bottom - ((kh - 1) * dh + 1)) // sh + 1
    ow = (wd + left + right - ((kw - 1) * dw + 1)) // sw + 1
    out = np.zeros((n, max(oh, 0), max(ow, 0), cout), dtype=np.result_type(x.dtype, w.dtype))
    if oh <= 0 or ow <= 0 or n == 0 or cin == 0:
        return out
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0))) if any(pads) else x
    groups = c // cin
    gout = cout // groups if groups else 0
    for i in range(kh):
        rows = xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh]
        for j in range(kw):
            patch = rows[:, :, j * dw:j * dw + (ow - 1) * sw + 1:sw, :]
            if groups == 1:
                out += patch @ w[i, j]
            else:
                for g in range(groups):
                    out[..., g * gout:(g + 1) * gout] += (
                        patch[..., g * cin:(g + 1) * cin] @ w[i, j, :, g * gout:(g + 1) * gout])
    return out


def backprop_input_ref(dy: np.ndarray, w: np.ndarray, in_shape: tuple[int, ...],
                        strides: tuple[int, int], dilations: tuple[int, int],
                        pads: tuple[int, int, int, int]) -> np.ndarray:
    n, h, wd, c = in_shape
    kh, kw, _cin, _cout = w.shape
    sh, sw = strides
    dh, dw = dilations
    top, bottom, left, right = pads
    oh, ow = dy.shape[1], dy.shape[2]
    dxp = np.zeros((n, h + top + bottom, wd + left + right, c), dtype=dy.dtype)
    if dy.size and w.size:
        for i in range(kh):
            for j in range(kw):
                contrib = dy @ w[i, j].T
                dxp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh,
                    j * dw:j * dw + (ow - 1) * sw + 1:sw, :] += contrib
    return dxp[:, top:top + h, left:left + wd, :]


def backprop_filter_ref(x: np.ndarray, dy: np.ndarray, f_shape: tuple[int, ...],
                         strides: tuple[int, int], dilations: tuple[int, int],
                         pads: tuple[int, int, int, int]) -> np.ndarray:
    kh, kw, cin, cout = f_shape
    sh, sw = strides
    dh, dw = dilations
    oh, ow = dy.shape[1], dy.shape[2]
    dw_ = np.zeros(f_shape, dtype=dy.dtype)
    if not dy.size or not x.size:
        return dw_
    xp = np.pad(x, ((0, 0), (pads[0], pads[1]), (pads[2], pads[3]), (0, 0))) if any(pads) \
        else x
    dy2 = dy.reshape(-1, cout)
    for i in range(kh):
        rows = xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh]
        for j in range(kw):
            patch = rows[:, :, j * dw:j * dw + (ow - 1) * sw + 1:sw, :]
            dw_[i, j] = patch.reshape(-1, cin).T @ dy2
    return dw_
