// conv2d + bias + activation: argument checks, weight packing, scheduling and the threaded run.
// Baseline code (no ISA flags); the per-ISA kernels do the arithmetic.
#include "varstore/kernels/conv2d_relu.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>

#include "scratch.hpp"
#include "thread_pool.hpp"
#include "varstore/kernels/isa.hpp"

namespace varstore::kernels {
namespace {

using i64 = std::int64_t;

i64 ceil_div(i64 a, i64 b) { return (a + b - 1) / b; }

float* thread_scratch(std::size_t floats) { return detail::thread_buffer(0, floats); }

float* thread_pack_buffer(std::size_t floats) { return detail::thread_buffer(1, floats); }

[[noreturn]] void fail(const std::string& msg) { throw std::invalid_argument("conv2d: " + msg); }

constexpr i64 kMaxDim = i64{1} << 31;

// a * b for non-negative a, b; fails beyond 2^48 (no problem here comes close).
i64 checked_mul(i64 a, i64 b, const char* what) {
  constexpr i64 kLimit = i64{1} << 48;
  if (a < 0 || b < 0 || (a != 0 && b > kLimit / a)) fail(std::string(what) + " is too large");
  return a * b;
}

void validate(const Conv2dReluParams& p) {
  auto positive = [](i64 v, const char* name) {
    if (v < 1 || v >= kMaxDim) fail(std::string(name) + " must be in [1, 2^31), got " + std::to_string(v));
  };
  auto size = [](i64 v, const char* name) {
    if (v < 0 || v >= kMaxDim) fail(std::string(name) + " must be in [0, 2^31), got " + std::to_string(v));
  };
  size(p.N, "batch size");
  size(p.H, "input height");
  size(p.W, "input width");
  size(p.Cin, "input channels");
  positive(p.KH, "filter height");
  positive(p.KW, "filter width");
  size(p.Cout, "output channels");
  if (p.activation < kActivationNone || p.activation > kActivationLeakyRelu) {
    fail("unknown activation " + std::to_string(p.activation));
  }
  if (p.stride_h < 1 || p.stride_w < 1 || p.stride_h >= kMaxDim || p.stride_w >= kMaxDim) {
    fail("strides must be positive, got (" + std::to_string(p.stride_h) + ", " + std::to_string(p.stride_w) + ")");
  }
  if (p.dilation_h < 1 || p.dilation_w < 1 || p.dilation_h >= kMaxDim || p.dilation_w >= kMaxDim) {
    fail("dilations must be positive, got (" + std::to_string(p.dilation_h) + ", " +
         std::to_string(p.dilation_w) + ")");
  }
  if (p.pad_top < 0 || p.pad_left < 0 || p.pad_top >= kMaxDim || p.pad_left >= kMaxDim) {
    fail("padding must be non-negative, got top=" + std::to_string(p.pad_top) + " left=" + std::to_string(p.pad_left));
  }
  if (p.OH < 0 || p.OW < 0 || p.OH >= kMaxDim || p.OW >= kMaxDim) {
    fail("Computed output size would be negative: " + std::to_string(p.OH) + "x" + std::to_string(p.OW));
  }
  const bool empty_out = p.N == 0 || p.OH == 0 || p.OW == 0 || p.Cout == 0;
  if (!empty_out && (p.output == nullptr || (p.Cin > 0 && (p.input == nullptr || p.weights == nullptr)))) {
    fail("null data pointer");
  }
  checked_mul(checked_mul(checked_mul(p.N, p.H, "input"), p.W, "input"), p.Cin, "input");
  checked_mul(checked_mul(checked_mul(p.N, p.OH, "output"), p.OW, "output"), p.Cout, "output");
  checked_mul(checked_mul(checked_mul(p.KH, p.KW, "filter"), p.Cin, "filter"), p.Cout + 64, "filter");
  checked_mul(p.KH - 1, p.dilation_h, "dilated filter");
  checked_mul(p.KW - 1, p.dilation_w, "dilated filter");
}

struct Job {
  const Conv2dReluParams* p;
  Conv2dReluKernelFn kernel;
};

void run_tasks(void* ctx, i64 begin, i64 end) {
  const Job* job = static_cast<const Job*>(ctx);
  job->kernel(job->p, begin, end, thread_scratch(static_cast<std::size_t>(job->p->scratch_floats)));
}

}  // namespace

i64 conv2d_output_size(i64 in, i64 k, i64 stride, i64 dilation, i64 pad_before, i64 pad_after) {
  if (stride < 1 || dilation < 1) return -1;
  const i64 span = (k - 1) * dilation + 1;
  // TF's GetWindowedOutputSize: C++ division truncates toward zero, so a window that overhangs
  // the padded input by less than a stride gives 0 (an empty output), not an error.
  return (in + pad_before + pad_after - span + stride) / stride;
}

int all_finite(const float* v, std::size_t n) {
  // NaN / Inf have every exponent bit set; an integer OR-reduction (vectorised at baseline).
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, v + i, sizeof bits);
    bad |= static_cast<std::uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
  }
  return bad == 0 ? 1 : 0;
}

void conv2d_same_padding(i64 in, i64 k, i64 stride, i64 dilation, i64* pad_before, i64* pad_after) {
  if (stride < 1) fail("strides must be positive, got " + std::to_string(stride));
  if (dilation < 1) fail("dilations must be positive, got " + std::to_string(dilation));
  const i64 out = ceil_div(in, stride);
  const i64 span = (k - 1) * dilation + 1;
  const i64 total = std::max<i64>((out - 1) * stride + span - in, 0);
  *pad_before = total / 2;
  *pad_after = total - total / 2;
}

i64 packed_filter_block(i64 cout) {
  if (cout <= 64) return std::max<i64>(16, ceil_div(cout, 16) * 16);
  return 64;
}

std::size_t packed_filter_floats(i64 kh, i64 kw, i64 cin, i64 cout) {
  // full blocks of CB, then the last block rounded up to a multiple of 16 only
  return static_cast<std::size_t>(kh * kw * cin * ceil_div(cout, 16) * 16);
}

void pack_filter_hwio(const float* hwio, i64 kh, i64 kw, i64 cin, i64 cout, float* packed) {
  const i64 cb = packed_filter_block(cout);
  const i64 ncb = ceil_div(cout, cb);
  const i64 k = kh * kw * cin;
  for (i64 b = 0; b < ncb; ++b) {
    const i64 c0 = b * cb;
    const i64 nvalid = std::min(cb, cout - c0);
    const i64 width = ceil_div(nvalid, 16) * 16;  // this block's row stride
    float* dst = packed + b * k * cb;
    for (i64 r = 0; r < k; ++r) {
      std::memcpy(dst + r * width, hwio + r * cout + c0, static_cast<std::size_t>(nvalid) * sizeof(float));
      if (nvalid < width) {
        std::memset(dst + r * width + nvalid, 0, static_cast<std::size_t>(width - nvalid) * sizeof(float));
      }
    }
  }
}

void conv2d_relu_with(const Conv2dReluParams& user, Conv2dReluKernelFn kernel) {
  validate(user);
  Conv2dReluParams p = user;
  if (p.N == 0 || p.OH == 0 || p.OW == 0 || p.Cout == 0) return;  // empty output
  if (p.Cin == 0) {
    // a contraction over nothing: activation(bias) everywhere (TF1's Eigen result)
    const i64 pixels = p.N * p.OH * p.OW;
    for (i64 c = 0; c < p.Cout; ++c) {
      const float v = p.bias != nullptr ? p.bias[c] : 0.0f;
      float o = v;
      if (p.activation == kActivationRelu) o = v < 0.0f ? 0.0f : v;
      if (p.activation == kActivationLeakyRelu) o = v > 0.0f ? v : v * p.alpha;
      for (i64 i = 0; i < pixels; ++i) p.output[i * p.Cout + c] = o;
    }
    return;
  }
  // Padding products 0 * w are formed by TF's Eigen convolution (NaN for an Inf / NaN filter
  // value); the SIMD kernels skip padded rows, which only matters for a non-finite filter: such
  // problems run on the scalar kernel, which forms every product.
  const bool padded = p.pad_top > 0 || p.pad_left > 0 ||
                      (p.OH - 1) * p.stride_h + (p.KH - 1) * p.dilation_h + 1 > p.H ||
                      (p.OW - 1) * p.stride_w + (p.KW - 1) * p.dilation_w + 1 > p.W;
  if (padded && !p.weights_finite) {
    const std::size_t nw = p.weights_packed ? packed_filter_floats(p.KH, p.KW, p.Cin, p.Cout)
                                            : static_cast<std::size_t>(p.KH * p.KW * p.Cin * p.Cout);
    if (!all_finite(p.weights, nw)) kernel = kernels_for(Isa::scalar).conv2d_relu;
  }
  p.cout_block = packed_filter_block(p.Cout);
  p.n_cout_blocks = ceil_div(p.Cout, p.cout_block);
  if (!p.weights_packed) {
    if (p.Cout != p.cout_block) {
      const std::size_t n = packed_filter_floats(p.KH, p.KW, p.Cin, p.Cout);
      float* buf = thread_pack_buffer(n);
      pack_filter_hwio(p.weights, p.KH, p.KW, p.Cin, p.Cout, buf);
      p.weights = buf;
    }
    p.weights_packed = 1;  // Cout == CB: HWIO already is the packed layout
  }

  // 1x1, stride 1, no padding: a plain GEMM over all N*H*W pixels -> one long output row.
  if (p.KH == 1 && p.KW == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_top == 0 &&
      p.pad_left == 0 && p.OH == p.H && p.OW == p.W) {
    const i64 m = p.N * p.H * p.W;
    p.N = 1;
    p.H = 1;
    p.OH = 1;
    p.W = m;
    p.OW = m;
  }

  // Tasks: (row group, column group), each for every channel block, so a task stages its input
  // window (when padded) once for all of them. Tasks are kept to ~1-8 MFLOP: small enough for
  // the dynamic split over threads and for the input of a task to stay in cache across the
  // channel blocks, large enough that the claiming cost (one atomic per task) is negligible.
  const int nthreads = get_num_threads();
  const i64 rows = p.N * p.OH;
  const double flops_per_px = 2.0 * static_cast<double>(p.KH * p.KW * p.Cin * p.Cout);
  if (rows == 1) {
    // 1x1 GEMM path (or a single output row): chunks of 96 pixels, a multiple of every tile
    // width (6, 8, 12).
    p.task_rows = 1;
    p.task_cols = std::min<i64>(p.OW, 96);
  } else {
    const double row_flops = flops_per_px * static_cast<double>(p.OW);
    // >= 8 MFLOP, and >= 24 pixels (tiles span rows: small images still fill the tile)
    p.task_rows = std::max<i64>({1, static_cast<i64>(8.0e6 / row_flops), ceil_div(24, p.OW)});
    if (nthreads > 1) {
      // at least ~3 tasks per thread when the problem allows it
      const i64 max_rows = std::max<i64>(1, rows / (3 * i64{nthreads}));
      p.task_rows = std::min(p.task_rows, max_rows);
    }
    p.task_cols = p.OW;
  }
  // Deep layers with few pixels (weights >> activations): a task streams the weights of its
  // channel blocks once for all its pixels, so give it many pixels (>= 128, the whole batch when
  // that is fewer) and split the channel blocks between tasks instead. (DCGAN layer 4, 8x8x256
  // 5x5 -> 512: 24-pixel tasks re-read the 13 MB filter 11 times per call.)
  p.task_cbs = p.n_cout_blocks;
  const double wbytes = 4.0 * static_cast<double>(p.KH * p.KW * p.Cin * p.Cout);
  const double xbytes = 4.0 * static_cast<double>(p.N * p.H * p.W * p.Cin);
  if (rows > 1 && wbytes > 512.0 * 1024.0 && wbytes > xbytes) {
    p.task_rows = std::max(p.task_rows, std::min(rows, ceil_div(128, p.OW)));
    const i64 pixel_tasks = ceil_div(rows, p.task_rows);
    const i64 want = 3 * i64{nthreads};
    if (pixel_tasks < want) {
      const i64 groups = std::min(p.n_cout_blocks, ceil_div(want, pixel_tasks));
      p.task_cbs = ceil_div(p.n_cout_blocks, groups);
    }
  }
  p.n_cb_groups = ceil_div(p.n_cout_blocks, p.task_cbs);
  p.n_row_groups = ceil_div(rows, p.task_rows);
  p.n_col_groups = ceil_div(p.OW, p.task_cols);
  // The pool numbers tasks with 32 bits: coarsen absurdly large problems.
  while (p.n_row_groups * p.n_col_groups * p.n_cb_groups >= (i64{1} << 30)) {
    if (p.n_row_groups > 1) {
      p.task_rows *= 2;
      p.n_row_groups = ceil_div(rows, p.task_rows);
    } else {
      p.task_cols *= 2;
      p.n_col_groups = ceil_div(p.OW, p.task_cols);
    }
  }
  // staged input of a task: one zero-bordered segment per image it touches
  const i64 span = (p.task_cols - 1) * p.stride_w + (p.KW - 1) * p.dilation_w + 1;
  const i64 seg_rows = (std::min(p.task_rows, p.OH) - 1) * p.stride_h + (p.KH - 1) * p.dilation_h + 1;
  const i64 segments = ceil_div(p.task_rows, p.OH) + 1;
  const i64 staged = checked_mul(checked_mul(checked_mul(segments, seg_rows, "scratch"), span, "scratch"), p.Cin, "scratch");
  // + the per-pixel table of a task (pointers and valid filter rows: 8 floats a pixel)
  p.scratch_floats = (staged + 15) / 16 * 16 + checked_mul(checked_mul(p.task_rows, p.task_cols, "scratch"), 8, "scratch");

  const i64 ntasks = p.n_row_groups * p.n_col_groups * p.n_cb_groups;
  Job job{&p, kernel};
  // Below ~10 us of work, waking a helper (possibly a futex syscall) costs more than it saves.
  const double total_flops = flops_per_px * static_cast<double>(rows) * static_cast<double>(p.OW);
  if (nthreads <= 1 || ntasks == 1 || total_flops < 2.0e6) {
    run_tasks(&job, 0, ntasks);
  } else {
    detail::parallel_for(ntasks, &run_tasks, &job);
  }
}

void conv2d_relu(const Conv2dReluParams& p) { conv2d_relu_with(p, active_kernel()); }

void set_num_threads(int n) { detail::pool_set_num_threads(n); }

int get_num_threads() { return detail::pool_num_threads(); }

}  // namespace varstore::kernels
