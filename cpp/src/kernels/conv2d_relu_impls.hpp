// Declarations of the per-ISA kernels listed in conv2d_relu.inc (private to the kernels,
// the native test and the native benchmark). Plain C-like functions, one per ISA file.
#pragma once

#include <cstdint>

#include "varstore/kernels/conv2d_relu.hpp"

namespace varstore::kernels {
namespace scalar {
void conv2d_relu_nhwc_f32__scalar(const Conv2dReluParams* p, std::int64_t task_begin,
                                  std::int64_t task_end, float* scratch);
}
namespace avx2 {
void conv2d_relu_nhwc_f32__avx2(const Conv2dReluParams* p, std::int64_t task_begin,
                                std::int64_t task_end, float* scratch);
}
namespace avx512 {
void conv2d_relu_nhwc_f32__avx512(const Conv2dReluParams* p, std::int64_t task_begin,
                                  std::int64_t task_end, float* scratch);
}
}  // namespace varstore::kernels
