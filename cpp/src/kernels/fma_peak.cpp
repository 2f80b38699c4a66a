// Picks the widest compiled and supported FMA loop and times it (baseline code).
#include "fma_peak.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "varstore/kernels/isa.hpp"
#include "varstore/kernels/peak.hpp"

namespace varstore::kernels {
namespace {

using Loop = double (*)(std::int64_t);

Loop best_loop(double* flops_per_iter) {
  const auto isas = supported_isas();
  for (Isa isa : isas) {
#if defined(VARSTORE_KERNEL_HAVE_AVX512)
    if (isa == Isa::avx512) {
      *flops_per_iter = 24.0 * 16.0 * 2.0;
      return &avx512::fma_peak_loop;
    }
#endif
#if defined(VARSTORE_KERNEL_HAVE_AVX2)
    if (isa == Isa::avx2) {
      *flops_per_iter = 12.0 * 8.0 * 2.0;
      return &avx2::fma_peak_loop;
    }
#endif
    (void)isa;
  }
  return nullptr;
}

}  // namespace

double measure_peak_gflops(double seconds) {
  double flops_per_iter = 0.0;
  const Loop loop = best_loop(&flops_per_iter);
  if (loop == nullptr) return 0.0;
  using Clock = std::chrono::steady_clock;
  std::int64_t iters = 1 << 16;
  volatile double sink = 0.0;
  double best = 0.0;
  for (int sample = 0; sample < 8; ++sample) {
    const auto t0 = Clock::now();
    sink = sink + loop(iters);
    const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
    if (dt > 0) best = std::max(best, flops_per_iter * static_cast<double>(iters) / dt / 1e9);
    if (dt < seconds / 4) iters *= 2;  // grow until one sample lasts about `seconds`
  }
  return best;
}

}  // namespace varstore::kernels
