// conv2d + bias + ReLU, portable baseline implementation (correctness fallback; the compiler may
// auto-vectorise the 16-channel inner loop for the baseline ISA).
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
inline i64 max64(i64 a, i64 b) { return a > b ? a : b; }

// First k in [0, K) with 0 <= base + k*d, and one past the last k with base + k*d < limit.
inline void valid_taps(i64 base, i64 d, i64 K, i64 limit, i64* lo, i64* hi) {
  i64 l = 0;
  if (base < 0) l = (-base + d - 1) / d;
  i64 h = 0;
  if (limit - 1 - base >= 0) h = min64(K, (limit - 1 - base) / d + 1);
  *lo = l;
  *hi = max64(l, h);
}

}  // namespace

void conv2d_relu_nhwc_f32__scalar(const Conv2dReluParams* pp, std::int64_t task_begin,
                                  std::int64_t task_end, float* /*scratch*/) {
  const Conv2dReluParams& p = *pp;
  const i64 CB = p.cout_block;
  const i64 rows = p.N * p.OH;
  const i64 kpanel = p.KH * p.KW * p.Cin * CB;
  for (i64 t = task_begin; t < task_end; ++t) {
    const i64 cb = t % p.n_cout_blocks;
    const i64 cg = (t / p.n_cout_blocks) % p.n_col_groups;
    const i64 rg = t / (p.n_cout_blocks * p.n_col_groups);
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
      i64 kh_lo = 0, kh_hi = 0;
      valid_taps(ih0, p.dilation_h, p.KH, p.H, &kh_lo, &kh_hi);
      for (i64 ow = c0; ow < c1; ++ow) {
        const i64 iw0 = ow * p.stride_w - p.pad_left;
        i64 kw_lo = 0, kw_hi = 0;
        valid_taps(iw0, p.dilation_w, p.KW, p.W, &kw_lo, &kw_hi);
        float* out = p.output + (r * p.OW + ow) * p.Cout + co0;
        for (i64 sub = 0; sub < nvalid; sub += kVec) {
          float acc[kVec];
          const i64 nc = min64(kVec, nvalid - sub);
          for (int c = 0; c < kVec; ++c) acc[c] = (p.bias != nullptr && c < nc) ? p.bias[co0 + sub + c] : 0.0f;
          for (i64 kh = kh_lo; kh < kh_hi; ++kh) {
            const i64 ih = ih0 + kh * p.dilation_h;
            for (i64 kw = kw_lo; kw < kw_hi; ++kw) {
              const i64 iw = iw0 + kw * p.dilation_w;
              const float* xp = p.input + ((n * p.H + ih) * p.W + iw) * p.Cin;
              const float* wp = wblk + (kh * p.KW + kw) * p.Cin * ldw + sub;
              for (i64 ci = 0; ci < p.Cin; ++ci) {
                const float xv = xp[ci];
                const float* wr = wp + ci * ldw;
                for (int c = 0; c < kVec; ++c) acc[c] += xv * wr[c];
              }
            }
          }
          for (i64 c = 0; c < nc; ++c) {
            const float v = acc[c];
            out[sub + c] = (p.relu != 0 && !(v > 0.0f)) ? 0.0f : v;
          }
        }
      }
    }
  }
}

}  // namespace varstore::kernels::scalar
