// Native benchmark of the conv2d kernels: GFLOP/s of every registry entry (kernels.inc) for the
// forward conv2d + bias + ReLU (fwd), Conv2DBackpropInput (dx) and Conv2DBackpropFilter with the
// fused bias gradient (dw), on the shapes of issue 3, the weak forward shapes and the DCGAN
// discriminator layers, at 1 and 2 threads, and % of this machine's FP32 peak, which it
// measures itself with an FMA-throughput loop (1 thread and all threads). The backward
// kernels run with the fused leaky-ReLU mask (y = the forward output, alpha = 0.2), as in a
// DCGAN discriminator's train step. FLOPs = 2 * N * OH * OW * KH * KW * Cin * Cout for each.
//
//   bench_conv2d_relu [--isa=avx512,avx2,scalar] [--threads=1,2] [--shape=NAME,...]
//                     [--kernel=fwd,dx,dw]
//                     [--min-time=0.5] [--peak-only] [--unpacked]
//                     [--custom=N,H,W,Cin,KH,KW,Cout,stride,dilation,same] [--min] [--out-offset=k]
//                     [--repeat=n]   (n passes over all rows; each row keeps its best median:
//                                     on a shared VM a neighbour's burst only spoils one pass)
//
// Times are medians of repeated calls (std::chrono::steady_clock) after a warm-up; weights are
// packed once (as varstore caches per variable) unless --unpacked.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define BENCH_X86 1
#endif

#include "kernel_impls.hpp"
#include "varstore/kernels/conv2d_relu.hpp"
#include "varstore/kernels/isa.hpp"

namespace vk = varstore::kernels;
using i64 = std::int64_t;
using Clock = std::chrono::steady_clock;

namespace {

struct Impl {
  vk::Isa isa;
  vk::Conv2dReluKernelFn fn;
  std::uint32_t required;
  vk::Conv2dBackpropInputKernelFn dx;
  vk::Conv2dBackpropFilterKernelFn dw;
};

const Impl kImpls[] = {
#define VARSTORE_KERNEL_IMPL(isa_, required_, fwd_, dx_, dw_, db_) {vk::Isa::isa_, &fwd_, (required_), &dx_, &dw_},
#include "kernels.inc"
#undef VARSTORE_KERNEL_IMPL
};

struct Shape {
  const char* name;
  i64 N, H, W, Cin, KH, KW, Cout, stride, dilation;
  bool same;
};

int g_out_offset = 0;
bool g_use_min = false;  // --min: best call instead of the median (tuning on a busy machine)

std::vector<Shape> g_shapes = {
    {"seed_5x5_c32", 1, 32, 32, 32, 5, 5, 32, 1, 1, true},
    {"seed_5x5_c32_b16", 16, 64, 64, 32, 5, 5, 32, 1, 1, true},
    {"res_3x3_c64", 1, 56, 56, 64, 3, 3, 64, 1, 1, true},
    {"res_3x3_c128", 1, 28, 28, 128, 3, 3, 128, 1, 1, true},
    {"pw_1x1_64_256", 1, 56, 56, 64, 1, 1, 256, 1, 1, true},
    {"first_7x7s2_c3", 1, 224, 224, 3, 7, 7, 64, 2, 1, true},
    {"small_c16", 8, 32, 32, 16, 3, 3, 16, 1, 1, true},
    {"dilated_3x3_d2", 1, 64, 64, 32, 3, 3, 32, 1, 2, true},
    {"s2_valid_64_128", 1, 56, 56, 64, 3, 3, 128, 2, 1, false},
    {"deep_3x3_c256_14", 1, 14, 14, 256, 3, 3, 256, 1, 1, true},
    {"b32_5x5_c32_16", 32, 16, 16, 32, 5, 5, 32, 1, 1, true},
    // DCGAN discriminator: batch 16, 64x64x3, 5x5 stride 2 SAME
    {"dcgan_d1_3_64", 16, 64, 64, 3, 5, 5, 64, 2, 1, true},
    {"dcgan_d2_64_128", 16, 32, 32, 64, 5, 5, 128, 2, 1, true},
    {"dcgan_d3_128_256", 16, 16, 16, 128, 5, 5, 256, 2, 1, true},
    {"dcgan_d4_256_512", 16, 8, 8, 256, 5, 5, 512, 2, 1, true},
};

// ---- FP32 peak: independent FMA chains, enough to cover latency x ports -------------------
#if defined(BENCH_X86)
__attribute__((target("avx512f"))) double fma_loop_avx512(i64 iters) {
  __m512 acc[24];
#pragma GCC unroll 24
  for (int i = 0; i < 24; ++i) acc[i] = _mm512_set1_ps(static_cast<float>(i) * 1e-3f);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (i64 it = 0; it < iters; ++it) {
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i) {
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
      __asm__("" : "+v"(acc[i]));  // keeps every chain in a register, no folding
    }
  }
  __m512 s = acc[0];
#pragma GCC unroll 24
  for (int i = 1; i < 24; ++i) s = _mm512_add_ps(s, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, s);
  return static_cast<double>(out[0]) + static_cast<double>(out[15]);
}

__attribute__((target("avx2,fma"))) double fma_loop_avx2(i64 iters) {
  __m256 acc[12];
#pragma GCC unroll 12
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(static_cast<float>(i) * 1e-3f);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (i64 it = 0; it < iters; ++it) {
#pragma GCC unroll 12
    for (int i = 0; i < 12; ++i) {
      acc[i] = _mm256_fmadd_ps(acc[i], a, b);
      __asm__("" : "+v"(acc[i]));
    }
  }
  __m256 s = acc[0];
#pragma GCC unroll 12
  for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, acc[i]);
  float out[8];
  _mm256_storeu_ps(out, s);
  return static_cast<double>(out[0]) + static_cast<double>(out[7]);
}
#endif

// GFLOP/s of one FMA loop run on `nthreads` threads at once (best of `reps`).
double measure_peak(bool avx512, int nthreads, int reps = 5) {
#if defined(BENCH_X86)
  const i64 iters = 20'000'000;
  const double flops_per_iter = avx512 ? 24.0 * 32.0 : 12.0 * 16.0;
  double best = 0.0;
  std::atomic<double> sink{0.0};
  for (int r = 0; r < reps; ++r) {
    const auto t0 = Clock::now();
    std::vector<std::thread> ts;
    for (int t = 0; t < nthreads; ++t) {
      ts.emplace_back([&] {
        const double v = avx512 ? fma_loop_avx512(iters) : fma_loop_avx2(iters);
        double cur = sink.load();
        while (!sink.compare_exchange_weak(cur, cur + v)) {
        }
      });
    }
    for (auto& t : ts) t.join();
    const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, flops_per_iter * static_cast<double>(iters) * nthreads / sec / 1e9);
  }
  if (sink.load() == 12345.678) std::printf(" ");
  return best;
#else
  (void)avx512;
  (void)nthreads;
  (void)reps;
  return 0.0;
#endif
}

struct Problem {
  vk::Conv2dReluParams p{};
  vk::Conv2dBackpropInputParams pdx{};
  vk::Conv2dBackpropFilterParams pdw{};
  std::vector<float> x, w, packed, b, out, dy, dx, dw, db;
  double flops = 0;
};

Problem make_problem(const Shape& s, bool packed) {
  Problem pr;
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  pr.x.resize(static_cast<std::size_t>(s.N * s.H * s.W * s.Cin));
  pr.w.resize(static_cast<std::size_t>(s.KH * s.KW * s.Cin * s.Cout));
  pr.b.resize(static_cast<std::size_t>(s.Cout));
  for (auto& v : pr.x) v = d(rng);
  for (auto& v : pr.w) v = d(rng) * 0.1f;
  for (auto& v : pr.b) v = d(rng);
  i64 pt = 0, pb = 0, pl = 0, prr = 0;
  if (s.same) {
    vk::conv2d_same_padding(s.H, s.KH, s.stride, s.dilation, &pt, &pb);
    vk::conv2d_same_padding(s.W, s.KW, s.stride, s.dilation, &pl, &prr);
  }
  const i64 OH = vk::conv2d_output_size(s.H, s.KH, s.stride, s.dilation, pt, pb);
  const i64 OW = vk::conv2d_output_size(s.W, s.KW, s.stride, s.dilation, pl, prr);
  pr.out.resize(static_cast<std::size_t>(s.N * OH * OW * s.Cout) + 16);
  vk::Conv2dReluParams& p = pr.p;
  p.input = pr.x.data();
  if (packed) {
    pr.packed.resize(vk::packed_filter_floats(s.KH, s.KW, s.Cin, s.Cout));
    vk::pack_filter_hwio(pr.w.data(), s.KH, s.KW, s.Cin, s.Cout, pr.packed.data());
    p.weights = pr.packed.data();
    p.weights_packed = 1;
  } else {
    p.weights = pr.w.data();
  }
  p.bias = pr.b.data();
  {
    // output at a chosen offset from a 64-byte boundary (--out-offset=floats, default 0)
    float* o = pr.out.data();
    while (reinterpret_cast<std::uintptr_t>(o) % 64 != 0) ++o;
    p.output = o + g_out_offset;
  }
  p.N = s.N; p.H = s.H; p.W = s.W; p.Cin = s.Cin; p.KH = s.KH; p.KW = s.KW; p.Cout = s.Cout;
  p.OH = OH; p.OW = OW; p.stride_h = p.stride_w = s.stride; p.dilation_h = p.dilation_w = s.dilation;
  p.pad_top = pt; p.pad_left = pl; p.activation = vk::kActivationRelu;
  pr.flops = 2.0 * static_cast<double>(s.N * OH * OW) * static_cast<double>(s.KH * s.KW * s.Cin * s.Cout);
  // backward: dy random, y = the forward output (mask), leaky ReLU 0.2
  pr.dy.resize(static_cast<std::size_t>(s.N * OH * OW * s.Cout));
  for (auto& v : pr.dy) v = d(rng);
  vk::conv2d_relu(p);  // the forward output is the mask source
  pr.dx.resize(pr.x.size());
  pr.dw.resize(pr.w.size());
  pr.db.resize(static_cast<std::size_t>(s.Cout));
  auto geom = [&](auto& q) {
    q.N = s.N; q.H = s.H; q.W = s.W; q.Cin = s.Cin; q.KH = s.KH; q.KW = s.KW; q.Cout = s.Cout;
    q.OH = OH; q.OW = OW; q.stride_h = q.stride_w = s.stride; q.dilation_h = q.dilation_w = s.dilation;
    q.pad_top = pt; q.pad_left = pl; q.y = p.output; q.alpha = 0.2f; q.dy = pr.dy.data();
  };
  geom(pr.pdx);
  pr.pdx.weights = pr.w.data();
  pr.pdx.dx = pr.dx.data();
  geom(pr.pdw);
  pr.pdw.x = pr.x.data();
  pr.pdw.dw = pr.dw.data();
  pr.pdw.bias_grad = pr.db.data();
  return pr;
}

enum class Kernel { kFwd, kDx, kDw };
const char* kernel_name(Kernel k) { return k == Kernel::kFwd ? "fwd" : k == Kernel::kDx ? "dx" : "dw"; }

void call(const Problem& pr, const Impl& impl, Kernel k) {
  if (k == Kernel::kFwd) {
    vk::conv2d_relu_with(pr.p, impl.fn);
  } else if (k == Kernel::kDx) {
    vk::conv2d_backprop_input_with(pr.pdx, impl.dx);
  } else {
    vk::conv2d_backprop_filter_with(pr.pdw, impl.dw);
  }
}

// Median seconds per call.
double time_call(const Problem& pr, const Impl& impl, Kernel k, double min_time) {
  for (int i = 0; i < 3; ++i) call(pr, impl, k);  // warm-up (pool, scratch, caches)
  std::vector<double> ts;
  const auto start = Clock::now();
  while (ts.size() < 7 || (std::chrono::duration<double>(Clock::now() - start).count() < min_time && ts.size() < 2000)) {
    const auto t0 = Clock::now();
    call(pr, impl, k);
    ts.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(ts.begin(), ts.end());
  return g_use_min ? ts.front() : ts[ts.size() / 2];
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> v;
  std::size_t a = 0;
  while (a <= s.size()) {
    const std::size_t b = s.find(',', a);
    const std::string item = s.substr(a, b == std::string::npos ? std::string::npos : b - a);
    if (!item.empty()) v.push_back(item);
    if (b == std::string::npos) break;
    a = b + 1;
  }
  return v;
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return v.empty() || std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> isas, shapes, kernel_names;
  std::vector<int> threads = {1, 2};
  double min_time = 0.5;
  bool peak_only = false, packed = true;
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto val = [&](const char* key) -> const char* {
      const std::size_t n = std::strlen(key);
      return a.compare(0, n, key) == 0 ? argv[i] + n : nullptr;
    };
    if (const char* v = val("--isa=")) {
      isas = split(v);
    } else if (const char* vk_ = val("--kernel=")) {
      kernel_names = split(vk_);
    } else if (const char* v2 = val("--shape=")) {
      shapes = split(v2);
    } else if (const char* v3 = val("--threads=")) {
      threads.clear();
      for (const auto& t : split(v3)) threads.push_back(std::atoi(t.c_str()));
    } else if (const char* v4 = val("--min-time=")) {
      min_time = std::atof(v4);
    } else if (const char* v5 = val("--custom=")) {
      // --custom=N,H,W,Cin,KH,KW,Cout,stride,dilation,same(0/1)
      const auto f = split(v5);
      if (f.size() != 10) {
        std::fprintf(stderr, "--custom needs 10 comma-separated numbers\n");
        return 2;
      }
      auto n = [&](int k) { return static_cast<i64>(std::atoll(f[static_cast<std::size_t>(k)].c_str())); };
      g_shapes.push_back({"custom", n(0), n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8), n(9) != 0});
      shapes.push_back("custom");
    } else if (const char* v6 = val("--out-offset=")) {
      g_out_offset = std::atoi(v6) & 15;
    } else if (const char* v7 = val("--repeat=")) {
      repeat = std::max(1, std::atoi(v7));
    } else if (a == "--min") {
      g_use_min = true;
    } else if (a == "--peak-only") {
      peak_only = true;
    } else if (a == "--unpacked") {
      packed = false;
    } else {
      std::fprintf(stderr, "usage: %s [--isa=a,b] [--threads=1,2] [--shape=name,...] [--min-time=s] [--kernel=fwd,dx,dw] [--peak-only] [--unpacked] [--min] [--repeat=n] [--out-offset=k] [--custom=N,H,W,Cin,KH,KW,Cout,s,d,same]\n", argv[0]);
      return 2;
    }
  }
  const std::uint32_t features = vk::cpu_features();
  const bool has512 = (features & vk::kCpuAvx512) != 0, has2 = (features & vk::kCpuAvx2Fma) != 0;
  const unsigned ncpu = std::max(1u, std::thread::hardware_concurrency());
  std::printf("CPU: %s (%u CPUs)\n", vk::cpu_brand().c_str(), ncpu);
  // The peak is a property of the core; on a shared VM one sample can be low, so it is sampled
  // again before every shape and the highest value seen is used for every row.
  const bool peak512 = has512;
  const int nthr_max = static_cast<int>(ncpu);
  double peak1 = 0.0, peakN = 0.0, peak_avx2 = 0.0;
  auto sample_peaks = [&](int reps) {
    if (!has2) return;
    peak1 = std::max(peak1, measure_peak(peak512, 1, reps));
    peakN = std::max(peakN, measure_peak(peak512, nthr_max, reps));
    peak_avx2 = std::max(peak_avx2, measure_peak(false, 1, reps));
  };
  sample_peaks(5);
  if (peak_only) {
    std::printf("FP32 FMA peak (measured): %s %.1f GFLOP/s 1 thread, %.1f GFLOP/s %u threads; avx2 %.1f GFLOP/s 1 thread\n",
                peak512 ? "avx512" : "avx2", peak1, peakN, ncpu, peak_avx2);
    std::printf("PEAK1=%.2f PEAKN=%.2f\n", peak1, peakN);
    return 0;
  }
  struct Row {
    std::string shape, isa;
    int threads;
    double sec, gflops;
    std::string kernel;
  };
  std::vector<Row> rows;
  std::printf("weights: %s; time = %s of repeated calls%s\n",
              packed ? "packed once" : "HWIO (packed per call if Cout is not a block)",
              g_use_min ? "minimum" : "median",
              repeat > 1 ? ", best of the repeated passes" : "");
  for (int pass = 0; pass < repeat; ++pass) {
    std::size_t idx = 0;
    for (const Shape& s : g_shapes) {
      if (!has(shapes, s.name)) continue;
      sample_peaks(2);
      Problem pr = make_problem(s, packed);
      for (const Kernel k : {Kernel::kFwd, Kernel::kDx, Kernel::kDw}) {
        if (!has(kernel_names, kernel_name(k))) continue;
        for (const Impl& impl : kImpls) {
          const char* name = vk::isa_name(impl.isa);
          if (!has(isas, name) || (features & impl.required) != impl.required) continue;
          for (int t : threads) {
            vk::set_num_threads(t);
            const double sec = time_call(pr, impl, k, impl.isa == vk::Isa::scalar ? std::min(min_time, 0.2) : min_time);
            const Row now{s.name, name, t, sec, pr.flops / sec / 1e9, kernel_name(k)};
            if (pass == 0) rows.push_back(now);
            Row& row = rows[idx++];
            if (sec < row.sec) row = now;
            std::fprintf(stderr, "  pass %d %-18s %-3s %-7s %d thr: %.1f GFLOP/s\n", pass, s.name, kernel_name(k), name, t,
                         pr.flops / sec / 1e9);
          }
        }
      }
    }
  }
  std::printf("FP32 FMA peak (measured, best sample): %s %.1f GFLOP/s 1 thread, %.1f GFLOP/s %u threads; avx2 %.1f GFLOP/s 1 thread\n",
              peak512 ? "avx512" : "avx2", peak1, peakN, ncpu, peak_avx2);
  std::printf("%%peak = GFLOP/s / (threads x measured 1-thread peak of the best ISA)\n\n");
  std::printf("%-18s %-4s %-7s %3s %10s %9s %8s\n", "shape", "kern", "isa", "thr", "time_us", "GFLOP/s", "%peak");
  for (const Row& r : rows) {
    // T threads can at most reach T x the 1-core peak (the all-thread sample above is lower
    // whenever a neighbour used a CPU while it ran).
    const double peak = peak1 * std::min<double>(r.threads, ncpu);
    std::printf("%-18s %-4s %-7s %3d %10.1f %9.1f %7.1f%%\n", r.shape.c_str(), r.kernel.c_str(), r.isa.c_str(), r.threads,
                r.sec * 1e6, r.gflops,
                peak > 0 ? 100.0 * r.gflops / peak : 0.0);
  }
  return 0;
}
