// FMA-throughput loop, AVX2 + FMA (this file alone is compiled with AVX2 flags).
#include <immintrin.h>

#include <cstdint>

#include "fma_peak.hpp"

namespace varstore::kernels::avx2 {

double fma_peak_loop(std::int64_t iters) {
  __m256 acc[12];
#pragma GCC unroll 12
  for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(static_cast<float>(i) * 1e-3f);
  const __m256 a = _mm256_set1_ps(0.999999f);
  const __m256 b = _mm256_set1_ps(1e-7f);
  for (std::int64_t it = 0; it < iters; ++it) {
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

}  // namespace varstore::kernels::avx2
