// conv2d + bias + ReLU, AVX-512 (F/BW/VL/DQ) implementation. Compiled with per-file ISA flags
// (kernels.cmake); only called after dispatch has checked cpuid + xgetbv.
//
// Implicit GEMM vectorised over output channels: a register tile of MR output pixels (one
// output row) x NR zmm of output channels (16 * NR channels: 6x4, 8x3, 12x2 = 24 accumulators,
// 12x1 for Cout <= 16) is held in zmm registers through the whole reduction over (kh, kw, ci),
// initialised with the bias, clamped by ReLU and stored once (masked on the Cout tail). The NR
// weight vectors of a k step stay in registers (no weight load folded into each FMA). Each output
// row is split into tiles of nearly equal width <= MR.
// With dilation_w == 1 the (kw, ci) window of a pixel is contiguous in NHWC, so the reduction
// over one filter row is a single K = KW * Cin loop (Cin = 3 first layers and strided
// convolutions need no im2col). 1x1 stride-1 convolutions arrive reshaped as one long row (a
// GEMM). Tiles whose window crosses the left/right border read from a small zero-padded copy of
// their window (per-thread scratch); rows are clipped instead.
//
// ISA-file hygiene (STYLE.md 4): only <immintrin.h>, <cstddef>, <cstdint> and the plain params
// header; no STL, no shared inline helpers; everything below is internal except one function.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "varstore/kernels/conv2d_relu.hpp"

#if defined(_MSC_VER) && !defined(__clang__)
#define VARSTORE_ALWAYS_INLINE __forceinline
#define VARSTORE_KEEP_IN_REG(v) ((void)0)
#else
#define VARSTORE_ALWAYS_INLINE inline __attribute__((always_inline))
// Empty asm that "modifies" v: forces v into a register (vector or general-purpose) here.
#define VARSTORE_KEEP_IN_REG(v) __asm__("" : "+v"(v))
#define VARSTORE_KEEP_PTR_IN_REG(v) __asm__("" : "+r"(v))
#endif
#ifndef VARSTORE_KEEP_PTR_IN_REG
#define VARSTORE_KEEP_PTR_IN_REG(v) ((void)0)
#endif

namespace varstore::kernels::avx512 {
namespace {

using i64 = std::int64_t;

inline i64 min64(i64 a, i64 b) { return a < b ? a : b; }
inline i64 max64(i64 a, i64 b) { return a > b ? a : b; }

// Largest tile width (pixels) for NR zmm of channels: NR * MR accumulators <= 24..28 and, with
// the NR weight vectors, within 32 zmm.
constexpr int max_mr(int nr) { return nr == 4 ? 6 : nr == 3 ? 8 : 12; }
static_assert(12 <= kMaxTilePixels, "edge scratch is sized for kMaxTilePixels");

struct TileArgs {
  const float* row0;     // input of tile pixel 0, tap (kh_lo, kw = 0)
  i64 row_stride;        // floats between consecutive kh rows of row0
  i64 pix_stride;        // floats between consecutive tile pixels (stride_w * Cin)
  i64 nkh;               // number of valid kh rows
  const float* w0;       // packed weights at (kh_lo, kw = 0, ci = 0) of this channel block
  i64 kw;                // KW (taps per row when not merged)
  i64 tap_stride;        // floats between kw taps in the input (dilation_w * Cin)
  i64 cin;               // Cin
  int merged;            // dilation_w == 1: one K = KW * Cin loop per kh row
  int relu;
  const float* bias;     // bias of this channel block or nullptr
  float* out;            // output of tile pixel 0, channel co0
  i64 out_pix_stride;    // Cout
  __mmask16 tail;        // lanes of the last channel vector that are valid
};

// One k step: NR weight vectors (kept in registers), MR broadcasts, MR x NR FMAs.
template <int MR, int NR>
VARSTORE_ALWAYS_INLINE void kstep(__m512 (&acc)[MR][NR], const float* const (&ap)[MR],
                                                 int off, const float* w) {
  __m512 wv[NR];
#pragma GCC unroll 4
  for (int r = 0; r < NR; ++r) {
    wv[r] = _mm512_loadu_ps(w + 16 * r);
    // Keep the weight vector in a register: otherwise GCC folds the load into each of the MR
    // FMAs as a memory operand (MR x more loads).
    VARSTORE_KEEP_IN_REG(wv[r]);
  }
#pragma GCC unroll 16
  for (int j = 0; j < MR; ++j) {
    const __m512 b = _mm512_set1_ps(ap[j][off]);
#pragma GCC unroll 4
    for (int r = 0; r < NR; ++r) acc[j][r] = _mm512_fmadd_ps(b, wv[r], acc[j][r]);
  }
}

// acc[j][r] += x[pixel j][k] * w[k][16 r .. 16 r + 15] for k in [0, K); packed weight rows of
// this block are 16 * NR floats apart.
//
// Unrolled by 4 with one pointer per pixel bumped every 4 steps: the broadcasts then use
// [pointer + constant] addresses. With a shared index register ([pointer + k * 4]) the memory
// operand of an FMA with embedded broadcast is "unlaminated" into two uops on Intel cores, which
// made the 12x1 tile front-end bound (~80 % of peak).
template <int MR, int NR>
VARSTORE_ALWAYS_INLINE void kloop(__m512 (&acc)[MR][NR], const float* a,
                                                 i64 pix_stride, const float* w, i64 K) {
  constexpr int kLdw = 16 * NR;
  const float* ap[MR];
#pragma GCC unroll 16
  for (int j = 0; j < MR; ++j) ap[j] = a + j * pix_stride;
  i64 k = K;
  for (; k >= 4; k -= 4) {
    kstep<MR, NR>(acc, ap, 0, w);
    kstep<MR, NR>(acc, ap, 1, w + kLdw);
    kstep<MR, NR>(acc, ap, 2, w + 2 * kLdw);
    kstep<MR, NR>(acc, ap, 3, w + 3 * kLdw);
    w += 4 * kLdw;
#pragma GCC unroll 16
    for (int j = 0; j < MR; ++j) {
      ap[j] += 4;
      VARSTORE_KEEP_PTR_IN_REG(ap[j]);  // stay a bumped pointer, not base + index
    }
  }
  for (; k > 0; --k) {
    kstep<MR, NR>(acc, ap, 0, w);
    w += kLdw;
#pragma GCC unroll 16
    for (int j = 0; j < MR; ++j) {
      ap[j] += 1;
      VARSTORE_KEEP_PTR_IN_REG(ap[j]);
    }
  }
}

template <int MR, int NR>
void tile(const TileArgs& t) {
  __m512 acc[MR][NR];
  {
    __m512 bv[NR];
#pragma GCC unroll 4
    for (int r = 0; r < NR; ++r) {
      const __mmask16 m = (r == NR - 1) ? t.tail : static_cast<__mmask16>(0xFFFF);
      bv[r] = t.bias != nullptr ? _mm512_maskz_loadu_ps(m, t.bias + 16 * r) : _mm512_setzero_ps();
    }
#pragma GCC unroll 16
    for (int j = 0; j < MR; ++j) {
#pragma GCC unroll 4
      for (int r = 0; r < NR; ++r) acc[j][r] = bv[r];
    }
  }
  const float* row = t.row0;
  const float* w = t.w0;
  const i64 w_kh_stride = t.kw * t.cin * 16 * NR;
  for (i64 kh = 0; kh < t.nkh; ++kh) {
    if (t.merged) {
      kloop<MR, NR>(acc, row, t.pix_stride, w, t.kw * t.cin);
    } else {
      for (i64 kw = 0; kw < t.kw; ++kw) {
        kloop<MR, NR>(acc, row + kw * t.tap_stride, t.pix_stride, w + kw * t.cin * 16 * NR, t.cin);
      }
    }
    row += t.row_stride;
    w += w_kh_stride;
  }
  const __m512 zero = _mm512_setzero_ps();
#pragma GCC unroll 16
  for (int j = 0; j < MR; ++j) {
    float* o = t.out + j * t.out_pix_stride;
#pragma GCC unroll 4
    for (int r = 0; r < NR; ++r) {
      __m512 v = acc[j][r];
      if (t.relu) v = _mm512_maskz_max_ps(static_cast<__mmask16>(0xFFFF), v, zero);  // (maskz: no GCC 12 -Wmaybe-uninitialized)
      if (r == NR - 1) {
        _mm512_mask_storeu_ps(o + 16 * r, t.tail, v);
      } else {
        _mm512_storeu_ps(o + 16 * r, v);
      }
    }
  }
}

#define VARSTORE_TILE_CASE(m)                          \
  case m:                                              \
    if constexpr ((m) <= max_mr(NR)) tile<(m), NR>(t); \
    break;

template <int NR>
void run_tile(int mr, const TileArgs& t) {
  switch (mr) {
    VARSTORE_TILE_CASE(1)
    VARSTORE_TILE_CASE(2)
    VARSTORE_TILE_CASE(3)
    VARSTORE_TILE_CASE(4)
    VARSTORE_TILE_CASE(5)
    VARSTORE_TILE_CASE(6)
    VARSTORE_TILE_CASE(7)
    VARSTORE_TILE_CASE(8)
    VARSTORE_TILE_CASE(9)
    VARSTORE_TILE_CASE(10)
    VARSTORE_TILE_CASE(11)
    VARSTORE_TILE_CASE(12)
    default:
      break;
  }
}
#undef VARSTORE_TILE_CASE

inline void copy_floats(float* dst, const float* src, i64 n) {
  i64 i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, _mm512_loadu_ps(src + i));
  if (i < n) {
    const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1u);
    _mm512_mask_storeu_ps(dst + i, m, _mm512_maskz_loadu_ps(m, src + i));
  }
}

inline void zero_floats(float* dst, i64 n) {
  const __m512 z = _mm512_setzero_ps();
  i64 i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, z);
  if (i < n) _mm512_mask_storeu_ps(dst + i, static_cast<__mmask16>((1u << (n - i)) - 1u), z);
}

// Copies the input window of an edge tile (valid kh rows, `span` pixels from column iw0) into
// `dst`, zero-filling the columns outside [0, W): per row one zero prefix, one contiguous copy,
// one zero suffix.
void copy_edge_window(const Conv2dReluParams& p, i64 n, i64 ih_first, i64 nkh, i64 iw0, i64 span,
                      float* dst) {
  const i64 cin = p.Cin;
  const i64 lo = min64(span, max64(0, -iw0));           // pixels left of column 0
  const i64 hi = max64(lo, min64(span, p.W - iw0));     // one past the last valid pixel
  for (i64 kh = 0; kh < nkh; ++kh) {
    const i64 ih = ih_first + kh * p.dilation_h;
    float* d = dst + kh * span * cin;
    zero_floats(d, lo * cin);
    if (hi > lo) copy_floats(d + lo * cin, p.input + ((n * p.H + ih) * p.W + iw0 + lo) * cin, (hi - lo) * cin);
    zero_floats(d + hi * cin, (span - hi) * cin);
  }
}

}  // namespace

void conv2d_relu_nhwc_f32__avx512(const Conv2dReluParams* pp, std::int64_t task_begin,
                                  std::int64_t task_end, float* scratch) {
  const Conv2dReluParams& p = *pp;
  const i64 CB = p.cout_block;
  const i64 rows = p.N * p.OH;
  const i64 kpanel = p.KH * p.KW * p.Cin * CB;
  TileArgs t{};
  t.pix_stride = p.stride_w * p.Cin;
  t.kw = p.KW;
  t.tap_stride = p.dilation_w * p.Cin;
  t.cin = p.Cin;
  t.merged = p.dilation_w == 1 ? 1 : 0;
  t.relu = p.relu;
  t.out_pix_stride = p.Cout;
  for (i64 task = task_begin; task < task_end; ++task) {
    const i64 cb = task % p.n_cout_blocks;
    const i64 cg = (task / p.n_cout_blocks) % p.n_col_groups;
    const i64 rg = task / (p.n_cout_blocks * p.n_col_groups);
    const i64 co0 = cb * CB;
    const i64 nvalid = min64(CB, p.Cout - co0);
    const int nr = static_cast<int>((nvalid + 15) / 16);
    const i64 rem = nvalid - 16 * (nr - 1);
    t.tail = static_cast<__mmask16>(rem >= 16 ? 0xFFFF : ((1u << rem) - 1u));
    t.bias = p.bias != nullptr ? p.bias + co0 : nullptr;
    const float* wblk = p.weights + cb * kpanel;
    const int mrmax = max_mr(nr);
    const i64 r_end = min64(rows, (rg + 1) * p.task_rows);
    const i64 c0 = cg * p.task_cols;
    const i64 c1 = min64(p.OW, c0 + p.task_cols);
    const i64 width = c1 - c0;
    const i64 ntiles = (width + mrmax - 1) / mrmax;
    const i64 base = width / ntiles;
    const i64 extra = width % ntiles;
    for (i64 r = rg * p.task_rows; r < r_end; ++r) {
      const i64 n = r / p.OH;
      const i64 oh = r % p.OH;
      const i64 ih0 = oh * p.stride_h - p.pad_top;
      i64 kh_lo = 0;
      if (ih0 < 0) kh_lo = (-ih0 + p.dilation_h - 1) / p.dilation_h;
      i64 kh_hi = 0;
      if (p.H - 1 - ih0 >= 0) kh_hi = min64(p.KH, (p.H - 1 - ih0) / p.dilation_h + 1);
      kh_hi = max64(kh_lo, kh_hi);
      t.nkh = kh_hi - kh_lo;
      t.w0 = wblk + kh_lo * p.KW * p.Cin * 16 * nr;
      const i64 ih_first = ih0 + kh_lo * p.dilation_h;
      i64 ow = c0;
      for (i64 ti = 0; ti < ntiles; ++ti) {
        const int m = static_cast<int>(base + (ti < extra ? 1 : 0));
        const i64 iw0 = ow * p.stride_w - p.pad_left;
        const i64 span = (m - 1) * p.stride_w + (p.KW - 1) * p.dilation_w + 1;
        t.out = p.output + (r * p.OW + ow) * p.Cout + co0;
        if (t.nkh == 0) {
          t.row0 = p.input;
          t.row_stride = 0;
        } else if (iw0 >= 0 && iw0 + span <= p.W) {
          t.row0 = p.input + ((n * p.H + ih_first) * p.W + iw0) * p.Cin;
          t.row_stride = p.dilation_h * p.W * p.Cin;
        } else {
          copy_edge_window(p, n, ih_first, t.nkh, iw0, span, scratch);
          t.row0 = scratch;
          t.row_stride = span * p.Cin;
        }
        switch (nr) {
          case 1: run_tile<1>(m, t); break;
          case 2: run_tile<2>(m, t); break;
          case 3: run_tile<3>(m, t); break;
          default: run_tile<4>(m, t); break;
        }
        ow += m;
      }
    }
  }
}

}  // namespace varstore::kernels::avx512
