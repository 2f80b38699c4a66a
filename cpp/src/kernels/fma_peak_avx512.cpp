// FMA-throughput loop, AVX-512 (this file alone is compiled with AVX-512 flags).
#include <immintrin.h>

#include <cstdint>

#include "fma_peak.hpp"

namespace varstore::kernels::avx512 {

double fma_peak_loop(std::int64_t iters) {
  __m512 acc[24];
#pragma GCC unroll 24
  for (int i = 0; i < 24; ++i) acc[i] = _mm512_set1_ps(static_cast<float>(i) * 1e-3f);
  const __m512 a = _mm512_set1_ps(0.999999f);
  const __m512 b = _mm512_set1_ps(1e-7f);
  for (std::int64_t it = 0; it < iters; ++it) {
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i) {
      acc[i] = _mm512_fmadd_ps(acc[i], a, b);
      __asm__("" : "+v"(acc[i]));  // every chain stays in a register
      // (all three loops fully unrolled, so that acc[] is registers, not stack)
    }
  }
  __m512 s = acc[0];
#pragma GCC unroll 24
  for (int i = 1; i < 24; ++i) s = _mm512_add_ps(s, acc[i]);
  float out[16];
  _mm512_storeu_ps(out, s);
  return static_cast<double>(out[0]) + static_cast<double>(out[15]);
}

}  // namespace varstore::kernels::avx512
