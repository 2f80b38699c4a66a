// conv2d + bias + ReLU, AVX2 + FMA implementation. Compiled with per-file ISA flags
// (kernels.cmake); only called after dispatch has checked cpuid + xgetbv.
//
// Same scheme as the AVX-512 file with 16 ymm registers: a register tile of MR output pixels x
// NR ymm of output channels (8 * NR channels, NR <= 2) is held in 12 ymm accumulators
// through the whole reduction over (kh, kw, ci), initialised with the bias, clamped by ReLU and
// stored once. With dilation_w == 1 the (kw, ci) window of a pixel is contiguous in NHWC, so the
// reduction over one filter row is a single K = KW * Cin loop (Cin = 3 first layers and strided
// convolutions need no im2col). Tiles whose window crosses the left/right border read from a
// small zero-padded copy of their window (per-thread scratch); rows are clipped instead.
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

namespace varstore::kernels::avx2 {
namespace {

using i64 = std::int64_t;

inline i64 min64(i64 a, i64 b) { return a < b ? a : b; }
inline i64 max64(i64 a, i64 b) { return a > b ? a : b; }

// Largest tile width (pixels) for NR ymm of channels: 12 accumulators + NR weights + 1 broadcast
// within 16 ymm.
constexpr int max_mr(int nr) { return nr == 2 ? 6 : 12; }
static_assert(12 <= kMaxTilePixels, "edge scratch is sized for kMaxTilePixels");

struct TileArgs {
  const float* row0;     // input of tile pixel 0, tap (kh_lo, kw = 0)
  i64 row_stride;        // floats between consecutive kh rows of row0
  i64 pix_stride;        // floats between consecutive tile pixels (stride_w * Cin)
  i64 nkh;               // number of valid kh rows
  const float* w0;       // packed weights at (kh_lo, kw = 0, ci = 0) of this channel block
  i64 w_kh_stride;       // floats between kh rows of the packed panel (KW * Cin * ldw)
  i64 ldw;               // floats between consecutive k of the packed panel (block width)
  i64 kw;                // KW (taps per row when not merged)
  i64 tap_stride;        // floats between kw taps in the input (dilation_w * Cin)
  i64 cin;               // Cin
  int merged;            // dilation_w == 1: one K = KW * Cin loop per kh row
  int relu;
  const float* bias;     // bias of this channel block or nullptr
  float* out;            // output of tile pixel 0, channel co0
  i64 out_pix_stride;    // Cout
  __m256i tail;          // lanes of the last channel vector that are valid (all ones)
};

// acc[j][r] += x[pixel j][k] * w[k][8 r .. 8 r + 7] for k in [0, K).
template <int MR, int NR>
VARSTORE_ALWAYS_INLINE void kloop(__m256 (&acc)[MR][NR], const float* a,
                                                 i64 pix_stride, const float* w, i64 ldw, i64 K) {
  const float* ap[MR];
#pragma GCC unroll 16
  for (int j = 0; j < MR; ++j) ap[j] = a + j * pix_stride;
  for (i64 k = 0; k < K; ++k) {
    __m256 wv[NR];
#pragma GCC unroll 4
    for (int r = 0; r < NR; ++r) {
      wv[r] = _mm256_loadu_ps(w + 8 * r);
      // Keep the weight vector in a register: otherwise GCC folds the load into each of the
      // MR FMAs as a memory operand (MR x more loads).
      VARSTORE_KEEP_IN_REG(wv[r]);
    }
#pragma GCC unroll 16
    for (int j = 0; j < MR; ++j) {
      const __m256 b = _mm256_set1_ps(ap[j][k]);
#pragma GCC unroll 4
      for (int r = 0; r < NR; ++r) acc[j][r] = _mm256_fmadd_ps(b, wv[r], acc[j][r]);
    }
    w += ldw;
  }
}

template <int MR, int NR>
void tile(const TileArgs& t) {
  __m256 acc[MR][NR];
  {
    __m256 bv[NR];
#pragma GCC unroll 4
    for (int r = 0; r < NR; ++r) {
      const __m256i m = (r == NR - 1) ? t.tail : _mm256_set1_epi32(-1);
      bv[r] = t.bias != nullptr ? _mm256_maskload_ps(t.bias + 8 * r, m) : _mm256_setzero_ps();
    }
#pragma GCC unroll 16
    for (int j = 0; j < MR; ++j) {
#pragma GCC unroll 4
      for (int r = 0; r < NR; ++r) acc[j][r] = bv[r];
    }
  }
  const float* row = t.row0;
  const float* w = t.w0;
  for (i64 kh = 0; kh < t.nkh; ++kh) {
    if (t.merged) {
      kloop<MR, NR>(acc, row, t.pix_stride, w, t.ldw, t.kw * t.cin);
    } else {
      for (i64 kw = 0; kw < t.kw; ++kw) {
        kloop<MR, NR>(acc, row + kw * t.tap_stride, t.pix_stride, w + kw * t.cin * t.ldw, t.ldw, t.cin);
      }
    }
    row += t.row_stride;
    w += t.w_kh_stride;
  }
  const __m256 zero = _mm256_setzero_ps();
#pragma GCC unroll 16
  for (int j = 0; j < MR; ++j) {
    float* o = t.out + j * t.out_pix_stride;
#pragma GCC unroll 4
    for (int r = 0; r < NR; ++r) {
      __m256 v = acc[j][r];
      if (t.relu) v = _mm256_max_ps(v, zero);
      if (r == NR - 1) {
        _mm256_maskstore_ps(o + 8 * r, t.tail, v);
      } else {
        _mm256_storeu_ps(o + 8 * r, v);
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
    for (i64 i = 0; i < lo * cin; ++i) d[i] = 0.0f;
    const float* src = p.input + ((n * p.H + ih) * p.W + iw0 + lo) * cin;
    for (i64 i = 0, e = (hi - lo) * cin; i < e; ++i) d[lo * cin + i] = src[i];
    for (i64 i = hi * cin; i < span * cin; ++i) d[i] = 0.0f;
  }
}

}  // namespace

void conv2d_relu_nhwc_f32__avx2(const Conv2dReluParams* pp, std::int64_t task_begin,
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
    const i64 nvalid_block = min64(CB, p.Cout - cb * CB);
    t.ldw = (nvalid_block + 15) / 16 * 16;  // row stride of this block (last may be narrower)
    t.w_kh_stride = p.KW * p.Cin * t.ldw;
    const i64 r_end = min64(rows, (rg + 1) * p.task_rows);
    const i64 c0 = cg * p.task_cols;
    const i64 c1 = min64(p.OW, c0 + p.task_cols);
    const i64 width = c1 - c0;
    // 16-channel sub-blocks of the packed block (2 ymm each).
    for (i64 sub = 0; sub < nvalid_block; sub += 16) {
      const i64 co0 = cb * CB + sub;
      const i64 nvalid = min64(16, nvalid_block - sub);
      const int nr = static_cast<int>((nvalid + 7) / 8);
      const i64 rem = nvalid - 8 * (nr - 1);
      t.tail = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(rem)),
                                  _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
      t.bias = p.bias != nullptr ? p.bias + co0 : nullptr;
      const float* wblk = p.weights + cb * kpanel + sub;
      const int mrmax = max_mr(nr);
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
        t.w0 = wblk + kh_lo * t.w_kh_stride;
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
          if (nr == 1) {
            run_tile<1>(m, t);
          } else {
            run_tile<2>(m, t);
          }
          ow += m;
        }
      }
    }
  }
}

}  // namespace varstore::kernels::avx2
