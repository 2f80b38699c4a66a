// Backward kernels of conv2d + bias + activation, fp32, NHWC / HWIO (TensorFlow's layouts):
//   * Conv2DBackpropInput (= tf.nn.conv2d_transpose): dy [N, OH, OW, Cout], w HWIO -> dx
//     [N, H, W, Cin];
//   * Conv2DBackpropFilter: x [N, H, W, Cin], dy -> dw HWIO [KH, KW, Cin, Cout];
//   * BiasAddGrad: sum of dy over every axis but the last.
// Each takes an optional forward activation output `y` (same shape as dy) and `alpha`: dy is
// then first masked on the fly, m = y > 0 ? dy : alpha * dy, which is TF's ReluGrad for
// alpha = 0 (dy * (y > 0): a NaN / Inf dy where y <= 0 gives NaN, as TF) and its LeakyReluGrad
// for 0 <= alpha < 1 (where y > 0 iff the features x > 0; for other alpha pass the features).
//
// This is a "plain params header" (STYLE.md section 4): the per-ISA translation units include
// it, so it holds only plain structs, C-like kernel signatures and declarations.
//
// Padding semantics (TensorFlow's CPU kernels): dx sums only the (dy pixel, filter tap) pairs
// that land inside the input (padding forms no product, as TF's col2im); dw multiplies the
// zero padding of x with dy (TF's im2col + GEMM: a NaN / Inf dy reaches taps over padding).
#pragma once

#include <cstddef>
#include <cstdint>

namespace varstore::kernels {

// ---- Conv2DBackpropInput -----------------------------------------------------------------
// Trivial aggregate: value-initialise (`Conv2dBackpropInputParams p{};`) and set the problem.
struct Conv2dBackpropInputParams {
  // --- problem (filled by the caller) ---------------------------------------------------------
  const float* dy;       // [N, OH, OW, Cout]
  const float* y;        // [N, OH, OW, Cout] forward activation output (mask) or nullptr
  float alpha;           // mask slope: y > 0 ? dy : alpha * dy
  const float* weights;  // HWIO [KH, KW, Cin, Cout]
  float* dx;             // [N, H, W, Cin], must not alias the inputs
  std::int64_t N, H, W, Cin;
  std::int64_t KH, KW, Cout;
  std::int64_t OH, OW;
  std::int64_t stride_h, stride_w;
  std::int64_t dilation_h, dilation_w;
  std::int64_t pad_top, pad_left;

  // --- schedule (filled by conv2d_backprop_input(); ISA kernels only read it) ------------------
  // The filter transposed to [KH][KW][Cout][Cin] and packed like the forward filter, with the
  // roles of Cin and Cout swapped: blocks of CB = packed_filter_block(Cin) input channels,
  // block b = [KH][KW][Cout][Wb] at float offset b * KH * KW * Cout * CB.
  const float* wt;
  std::int64_t cin_block;     // CB
  std::int64_t n_cin_blocks;  // ceil(Cin / CB)
  // dx rows are split by q = (ih + pad_top) / stride_h: task t = (image group ig, band g,
  // Cin-block group gb) covers images [ig * task_imgs, ...) (task_imgs > 1 only when a band is
  // a whole image), the rows with q in [g * task_q, (g + 1) * task_q) and Cin blocks
  // [gb * task_cbs, ...): gb = t % n_cb_groups, g = (t / n_cb_groups) % n_q_groups,
  // ig = t / (n_cb_groups * n_q_groups); ntasks = n_img_groups * n_q_groups * n_cb_groups.
  std::int64_t n_q;           // ceil((H + pad_top) / stride_h): q takes values [0, n_q)
  std::int64_t task_q;
  std::int64_t n_q_groups;    // ceil(n_q / task_q)
  std::int64_t task_imgs, n_img_groups;
  std::int64_t task_cbs, n_cb_groups;
  std::int64_t stage_pix;       // floats per staged dy pixel: Cout, + 16 when Cout % 64 == 0
  std::int64_t scratch_floats;  // per-thread scratch (staged, masked, zero-bordered dy band)
  int exact;  // 1: filter has NaN / Inf: one pixel per tile, so no product is formed for a tap
              // outside dy (with finite filters such products are +-0 and harmless)
};

using Conv2dBackpropInputKernelFn = void (*)(const Conv2dBackpropInputParams* p,
                                             std::int64_t task_begin, std::int64_t task_end,
                                             float* scratch);

// ---- Conv2DBackpropFilter ----------------------------------------------------------------
struct Conv2dBackpropFilterParams {
  // --- problem ---------------------------------------------------------------------------------
  const float* x;     // [N, H, W, Cin]
  const float* dy;    // [N, OH, OW, Cout]
  const float* y;     // mask source (as above) or nullptr
  float alpha;
  float* dw;          // HWIO [KH, KW, Cin, Cout]
  float* bias_grad;   // [Cout] or nullptr: also writes the bias gradient (sum of masked dy)
  std::int64_t N, H, W, Cin;
  std::int64_t KH, KW, Cout;
  std::int64_t OH, OW;
  std::int64_t stride_h, stride_w;
  std::int64_t dilation_h, dilation_w;
  std::int64_t pad_top, pad_left;

  // --- schedule (one pass per group of images [n0, n1); filled by conv2d_backprop_filter()) ----
  // x of the pass: xs = x itself (xs_h = H, xs_w = W, unpadded) or a zero-bordered copy of
  // images n0..n1-1 (xs_h x xs_w per image, x[ih][iw] at [ih + pad_top][iw + pad_left]).
  // Tap (kh, kw) of output pixel (oh, ow) reads xs[oh * sh + kh * dh][ow * sw + kw * dw] of
  // image n - n0 (padded) or of image n (unpadded; then pad_top = pad_left = 0).
  const float* xs;
  std::int64_t xs_h, xs_w;
  std::int64_t xs_pix;  // floats between neighbouring pixels of xs (Cin, or Cin + 16 when Cin is a
                        // multiple of 64: breaks the L1 set aliasing of power-of-two strides)
  int xs_padded;
  std::int64_t n0, n1;
  int accumulate;   // 0: this pass writes dw (and bias_grad); 1: adds to them
  // Rows of dw as runs of contiguous x offsets: with dilation_w == 1 and xs_pix == Cin a run is
  // one kh (KW * Cin rows: the (kw, ci) window of a pixel is contiguous in NHWC), else one
  // (kh, kw) (Cin rows). Row m = run * run_len + u.
  std::int64_t run_len, n_runs;
  // Tasks: t = (channel block nb, row range mr), mr innermost: nb = t / n_mranges,
  // rows [mr * mrange_rows, min(M, (mr + 1) * mrange_rows)) with M = n_runs * run_len.
  std::int64_t cout_block;      // channels per task (<= 64)
  std::int64_t n_cout_blocks;
  std::int64_t mrange_rows;
  std::int64_t n_mranges;
  std::int64_t chunk_rows;      // output rows (n, oh) per packed dy panel
  std::int64_t scratch_floats;  // per-thread: packed dy panel (chunk_rows * OW * cout_block)
};

using Conv2dBackpropFilterKernelFn = void (*)(const Conv2dBackpropFilterParams* p,
                                              std::int64_t task_begin, std::int64_t task_end,
                                              float* scratch);

// ---- BiasAddGrad (optionally fused with the activation mask) ------------------------------
struct BiasAddGradParams {
  const float* dy;     // [rows, C]
  const float* y;      // [rows, C] mask source or nullptr
  float alpha;
  float* masked_out;   // [rows, C] or nullptr: also writes the masked dy
  std::int64_t rows, C;
  // schedule: task t sums rows [t * chunk_rows, ...) into partials + t * C
  float* partials;
  std::int64_t chunk_rows, n_chunks;
};

using BiasAddGradKernelFn = void (*)(const BiasAddGradParams* p, std::int64_t task_begin,
                                     std::int64_t task_end, float* scratch);

// ---- public entry points (baseline code; throw std::invalid_argument on bad arguments) ------
// The caller fills the problem part; the padding is (pad_top, pad_left) plus OH / OW, which
// must equal the forward output size (as TF checks "Size of out_backprop doesn't match").
void conv2d_backprop_input(const Conv2dBackpropInputParams& p);
void conv2d_backprop_input_with(const Conv2dBackpropInputParams& p,
                                Conv2dBackpropInputKernelFn kernel);
void conv2d_backprop_filter(const Conv2dBackpropFilterParams& p);
void conv2d_backprop_filter_with(const Conv2dBackpropFilterParams& p,
                                 Conv2dBackpropFilterKernelFn kernel);
// out: [C] bias gradient.
void bias_add_grad(const BiasAddGradParams& p, float* out);
void bias_add_grad_with(const BiasAddGradParams& p, float* out, BiasAddGradKernelFn kernel);

}  // namespace varstore::kernels
