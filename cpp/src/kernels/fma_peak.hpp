// FP32 FMA-throughput loops: the machine's measured peak, for `python -m varstore bench` and
// the benchmarks' "% of peak". One plain function per ISA file (no STL, no shared inlines).
#pragma once

#include <cstdint>

namespace varstore::kernels {

namespace avx512 {
// Runs `iters` steps of 24 independent 16-wide FMA chains; returns a value to keep it alive.
double fma_peak_loop(std::int64_t iters);
}  // namespace avx512

namespace avx2 {
// Runs `iters` steps of 12 independent 8-wide FMA chains.
double fma_peak_loop(std::int64_t iters);
}  // namespace avx2

}  // namespace varstore::kernels
