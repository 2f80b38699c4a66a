// Run-time instruction-set selection for the conv2d kernels (simdjson / XNNPACK style).
//
// Every implementation compiled into the library is listed, in priority order, in
// cpp/src/kernels/kernels.inc (one entry per ISA with its function for every kernel). On first use the active one is chosen: VARSTORE_FORCE_ISA if
// set (an unknown name, or one this build or CPU lacks, is an error - never a silent fallback),
// else the first compiled implementation whose CPU features (cpuid + OS support via xgetbv) are
// present.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "varstore/kernels/conv2d_backprop.hpp"
#include "varstore/kernels/conv2d_relu.hpp"

namespace varstore::kernels {

enum class Isa : std::uint8_t { scalar = 0, avx2 = 1, avx512 = 2 };

// CPU features relevant to the kernels (each already includes the OS-support check).
enum CpuFeature : std::uint32_t {
  kCpuNone = 0,
  kCpuAvx2Fma = 1u << 0,  // AVX2 + FMA, OS saves YMM state
  kCpuAvx512 = 1u << 1,   // AVX-512 F/BW/VL/DQ, OS saves opmask + ZMM state
};

// Features of this CPU, detected once (cpu_features.cpp).
std::uint32_t cpu_features();
// Human-readable CPU brand string ("" when unknown).
std::string cpu_brand();

// "scalar", "avx2", "avx512".
const char* isa_name(Isa isa);
// Parses a name; throws std::invalid_argument for an unknown name.
Isa isa_from_name(const std::string& name);

// Implementations compiled into this build, priority order (best first).
std::vector<Isa> compiled_isas();
// Compiled AND supported by this CPU/OS, priority order.
std::vector<Isa> supported_isas();
// The implementation conv2d_relu() uses now (selects it on first use; throws
// std::invalid_argument if VARSTORE_FORCE_ISA names an unknown or unsupported ISA).
Isa active_isa();
// Forces an implementation; throws std::invalid_argument if the name is unknown, not compiled
// or not supported by this CPU. The previous selection is kept on error.
void force_isa(const std::string& name);
// Drops any forced choice and selects again as on first use (honours VARSTORE_FORCE_ISA).
void reset_isa();

// Kernel of the active implementation / of a given compiled implementation (throws
// std::invalid_argument if `isa` is not compiled in).
Conv2dReluKernelFn active_kernel();
Conv2dReluKernelFn kernel_for(Isa isa);

// Every kernel of one implementation.
struct KernelSet {
  Conv2dReluKernelFn conv2d_relu;
  Conv2dBackpropInputKernelFn conv2d_backprop_input;
  Conv2dBackpropFilterKernelFn conv2d_backprop_filter;
  BiasAddGradKernelFn bias_add_grad;
};
const KernelSet& active_kernels();
const KernelSet& kernels_for(Isa isa);

}  // namespace varstore::kernels
