// The machine's measured FP32 FMA peak (for "% of peak" in the CLI and the benchmarks).
#pragma once

namespace varstore::kernels {

// GFLOP/s of the widest FMA loop this CPU supports, on the calling thread (best of a few
// samples of about `seconds` each); 0 when no SIMD loop is compiled or supported.
double measure_peak_gflops(double seconds);

}  // namespace varstore::kernels
