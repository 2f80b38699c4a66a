// Fused conv2d + bias + activation (none / ReLU / leaky ReLU), fp32, NHWC input, HWIO filter
// (TensorFlow's layouts).
//
// This header is the "plain params header" of STYLE.md section 4: the per-ISA translation units
// include it, so it must stay free of the STL and of inline function definitions. It holds
//   * Conv2dReluParams, the plain struct every ISA kernel receives,
//   * the C-like signature of one ISA kernel (Conv2dReluKernelFn),
//   * the declarations of the public entry points (implemented in cpp/src/kernels/*.cpp,
//     compiled for the baseline ISA).
//
// Packed filter format (shared by every ISA, so a filter packed once runs under any forced ISA):
//   blocks of CB = packed_filter_block(Cout) output channels (16, 32, 48 or 64); block b holds
//   [KH][KW][Cin][Wb] floats, Wb = min(CB, round_up(Cout - b * CB, 16)) (only the last block can
//   be narrower; its channels are zero-padded to a multiple of 16), and starts at float offset
//   b * KH * KW * Cin * CB. When Cout == CB (Cout in {16, 32, 48, 64}) the HWIO filter already
//   *is* the packed filter and is used without a copy.
#pragma once

#include <cstddef>
#include <cstdint>

namespace varstore::kernels {

// Largest register tile (output pixels) any ISA kernel uses; sizes the per-thread edge scratch.
constexpr int kMaxTilePixels = 16;

// Fused activations (Conv2dReluParams::activation). ReLU keeps NaN (max(0, NaN) = NaN, as TF's
// Relu); leaky ReLU is TF's LeakyRelu: v > 0 ? v : alpha * v (NaN stays NaN).
constexpr int kActivationNone = 0;
constexpr int kActivationRelu = 1;
constexpr int kActivationLeakyRelu = 2;

// A trivial aggregate (no default member initialisers, so no implicit inline constructor that an
// ISA translation unit could emit with its flags): value-initialise it, `Conv2dReluParams p{};`,
// then set every problem field (strides and dilations must be >= 1).
struct Conv2dReluParams {
  // --- problem (filled by the caller) ---------------------------------------------------------
  const float* input;    // [N, H, W, Cin], C-contiguous
  const float* weights;  // HWIO [KH, KW, Cin, Cout], or packed (weights_packed != 0)
  const float* bias;     // [Cout] or nullptr (no bias)
  float* output;         // [N, OH, OW, Cout], C-contiguous; must not alias the inputs
  std::int64_t N, H, W, Cin;
  std::int64_t KH, KW, Cout;
  std::int64_t OH, OW;     // bottom/right padding are implied by OH/OW
  std::int64_t stride_h, stride_w;
  std::int64_t dilation_h, dilation_w;
  std::int64_t pad_top, pad_left;
  int activation;              // kActivation*: applied to conv + bias before the store
  float alpha;                 // leaky ReLU slope (kActivationLeakyRelu only)
  int weights_packed;          // 1: `weights` is in the packed format described above
  // 1: the caller knows every filter value is finite (a PackedFilter records it when packing);
  // 0: conv2d_relu() checks when the padding matters (see conv2d_relu()).
  int weights_finite;

  // --- schedule (filled by conv2d_relu(); ISA kernels only read it) --------------------------
  std::int64_t cout_block;     // CB of the packed format
  std::int64_t n_cout_blocks;  // ceil(Cout / CB)
  std::int64_t task_rows;      // output rows (n, oh) per task
  std::int64_t task_cols;      // output columns per task
  std::int64_t n_row_groups;   // ceil(N*OH / task_rows)
  std::int64_t n_col_groups;   // ceil(OW / task_cols)
  std::int64_t scratch_floats; // per-thread scratch the kernel may use (the staged input window)
  std::int64_t task_cbs;       // channel blocks per task
  std::int64_t n_cb_groups;    // ceil(n_cout_blocks / task_cbs)
  // task t = (row group, column group, channel-block group), the group innermost:
  //   gb = t % n_cb_groups, cg = (t / n_cb_groups) % n_col_groups,
  //   rg = t / (n_cb_groups * n_col_groups); ntasks = n_row_groups * n_col_groups * n_cb_groups
};

// One ISA implementation: runs tasks [task_begin, task_end) of a scheduled problem. `scratch`
// holds at least p->scratch_floats floats, private to the calling thread.
using Conv2dReluKernelFn = void (*)(const Conv2dReluParams* p, std::int64_t task_begin,
                                    std::int64_t task_end, float* scratch);

// ---- public entry points (baseline code; throw std::invalid_argument on bad arguments) ------

// Output size along one axis for explicit padding, by TensorFlow's rule
// (in + pad_before + pad_after - effective_k + stride) / stride, truncated toward zero:
// 0 is an empty output; negative is TF's "Computed output size would be negative" error.
std::int64_t conv2d_output_size(std::int64_t in, std::int64_t k, std::int64_t stride,
                                std::int64_t dilation, std::int64_t pad_before,
                                std::int64_t pad_after);

// TensorFlow 'SAME' padding for one axis: writes the (possibly asymmetric) split.
void conv2d_same_padding(std::int64_t in, std::int64_t k, std::int64_t stride,
                         std::int64_t dilation, std::int64_t* pad_before,
                         std::int64_t* pad_after);

// Channel block CB of the packed format for a filter with `cout` output channels.
std::int64_t packed_filter_block(std::int64_t cout);
// Number of floats of the packed filter.
std::size_t packed_filter_floats(std::int64_t kh, std::int64_t kw, std::int64_t cin,
                                 std::int64_t cout);
// Packs an HWIO filter into `packed` (packed_filter_floats(...) floats).
void pack_filter_hwio(const float* hwio, std::int64_t kh, std::int64_t kw, std::int64_t cin,
                      std::int64_t cout, float* packed);

// 1 when all n floats are finite (no NaN / Inf).
int all_finite(const float* v, std::size_t n);

// Validates `p` (shapes, strides, dilations, padding, output size), schedules it and runs it on
// the active ISA with the thread pool. Re-packs unpacked weights only when Cout is not already a
// channel block (into grow-only thread-local scratch: no per-call allocation once warm).
//
// Empty tensors follow TensorFlow: N, OH, OW or Cout = 0 write nothing; Cin = 0 writes
// activation(bias) (TF1's contraction over an empty axis; TF 2.x raises "filter must not have
// zero elements" there). Zero-sized filter height/width are an error.
//
// IEEE: NaN / Inf in input, filter or bias propagate through the products and the sum; ReLU and
// leaky ReLU keep NaN. Padding is zeros that multiply the filter (TF's Eigen convolution, so an
// Inf filter tap over padding gives NaN): with a non-finite filter and non-zero padding the
// problem runs on the scalar kernel, which forms every padded product; finite filters (where
// 0 * w = 0) take the SIMD kernels, which skip padded rows.
void conv2d_relu(const Conv2dReluParams& p);

// Same as conv2d_relu() with an explicit ISA kernel instead of the active one (used by the
// native tests and benchmark to run every registry entry).
void conv2d_relu_with(const Conv2dReluParams& p, Conv2dReluKernelFn kernel);

// Thread pool size (including the calling thread). Default: VARSTORE_NUM_THREADS if set, else
// the number of CPUs this process may run on. n < 1 throws std::invalid_argument.
void set_num_threads(int n);
int get_num_threads();

}  // namespace varstore::kernels
