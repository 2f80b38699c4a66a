// Conv2DBackpropInput, Conv2DBackpropFilter and BiasAddGrad: argument checks, empty tensors,
// filter transposition, staging, scheduling and the threaded run. Baseline code (no ISA flags);
// the per-ISA kernels (kernels.inc) do the arithmetic.
#include "varstore/kernels/conv2d_backprop.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

#include "scratch.hpp"
#include "thread_pool.hpp"
#include "varstore/kernels/conv2d_relu.hpp"
#include "varstore/kernels/isa.hpp"

namespace varstore::kernels {
namespace {

using i64 = std::int64_t;

constexpr i64 kMaxDim = i64{1} << 31;
constexpr int kSlotKernel = 0;  // per-thread kernel scratch
constexpr int kSlotPack = 1;    // transposed filter (dx)
constexpr int kSlotStage = 2;   // zero-bordered x (dw)
constexpr int kSlotPartial = 3; // partial sums (bias)

i64 ceil_div(i64 a, i64 b) { return (a + b - 1) / b; }

[[noreturn]] void fail(const char* op, const std::string& msg) {
  throw std::invalid_argument(std::string(op) + ": " + msg);
}

i64 checked_mul(const char* op, i64 a, i64 b) {
  constexpr i64 kLimit = i64{1} << 48;
  if (a < 0 || b < 0 || (a != 0 && b > kLimit / a)) fail(op, "tensor is too large");
  return a * b;
}

i64 elems4(const char* op, i64 a, i64 b, i64 c, i64 d) {
  return checked_mul(op, checked_mul(op, checked_mul(op, a, b), c), d);
}

// Checks of the conv geometry shared by both backward convolutions.
template <typename P>
void validate_geometry(const char* op, const P& p) {
  auto size = [op](i64 v, const char* name) {
    if (v < 0 || v >= kMaxDim) fail(op, std::string(name) + " must be in [0, 2^31), got " + std::to_string(v));
  };
  size(p.N, "batch size");
  size(p.H, "input height");
  size(p.W, "input width");
  size(p.Cin, "input channels");
  size(p.Cout, "output channels");
  size(p.OH, "out_backprop height");
  size(p.OW, "out_backprop width");
  if (p.KH < 1 || p.KW < 1 || p.KH >= kMaxDim || p.KW >= kMaxDim) {
    fail(op, "filter height and width must be positive, got " + std::to_string(p.KH) + "x" + std::to_string(p.KW));
  }
  if (p.stride_h < 1 || p.stride_w < 1 || p.stride_h >= kMaxDim || p.stride_w >= kMaxDim) fail(op, "strides must be positive");
  if (p.dilation_h < 1 || p.dilation_w < 1 || p.dilation_h >= kMaxDim || p.dilation_w >= kMaxDim) {
    fail(op, "dilations must be positive");
  }
  if (p.pad_top < 0 || p.pad_left < 0 || p.pad_top >= kMaxDim || p.pad_left >= kMaxDim) {
    fail(op, "padding must be non-negative");
  }
  elems4(op, p.N, p.H, p.W, p.Cin);
  elems4(op, p.N, p.OH, p.OW, p.Cout);
  elems4(op, p.KH, p.KW, p.Cin + 64, p.Cout + 64);
  checked_mul(op, p.KH - 1, p.dilation_h);
  checked_mul(op, p.KW - 1, p.dilation_w);
}

struct Job {
  const void* p;
  void (*call)(const void* p, i64 b, i64 e);
};

void run_job(void* ctx, i64 b, i64 e) {
  const Job* job = static_cast<const Job*>(ctx);
  job->call(job->p, b, e);
}

// Runs tasks [0, ntasks) on the pool, or on the calling thread when small.
void run(i64 ntasks, double flops, const Job& job) {
  if (ntasks <= 0) return;
  if (get_num_threads() <= 1 || ntasks == 1 || flops < 2.0e6) {
    job.call(job.p, 0, ntasks);
  } else {
    Job j = job;
    detail::parallel_for(ntasks, &run_job, &j);
  }
}

template <typename P, typename Fn>
struct KernelCall {
  const P* p;
  Fn fn;
  static void call(const void* ctx, i64 b, i64 e) {
    const auto* self = static_cast<const KernelCall*>(ctx);
    self->fn(self->p, b, e, detail::thread_buffer(kSlotKernel, static_cast<std::size_t>(self->p->scratch_floats)));
  }
};

void zero(float* p, i64 n) {
  if (n > 0) std::memset(p, 0, static_cast<std::size_t>(n) * sizeof(float));
}

bool needs_padding(i64 H, i64 W, i64 KH, i64 KW, i64 OH, i64 OW, i64 sh, i64 sw, i64 dh, i64 dw,
                   i64 pt, i64 pl) {
  return pt > 0 || pl > 0 || (OH - 1) * sh + (KH - 1) * dh + 1 > H || (OW - 1) * sw + (KW - 1) * dw + 1 > W;
}

}  // namespace

// ---- Conv2DBackpropInput ------------------------------------------------------------------

void conv2d_backprop_input_with(const Conv2dBackpropInputParams& user, Conv2dBackpropInputKernelFn kernel) {
  const char* op = "conv2d_backprop_input";
  validate_geometry(op, user);
  Conv2dBackpropInputParams p = user;
  const i64 nx = p.N * p.H * p.W * p.Cin;
  if (nx == 0) return;  // empty dx
  if (p.dx == nullptr) fail(op, "null data pointer");
  if (p.OH == 0 || p.OW == 0 || p.Cout == 0) {  // empty dy: dx is all zeros (as TF)
    zero(p.dx, nx);
    return;
  }
  if (p.dy == nullptr || p.weights == nullptr) fail(op, "null data pointer");

  // transposed filter wt[kh][kw][co][ci], packed in blocks of CB input channels
  p.cin_block = packed_filter_block(p.Cin);
  p.n_cin_blocks = ceil_div(p.Cin, p.cin_block);
  const i64 taps = p.KH * p.KW;
  float* wt = detail::thread_buffer(kSlotPack, static_cast<std::size_t>(taps * p.Cout * ceil_div(p.Cin, 16) * 16));
  for (i64 b = 0; b < p.n_cin_blocks; ++b) {
    const i64 ci0 = b * p.cin_block;
    const i64 nvalid = std::min(p.cin_block, p.Cin - ci0);
    const i64 ldw = ceil_div(nvalid, 16) * 16;
    float* dst = wt + b * taps * p.Cout * p.cin_block;
    for (i64 t = 0; t < taps; ++t) {
      for (i64 co = 0; co < p.Cout; ++co) {
        float* d = dst + (t * p.Cout + co) * ldw;
        const float* s = p.weights + (t * p.Cin + ci0) * p.Cout + co;
        for (i64 c = 0; c < nvalid; ++c) d[c] = s[c * p.Cout];
        for (i64 c = nvalid; c < ldw; ++c) d[c] = 0.0f;
      }
    }
  }
  p.wt = wt;
  p.exact = all_finite(p.weights, static_cast<std::size_t>(taps * p.Cin * p.Cout)) ? 0 : 1;

  // tasks: (image, band of q rows); >= 8 MFLOP and >= 24 pixels per phase (tiles span rows),
  // >= 3 per thread when possible
  p.n_q = (p.H - 1 + p.pad_top) / p.stride_h + 1;
  const i64 Eh = ((p.KH - 1) * p.dilation_h) / p.stride_h;
  const i64 Ew = ((p.KW - 1) * p.dilation_w) / p.stride_w;
  const i64 CW = (p.W - 1 + p.pad_left) / p.stride_w + 1;
  const double flops_per_q = 2.0 * static_cast<double>(p.W) * static_cast<double>(p.Cin) *
                             static_cast<double>(p.Cout) * static_cast<double>(taps) /
                             static_cast<double>(p.stride_w);
  p.task_q = std::max<i64>({1, static_cast<i64>(8.0e6 / std::max(1.0, flops_per_q)), ceil_div(24, CW)});
  const int nthreads = get_num_threads();
  if (nthreads > 1) p.task_q = std::min(p.task_q, std::max<i64>(1, p.N * p.n_q / (3 * i64{nthreads})));
  p.task_q = std::min(p.task_q, p.n_q);
  // Deep layers on small images (< 128 pixels, filter larger than dy and > 512 KB): a task
  // streams the filter of its Cin blocks once for all its pixels; give it whole images, >= 128
  // dx pixels, and split the Cin blocks between tasks instead (DCGAN layer 4, AVX2 best call:
  // 32 -> 38 GFLOP/s at 1 thread, 48 -> 69 at 2; 14x14 images ran better with row bands).
  p.task_imgs = 1;
  p.task_cbs = p.n_cin_blocks;
  const double wbytes = 4.0 * static_cast<double>(taps * p.Cin * p.Cout);
  if (p.H * p.W < 128 && wbytes > 512.0 * 1024.0 &&
      wbytes > 4.0 * static_cast<double>(p.N * p.OH * p.OW * p.Cout)) {
    p.task_q = p.n_q;
    p.task_imgs = std::min(p.N, ceil_div(128, p.H * p.W));
    const i64 want = 3 * i64{nthreads};
    const i64 img_tasks = ceil_div(p.N, p.task_imgs);
    if (img_tasks < want) {
      p.task_cbs = ceil_div(p.n_cin_blocks, std::min(p.n_cin_blocks, ceil_div(want, img_tasks)));
    }
  }
  p.n_q_groups = ceil_div(p.n_q, p.task_q);
  p.n_img_groups = ceil_div(p.N, p.task_imgs);
  p.n_cb_groups = ceil_div(p.n_cin_blocks, p.task_cbs);
  p.stage_pix = (p.Cout >= 64 && p.Cout % 64 == 0) ? p.Cout + 16 : p.Cout;  // L1 set aliasing
  const i64 staged = checked_mul(op, checked_mul(op, p.task_q + Eh, CW + Ew), p.stage_pix);
  // + the pixel table of a phase (two pointers a pixel)
  p.scratch_floats = (checked_mul(op, p.task_imgs, staged) + 15) / 16 * 16 +
                     checked_mul(op, checked_mul(op, p.task_imgs, p.task_q), CW) * 8;

  KernelCall<Conv2dBackpropInputParams, Conv2dBackpropInputKernelFn> kc{&p, kernel};
  const double flops = 2.0 * static_cast<double>(p.N * p.OH * p.OW) * static_cast<double>(taps * p.Cin * p.Cout);
  run(p.n_img_groups * p.n_q_groups * p.n_cb_groups, flops, Job{&kc, &decltype(kc)::call});
}

void conv2d_backprop_input(const Conv2dBackpropInputParams& p) {
  conv2d_backprop_input_with(p, active_kernels().conv2d_backprop_input);
}

// ---- Conv2DBackpropFilter -----------------------------------------------------------------

namespace {

struct StageX {
  const Conv2dBackpropFilterParams* p;
  float* dst;
  static void call(const void* ctx, i64 b, i64 e) {
    const auto* s = static_cast<const StageX*>(ctx);
    const Conv2dBackpropFilterParams& p = *s->p;
    const i64 rs = p.xs_w * p.xs_pix;
    for (i64 t = b; t < e; ++t) {  // task = one padded row of one image of the pass
      const i64 img = t / p.xs_h, hp = t % p.xs_h;
      float* d = s->dst + t * rs;
      const i64 ih = hp - p.pad_top;
      if (ih < 0 || ih >= p.H) {
        zero(d, rs);
        continue;
      }
      const i64 lo = std::min(p.pad_left, p.xs_w);
      const i64 ncopy = std::max<i64>(0, std::min(p.W, p.xs_w - p.pad_left));
      zero(d, lo * p.xs_pix);
      const float* src = p.x + ((p.n0 + img) * p.H + ih) * p.W * p.Cin;
      if (p.xs_pix == p.Cin) {
        std::memcpy(d + lo * p.Cin, src, static_cast<std::size_t>(ncopy * p.Cin) * sizeof(float));
      } else {
        for (i64 c = 0; c < ncopy; ++c) {
          float* dp = d + (lo + c) * p.xs_pix;
          std::memcpy(dp, src + c * p.Cin, static_cast<std::size_t>(p.Cin) * sizeof(float));
          zero(dp + p.Cin, p.xs_pix - p.Cin);
        }
      }
      zero(d + (lo + ncopy) * p.xs_pix, (p.xs_w - lo - ncopy) * p.xs_pix);
    }
  }
};

}  // namespace

void conv2d_backprop_filter_with(const Conv2dBackpropFilterParams& user, Conv2dBackpropFilterKernelFn kernel) {
  const char* op = "conv2d_backprop_filter";
  validate_geometry(op, user);
  Conv2dBackpropFilterParams p = user;
  const i64 nw = p.KH * p.KW * p.Cin * p.Cout;
  if (nw == 0) return;  // empty dw (and an empty bias gradient when Cout = 0)
  if (p.dw == nullptr) fail(op, "null data pointer");
  if (p.N == 0 || p.OH == 0 || p.OW == 0) {  // no output pixel: dw (and the bias grad) are 0
    zero(p.dw, nw);
    if (p.bias_grad != nullptr) zero(p.bias_grad, p.Cout);
    return;
  }
  if (p.x == nullptr || p.dy == nullptr) fail(op, "null data pointer");

  // Cin a multiple of 64: the pixel stride of x is a multiple of 256 B and the broadcasts of a
  // tile (one line per pixel) fall into a few L1 sets; staging x with 16 floats of slack per
  // pixel spreads them (measured: DCGAN layer 4, 5x5 s2 256 -> 512 on 8x8, 40 -> 70 GFLOP/s on AVX2).
  const bool alias = p.Cin >= 64 && p.Cin % 64 == 0;
  const bool padded = alias || needs_padding(p.H, p.W, p.KH, p.KW, p.OH, p.OW, p.stride_h, p.stride_w,
                                             p.dilation_h, p.dilation_w, p.pad_top, p.pad_left);
  p.xs_pix = alias ? p.Cin + 16 : p.Cin;
  const bool merged = p.dilation_w == 1 && p.xs_pix == p.Cin;
  p.run_len = merged ? p.KW * p.Cin : p.Cin;
  p.n_runs = merged ? p.KH : p.KH * p.KW;
  const i64 M = p.KH * p.KW * p.Cin;
  p.cout_block = packed_filter_block(p.Cout);
  p.n_cout_blocks = ceil_div(p.Cout, p.cout_block);
  const int nthreads = get_num_threads();
  // row ranges: enough tasks for the threads, each >= 48 rows (it repacks the dy panel)
  p.n_mranges = 1;
  if (nthreads > 1 && p.n_cout_blocks < 4 * nthreads) {
    p.n_mranges = std::max<i64>(1, std::min(ceil_div(4 * nthreads, p.n_cout_blocks), M / 48));
  }
  p.mrange_rows = ceil_div(M, p.n_mranges);
  p.n_mranges = ceil_div(M, p.mrange_rows);
  // ~128 pixels per packed dy panel: a tile's panel slice (128 x 16 or 64 channels) and the x
  // lines it broadcasts from stay in L1 together
  p.chunk_rows = std::max<i64>(1, std::min<i64>(256, 128 / p.OW));
  p.scratch_floats = checked_mul(op, checked_mul(op, p.chunk_rows, p.OW), p.cout_block);

  i64 group = p.N;
  float* stage = nullptr;
  if (padded) {
    p.xs_h = (p.OH - 1) * p.stride_h + (p.KH - 1) * p.dilation_h + 1;
    p.xs_w = (p.OW - 1) * p.stride_w + (p.KW - 1) * p.dilation_w + 1;
    p.xs_padded = 1;
    const i64 per_image = checked_mul(op, checked_mul(op, p.xs_h, p.xs_w), p.xs_pix);
    group = std::max<i64>(1, std::min(p.N, (i64{1} << 21) / std::max<i64>(1, per_image)));
    stage = detail::thread_buffer(kSlotStage, static_cast<std::size_t>(checked_mul(op, group, per_image)));
  } else {
    p.xs = p.x;
    p.xs_h = p.H;
    p.xs_w = p.W;
    p.xs_padded = 0;
  }
  KernelCall<Conv2dBackpropFilterParams, Conv2dBackpropFilterKernelFn> kc{&p, kernel};
  for (i64 n0 = 0; n0 < p.N; n0 += group) {
    p.n0 = n0;
    p.n1 = std::min(p.N, n0 + group);
    p.accumulate = n0 > 0 ? 1 : 0;
    if (padded) {
      StageX sx{&p, stage};
      const i64 nrows = (p.n1 - p.n0) * p.xs_h;
      run(nrows, static_cast<double>(nrows * p.xs_w * p.xs_pix) * 4.0, Job{&sx, &StageX::call});
      p.xs = stage;
    }
    const double flops = 2.0 * static_cast<double>((p.n1 - p.n0) * p.OH * p.OW) * static_cast<double>(M * p.Cout);
    run(p.n_cout_blocks * p.n_mranges, flops, Job{&kc, &decltype(kc)::call});
  }
}

void conv2d_backprop_filter(const Conv2dBackpropFilterParams& p) {
  conv2d_backprop_filter_with(p, active_kernels().conv2d_backprop_filter);
}

// ---- BiasAddGrad ----------------------------------------------------------------------------

void bias_add_grad_with(const BiasAddGradParams& user, float* out, BiasAddGradKernelFn kernel) {
  const char* op = "bias_add_grad";
  if (user.rows < 0 || user.C < 0 || user.C >= kMaxDim) fail(op, "bad shape");
  checked_mul(op, user.rows, user.C);
  if (user.C == 0) return;
  if (out == nullptr) fail(op, "null data pointer");
  if (user.rows == 0) {
    zero(out, user.C);
    return;
  }
  if (user.dy == nullptr) fail(op, "null data pointer");
  BiasAddGradParams p = user;
  // float32 sums: at most 1024 rows in sequence per chunk (two interleaved chains in the SIMD
  // kernels), then a pairwise sum of the chunk partials (deterministic for any thread count).
  p.chunk_rows = std::max<i64>(16, std::min<i64>(1024, (i64{1} << 16) / p.C));
  p.n_chunks = ceil_div(p.rows, p.chunk_rows);
  p.partials = detail::thread_buffer(kSlotPartial, static_cast<std::size_t>(checked_mul(op, p.n_chunks, p.C)));
  struct Call {
    const BiasAddGradParams* p;
    BiasAddGradKernelFn fn;
    i64 scratch_floats;
    static void call(const void* ctx, i64 b, i64 e) {
      const auto* c = static_cast<const Call*>(ctx);
      c->fn(c->p, b, e, nullptr);
    }
  } call{&p, kernel, 0};
  run(p.n_chunks, 4.0 * static_cast<double>(p.rows * p.C), Job{&call, &Call::call});
  for (i64 step = 1; step < p.n_chunks; step *= 2) {
    for (i64 t = 0; t + step < p.n_chunks; t += 2 * step) {
      float* a = p.partials + t * p.C;
      const float* b = p.partials + (t + step) * p.C;
      for (i64 c = 0; c < p.C; ++c) a[c] += b[c];
    }
  }
  std::memcpy(out, p.partials, static_cast<std::size_t>(p.C) * sizeof(float));
}

void bias_add_grad(const BiasAddGradParams& p, float* out) {
  bias_add_grad_with(p, out, active_kernels().bias_add_grad);
}

}  // namespace varstore::kernels
