// TF's Philox-4x32-10 blocks and the normal / truncated-normal samplers its CPU kernels draw
// from them (tensorflow/core/kernels/random_op_cpu.h over xla/tsl/lib/random/
// random_distributions.h), bit for bit. Plain scalar C++ for the baseline ISA: the values
// depend only on the C library's logf / sinf / cosf / log / sincos and on IEEE rounding, so
// they must not be vectorised or contracted into FMAs differently from TF's kernel.
#pragma once

#include <cstdint>

namespace varstore::kernels {

// A generator position: the 64-bit key (word 0 low) and the 128-bit counter (words 0-1 in
// counter_lo, 2-3 in counter_hi), as PhiloxRandom holds them.
struct PhiloxState {
  std::uint64_t key;
  std::uint64_t counter_lo;
  std::uint64_t counter_hi;
};

// out[4 * i .. 4 * i + 3] = the block at counter + offsets[i] (a 128-bit add).
void philox_blocks(const PhiloxState& s, const std::uint64_t* offsets, std::int64_t n,
                   std::uint32_t* out);

// RandomStandardNormal's n values from the block at the counter on: group g (4 floats, from
// the Box-Muller pairs of words (0, 1) and (2, 3); or 2 doubles from words 0-3) is the block at
// counter + g. The float path also serves half (TF converts the float values).
void philox_normal_f32(const PhiloxState& s, std::int64_t n, float* out);
void philox_normal_f64(const PhiloxState& s, std::int64_t n, double* out);

// TruncatedNormal's n values: group g reads blocks from counter + g * 256 (float, 4 values a
// group) or counter + g * 128 (double, 2 a group) on, keeping the Box-Muller values with
// |x| < 2 in order.
void philox_truncated_normal_f32(const PhiloxState& s, std::int64_t n, float* out);
void philox_truncated_normal_f64(const PhiloxState& s, std::int64_t n, double* out);

}  // namespace varstore::kernels
