// Conv2DBackpropFilter (dw, and optionally the bias gradient), portable baseline
// implementation: the reference the SIMD paths are tested against, written directly from the
// definition (independently of the shared SIMD body):
//   dw[kh, kw, ci, co] = sum over output pixels (n, oh, ow) of
//     xpad[n, oh * sh + kh * dh - pt, ow * sw + kw * dw - pl, ci] * m(dy)[n, oh, ow, co]
// with zero padding that multiplies dy (TF's im2col + GEMM). It runs the same tasks and passes
// as the SIMD kernels (see Conv2dBackpropFilterParams) but reads x directly.
//
// ISA-file hygiene (STYLE.md 4): only <cstddef>, <cstdint> and the plain params headers; no
// STL, no shared inline helpers; one exported C-like function.
#include <cstddef>
#include <cstdint>

#include "varstore/kernels/conv2d_backprop.hpp"

namespace varstore::kernels::scalar {
namespace {

using i64 = std::int64_t;

inline i64 min64(i64 a, i64 b) { return a < b ? a : b; }

inline float masked(const Conv2dBackpropFilterParams& p, i64 i) {
  const float d = p.dy[i];
  return (p.y != nullptr && !(p.y[i] > 0.0f)) ? d * p.alpha : d;
}

}  // namespace

void conv2d_backprop_filter_nhwc_f32__scalar(const Conv2dBackpropFilterParams* pp,
                                             std::int64_t task_begin, std::int64_t task_end,
                                             float* /*scratch*/) {
  const Conv2dBackpropFilterParams& p = *pp;
  const i64 M = p.KH * p.KW * p.Cin;
  for (i64 t = task_begin; t < task_end; ++t) {
    const i64 nb = t / p.n_mranges;
    const i64 mr = t % p.n_mranges;
    const i64 co0 = nb * p.cout_block;
    const i64 nvalid = min64(p.cout_block, p.Cout - co0);
    const i64 m0 = mr * p.mrange_rows, m1 = min64(M, m0 + p.mrange_rows);
    for (i64 m = m0; m < m1; ++m) {
      const i64 ci = m % p.Cin, kw = (m / p.Cin) % p.KW, kh = m / (p.Cin * p.KW);
      float acc[64];
      for (i64 c = 0; c < nvalid; ++c) acc[c] = p.accumulate ? p.dw[m * p.Cout + co0 + c] : 0.0f;
      for (i64 n = p.n0; n < p.n1; ++n) {
        for (i64 oh = 0; oh < p.OH; ++oh) {
          const i64 ih = oh * p.stride_h + kh * p.dilation_h - p.pad_top;
          for (i64 ow = 0; ow < p.OW; ++ow) {
            const i64 iw = ow * p.stride_w + kw * p.dilation_w - p.pad_left;
            const bool inside = ih >= 0 && ih < p.H && iw >= 0 && iw < p.W;
            const float xv = inside ? p.x[((n * p.H + ih) * p.W + iw) * p.Cin + ci] : 0.0f;
            const i64 src = ((n * p.OH + oh) * p.OW + ow) * p.Cout + co0;
            for (i64 c = 0; c < nvalid; ++c) acc[c] += xv * masked(p, src + c);  // 0 * dy formed
          }
        }
      }
      for (i64 c = 0; c < nvalid; ++c) p.dw[m * p.Cout + co0 + c] = acc[c];
    }
    if (p.bias_grad != nullptr && mr == 0) {
      for (i64 c = 0; c < nvalid; ++c) {
        float s = p.accumulate ? p.bias_grad[co0 + c] : 0.0f;
        for (i64 r = p.n0 * p.OH * p.OW; r < p.n1 * p.OH * p.OW; ++r) s += masked(p, r * p.Cout + co0 + c);
        p.bias_grad[co0 + c] = s;
      }
    }
  }
}

}  // namespace varstore::kernels::scalar
