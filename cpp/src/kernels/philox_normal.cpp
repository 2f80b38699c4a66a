// TF's Philox blocks and its normal / truncated-normal samplers (see philox.hpp). Compiled for
// the baseline with -ffp-contract=off (kernels.cmake): TF's Box-Muller has no a*b+c to fuse
// today, but an FMA-baseline target (aarch64) must not fuse anything TF's x86 build rounds
// twice. The groups are independent (each starts at its own counter), so splitting them over
// threads gives the same values at any thread count, as TF's own sharding does.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "thread_pool.hpp"
#include "varstore/kernels/conv2d_relu.hpp"
#include "varstore/kernels/philox.hpp"

namespace varstore::kernels {
namespace {

using u32 = std::uint32_t;
using u64 = std::uint64_t;
using i64 = std::int64_t;

// Written out rather than M_PI, which strict -std=c++17 need not define (TF's own fallback).
constexpr double kPi = 3.14159265358979323846;
constexpr i64 kSkipPerFloatGroup = 256;   // kGeneratorSkipPerOutputGroup: 4 outputs * 256 / 4
constexpr i64 kSkipPerDoubleGroup = 128;  // 2 outputs * 256 / 4
constexpr i64 kGroupsPerTask = 8192;

struct Counter {
  u64 lo;
  u64 hi;
  void add(u64 n) {
    const u64 old = lo;
    lo += n;
    if (lo < old) ++hi;
  }
};

// Philox-4x32-10 of one counter (philox_random.h: ten rounds, the key bumped between rounds).
void philox_block(const Counter& c, u64 key, u32 out[4]) {
  u32 c0 = static_cast<u32>(c.lo), c1 = static_cast<u32>(c.lo >> 32);
  u32 c2 = static_cast<u32>(c.hi), c3 = static_cast<u32>(c.hi >> 32);
  u32 k0 = static_cast<u32>(key), k1 = static_cast<u32>(key >> 32);
  for (int r = 0; r < 10; ++r) {
    const u64 p0 = u64{0xD2511F53u} * c0;
    const u64 p1 = u64{0xCD9E8D57u} * c2;
    const u32 n0 = static_cast<u32>(p1 >> 32) ^ c1 ^ k0;
    const u32 n2 = static_cast<u32>(p0 >> 32) ^ c3 ^ k1;
    c1 = static_cast<u32>(p1);
    c3 = static_cast<u32>(p0);
    c0 = n0;
    c2 = n2;
    k0 += 0x9E3779B9u;
    k1 += 0xBB67AE85u;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

// Uint32ToFloat: the 23 low bits as the mantissa of a float in [1, 2), less 1.
float uint32_to_float(u32 x) {
  const u32 bits = (u32{127} << 23) | (x & 0x7FFFFFu);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f - 1.0f;
}

// Uint64ToDouble: 20 bits of x0 and all of x1 as the mantissa of a double in [1, 2), less 1.
double uint64_to_double(u32 x0, u32 x1) {
  const u64 bits = (u64{1023} << 52) | (u64{x0 & 0xFFFFFu} << 32) | x1;
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d - 1.0;
}

// BoxMullerFloat, with TF's types: v1 is a double product (2.0f * M_PI promotes) rounded to
// float; the logarithm and sine / cosine are the C library's float functions.
void box_muller_float(u32 x0, u32 x1, float* f0, float* f1) {
  float u1 = uint32_to_float(x0);
  if (u1 < 1.0e-7f) u1 = 1.0e-7f;
  const auto v1 = static_cast<float>(2.0 * kPi * static_cast<double>(uint32_to_float(x1)));
  const float u2 = std::sqrt(-2.0f * std::log(u1));
#if defined(__linux__) && defined(__GLIBC__)
  ::sincosf(v1, f0, f1);  // TF's Linux build calls sincosf
#else
  *f0 = std::sin(v1);
  *f1 = std::cos(v1);
#endif
  *f0 *= u2;
  *f1 *= u2;
}

void box_muller_double(u32 x0, u32 x1, u32 x2, u32 x3, double* d0, double* d1) {
  double u1 = uint64_to_double(x0, x1);
  if (u1 < 1.0e-7) u1 = 1.0e-7;
  const double v1 = 2 * kPi * uint64_to_double(x2, x3);
  const double u2 = std::sqrt(-2.0 * std::log(u1));
#if defined(__linux__) && defined(__GLIBC__)
  ::sincos(v1, d0, d1);
#else
  *d0 = std::sin(v1);
  *d1 = std::cos(v1);
#endif
  *d0 *= u2;
  *d1 *= u2;
}

// The values of one output group from one block: 4 floats or 2 doubles.
void normal_group(const u32 w[4], float* out) {
  box_muller_float(w[0], w[1], &out[0], &out[1]);
  box_muller_float(w[2], w[3], &out[2], &out[3]);
}
void normal_group(const u32 w[4], double* out) { box_muller_double(w[0], w[1], w[2], w[3], &out[0], &out[1]); }

// TruncatedNormalDistribution: Box-Muller pairs from consecutive blocks (a SingleSampleAdapter:
// 2 words a float pair, 4 a double pair), each value kept if |x| < 2, until `Per` are kept.
template <typename T, int Per>
void truncated_group(Counter c, u64 key, T* out) {
  int filled = 0;
  for (;;) {
    u32 w[4];
    philox_block(c, key, w);
    c.add(1);
    T v[4];
    normal_group(w, v);
    for (int j = 0; j < Per; ++j) {
      if (std::fabs(v[j]) < T(2)) {
        out[filled++] = v[j];
        if (filled == Per) return;
      }
    }
  }
}

enum class Kind { kBlocks, kNormal, kTruncated };

template <typename T>
struct Job {
  Kind kind;
  PhiloxState s;
  i64 n;      // outputs (kBlocks: blocks)
  i64 units;  // groups (kBlocks: blocks)
  T* out;
  const u64* offsets;  // kBlocks only
};

template <typename T>
void run_groups(const Job<T>& j, i64 g_begin, i64 g_end) {
  constexpr int per = sizeof(T) == 4 ? 4 : 2;
  constexpr u64 skip = per == 4 ? kSkipPerFloatGroup : kSkipPerDoubleGroup;
  const Counter start{j.s.counter_lo, j.s.counter_hi};
  for (i64 g = g_begin; g < g_end; ++g) {
    T v[per];
    const i64 at = g * per;
    T* dst = at + per <= j.n ? j.out + at : v;  // the last group may be partial
    Counter c = start;
    if (j.kind == Kind::kNormal) {
      c.add(static_cast<u64>(g));
      u32 w[4];
      philox_block(c, j.s.key, w);
      normal_group(w, dst);
    } else {
      c.add(static_cast<u64>(g) * skip);
      truncated_group<T, per>(c, j.s.key, dst);
    }
    if (dst == v) {
      for (i64 k = 0; at + k < j.n; ++k) j.out[at + k] = v[k];
    }
  }
}

void run_blocks(const Job<u32>& j, i64 b_begin, i64 b_end) {
  const Counter start{j.s.counter_lo, j.s.counter_hi};
  for (i64 b = b_begin; b < b_end; ++b) {
    Counter c = start;
    c.add(j.offsets[b]);
    philox_block(c, j.s.key, j.out + 4 * b);
  }
}

template <typename T>
void run_task(void* ctx, i64 t_begin, i64 t_end) {
  const auto& j = *static_cast<const Job<T>*>(ctx);
  const i64 begin = t_begin * kGroupsPerTask;
  const i64 end = t_end * kGroupsPerTask < j.units ? t_end * kGroupsPerTask : j.units;
  if constexpr (std::is_same_v<T, u32>) {
    run_blocks(j, begin, end);
  } else {
    run_groups(j, begin, end);
  }
}

template <typename T>
void run(Job<T> job) {
  const i64 ntasks = (job.units + kGroupsPerTask - 1) / kGroupsPerTask;
  if (ntasks <= 1 || get_num_threads() <= 1) {
    run_task<T>(&job, 0, ntasks);
  } else {
    detail::parallel_for(ntasks, &run_task<T>, &job);
  }
}

}  // namespace

void philox_blocks(const PhiloxState& s, const std::uint64_t* offsets, std::int64_t n, std::uint32_t* out) {
  run(Job<u32>{Kind::kBlocks, s, n, n, out, offsets});
}

void philox_normal_f32(const PhiloxState& s, std::int64_t n, float* out) {
  run(Job<float>{Kind::kNormal, s, n, (n + 3) / 4, out, nullptr});
}

void philox_normal_f64(const PhiloxState& s, std::int64_t n, double* out) {
  run(Job<double>{Kind::kNormal, s, n, (n + 1) / 2, out, nullptr});
}

void philox_truncated_normal_f32(const PhiloxState& s, std::int64_t n, float* out) {
  run(Job<float>{Kind::kTruncated, s, n, (n + 3) / 4, out, nullptr});
}

void philox_truncated_normal_f64(const PhiloxState& s, std::int64_t n, double* out) {
  run(Job<double>{Kind::kTruncated, s, n, (n + 1) / 2, out, nullptr});
}

}  // namespace varstore::kernels
