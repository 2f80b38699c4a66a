// forward conv2d + bias + activation, AVX-512 (F/BW/VL/DQ) implementation: the shared body conv2d_relu_simd.inc compiled with this file's
// ISA flags (kernels.cmake) over vec_avx512.inc; only called after dispatch checked cpuid + xgetbv.
//
// ISA-file hygiene (STYLE.md 4): only <immintrin.h>, <cstddef>, <cstdint> and the plain params
// headers; the ISA fragments are included inside this file's anonymous namespace (no inline
// helper is shared with baseline code or another ISA); one exported C-like function.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "varstore/kernels/conv2d_relu.hpp"
#include "simd/simd_macros.hpp"

namespace varstore::kernels::avx512 {
namespace {
#include "simd/vec_avx512.inc"
#include "simd/simd_common.inc"
#include "simd/igemm_simd.inc"
#include "simd/conv2d_relu_simd.inc"
}  // namespace

void conv2d_relu_nhwc_f32__avx512(const Conv2dReluParams* p, std::int64_t task_begin, std::int64_t task_end,
                                  float* scratch) {
  conv2d_relu_tasks(*p, task_begin, task_end, scratch);
}

}  // namespace varstore::kernels::avx512
