// Declarations of the per-ISA kernels listed in kernels.inc (private to the kernels, the native
// test and the native benchmark). Plain C-like functions, one per kernel per ISA file.
#pragma once

#include <cstdint>

#include "varstore/kernels/conv2d_backprop.hpp"
#include "varstore/kernels/conv2d_relu.hpp"

#define VARSTORE_DECLARE_KERNELS(isa)                                                          \
  namespace isa {                                                                              \
  void conv2d_relu_nhwc_f32__##isa(const Conv2dReluParams* p, std::int64_t task_begin,        \
                                   std::int64_t task_end, float* scratch);                    \
  void conv2d_backprop_input_nhwc_f32__##isa(const Conv2dBackpropInputParams* p,               \
                                             std::int64_t task_begin, std::int64_t task_end,   \
                                             float* scratch);                                  \
  void conv2d_backprop_filter_nhwc_f32__##isa(const Conv2dBackpropFilterParams* p,             \
                                              std::int64_t task_begin, std::int64_t task_end,  \
                                              float* scratch);                                 \
  void bias_add_grad_nc_f32__##isa(const BiasAddGradParams* p, std::int64_t task_begin,        \
                                   std::int64_t task_end, float* scratch);                    \
  }

namespace varstore::kernels {
VARSTORE_DECLARE_KERNELS(scalar)
VARSTORE_DECLARE_KERNELS(avx2)
VARSTORE_DECLARE_KERNELS(avx512)
}  // namespace varstore::kernels

#undef VARSTORE_DECLARE_KERNELS
