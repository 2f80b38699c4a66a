// conv2d + bias + activation, portable baseline implementation: the reference the SIMD paths
// are tested against, and the fallback (the compiler may auto-vectorise the 16-channel inner
// loop for the baseline ISA). Written independently of the shared SIMD bodies on purpose.
//
// Every tap is formed, padding as zeros that multiply the filter (TF's Eigen convolution:
// an Inf / NaN filter value over padding gives NaN), so conv2d_relu() runs non-finite filters
// with padding here.
//
// ISA-file hygiene (STYLE.md 4): only <cstddef>, <cstdint> and the plain params header; no STL,
// no shared inline helpers; one exported C-like function.
#include <cstddef>
#include <cstdint>

#include "varstore/kernels/conv2d_relu.hpp"

namespace varstore::kernels::scalar {
namespace {

using i64 = std::int64_t;

constexpr int kVec = 16;  // channels per accumulator group

inline i64 min64(i64 a, i64 b) { return a < b ? a : b; }

}  // namespace

void conv2d_relu_nhwc_f32__scalar(const Conv2dReluParams* pp, std::int64_t task_begin,
                                  std::int64_t task_end, float* /*scratch*/) {
  const Conv2dReluParams& p = *pp;
  const i64 CB = p.cout_block;
  const i64 rows = p.N * p.OH;
  const i64 kpanel = p.KH * p.KW * p.Cin * CB;
  for (i64 t = task_begin * p.task_cbs; t < task_end * p.task_cbs; ++t) {
    // task = (row group, column group, channel-block group) (see Conv2dReluParams); t counts
    // its channel blocks
    const i64 cb = (t / p.task_cbs % p.n_cb_groups) * p.task_cbs + t % p.task_cbs;
    const i64 cg = (t / (p.task_cbs * p.n_cb_groups)) % p.n_col_groups;
    const i64 rg = t / (p.task_cbs * p.n_cb_groups * p.n_col_groups);
    if (cb >= p.n_cout_blocks) continue;
    const i64 co0 = cb * CB;
    const i64 nvalid = min64(CB, p.Cout - co0);
    const float* wblk = p.weights + cb * kpanel;
    const i64 ldw = (nvalid + 15) / 16 * 16;  // row stride of this block (last may be narrower)
    const i64 r_end = min64(rows, (rg + 1) * p.task_rows);
    const i64 c0 = cg * p.task_cols;
    const i64 c1 = min64(p.OW, c0 + p.task_cols);
    for (i64 r = rg * p.task_rows; r < r_end; ++r) {
      const i64 n = r / p.OH;
      const i64 oh = r % p.OH;
      const i64 ih0 = oh * p.stride_h - p.pad_top;
      for (i64 ow = c0; ow < c1; ++ow) {
        const i64 iw0 = ow * p.stride_w - p.pad_left;
        float* out = p.output + (r * p.OW + ow) * p.Cout + co0;
        for (i64 sub = 0; sub < nvalid; sub += kVec) {
          float acc[kVec];
          const i64 nc = min64(kVec, nvalid - sub);
          for (int c = 0; c < kVec; ++c) acc[c] = (p.bias != nullptr && c < nc) ? p.bias[co0 + sub + c] : 0.0f;
          for (i64 kh = 0; kh < p.KH; ++kh) {
            const i64 ih = ih0 + kh * p.dilation_h;
            for (i64 kw = 0; kw < p.KW; ++kw) {
              const i64 iw = iw0 + kw * p.dilation_w;
              const bool inside = ih >= 0 && ih < p.H && iw >= 0 && iw < p.W;
              const float* xp = inside ? p.input + ((n * p.H + ih) * p.W + iw) * p.Cin : nullptr;
              const float* wp = wblk + (kh * p.KW + kw) * p.Cin * ldw + sub;
              for (i64 ci = 0; ci < p.Cin; ++ci) {
                const float xv = inside ? xp[ci] : 0.0f;  // padding: 0 * w is formed
                const float* wr = wp + ci * ldw;
                for (int c = 0; c < kVec; ++c) acc[c] += xv * wr[c];
              }
            }
          }
          for (i64 c = 0; c < nc; ++c) {
            const float v = acc[c];
            float o = v;
            if (p.activation == kActivationRelu) {
              o = v < 0.0f ? 0.0f : v;  // NaN stays NaN (TF's Relu)
            } else if (p.activation == kActivationLeakyRelu) {
              o = v > 0.0f ? v : v * p.alpha;  // TF's LeakyRelu
            }
            out[sub + c] = o;
          }
        }
      }
    }
  }
}

}  // namespace varstore::kernels::scalar
