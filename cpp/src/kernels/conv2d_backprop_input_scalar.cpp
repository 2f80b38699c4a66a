// Conv2DBackpropInput (dx), portable baseline implementation: the reference the SIMD paths are
// tested against, written directly from the definition (independently of the shared SIMD body):
//   dx[n, ih, iw, ci] = sum over (kh, kw) with oh = (ih + pt - kh * dh) / sh and
//   ow = (iw + pl - kw * dw) / sw integral and inside dy of sum_co m(dy)[n, oh, ow, co] *
//   w[kh, kw, ci, co],   m(dy) = y > 0 ? dy : alpha * dy (y given).
// Taps outside dy form no product (TF's col2im).
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
inline i64 max64(i64 a, i64 b) { return a > b ? a : b; }

}  // namespace

void conv2d_backprop_input_nhwc_f32__scalar(const Conv2dBackpropInputParams* pp,
                                            std::int64_t task_begin, std::int64_t task_end,
                                            float* /*scratch*/) {
  const Conv2dBackpropInputParams& p = *pp;
  const i64 CB = p.cin_block;
  const i64 kpanel = p.KH * p.KW * p.Cout * CB;
  for (i64 tt = task_begin * p.task_imgs; tt < task_end * p.task_imgs; ++tt) {
    // (task, image of its group); see Conv2dBackpropInputParams
    const i64 t = tt / p.task_imgs;
    const i64 gb = t % p.n_cb_groups;
    const i64 n = (t / (p.n_cb_groups * p.n_q_groups)) * p.task_imgs + tt % p.task_imgs;
    if (n >= p.N) continue;
    const i64 q0 = ((t / p.n_cb_groups) % p.n_q_groups) * p.task_q;
    const i64 q1 = min64(p.n_q, q0 + p.task_q);
    // the dx rows whose q = (ih + pt) / sh lies in [q0, q1)
    const i64 ih_begin = max64(0, q0 * p.stride_h - p.pad_top);
    const i64 ih_end = min64(p.H, q1 * p.stride_h - p.pad_top);
    for (i64 ih = ih_begin; ih < ih_end; ++ih) {
      for (i64 iw = 0; iw < p.W; ++iw) {
        float* out = p.dx + ((n * p.H + ih) * p.W + iw) * p.Cin;
        for (i64 cb = gb * p.task_cbs; cb < min64(p.n_cin_blocks, (gb + 1) * p.task_cbs); ++cb) {
          const i64 ci0 = cb * CB;
          const i64 nvalid = min64(CB, p.Cin - ci0);
          const i64 ldw = (nvalid + 15) / 16 * 16;
          const float* wblk = p.wt + cb * kpanel;
          float acc[64];
          for (i64 c = 0; c < nvalid; ++c) acc[c] = 0.0f;
          for (i64 kh = 0; kh < p.KH; ++kh) {
            const i64 th = ih + p.pad_top - kh * p.dilation_h;
            if (th < 0 || th % p.stride_h != 0 || th / p.stride_h >= p.OH) continue;
            const i64 oh = th / p.stride_h;
            for (i64 kw = 0; kw < p.KW; ++kw) {
              const i64 tw = iw + p.pad_left - kw * p.dilation_w;
              if (tw < 0 || tw % p.stride_w != 0 || tw / p.stride_w >= p.OW) continue;
              const i64 ow = tw / p.stride_w;
              const i64 src = ((n * p.OH + oh) * p.OW + ow) * p.Cout;
              const float* wrow = wblk + (kh * p.KW + kw) * p.Cout * ldw;
              for (i64 co = 0; co < p.Cout; ++co) {
                float m = p.dy[src + co];
                if (p.y != nullptr && !(p.y[src + co] > 0.0f)) m = m * p.alpha;
                const float* wr = wrow + co * ldw;
                for (i64 c = 0; c < nvalid; ++c) acc[c] += m * wr[c];
              }
            }
          }
          for (i64 c = 0; c < nvalid; ++c) out[ci0 + c] = acc[c];
        }
      }
    }
  }
}

}  // namespace varstore::kernels::scalar
