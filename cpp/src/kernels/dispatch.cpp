// Run-time selection of the kernel implementation (one ISA for every kernel).
//
// The table comes from kernels.inc (priority order). The active entry lives in an atomic
// pointer; it is chosen on first use: VARSTORE_FORCE_ISA when set (unknown / not compiled /
// not supported by the CPU -> std::invalid_argument, every time, never a silent fallback), else
// the first entry whose required CPU features are all present.
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernel_impls.hpp"
#include "varstore/kernels/isa.hpp"

namespace varstore::kernels {
namespace {

struct Impl {
  Isa isa;
  std::uint32_t required;
  KernelSet fns;
};

constexpr Impl kImpls[] = {
#define VARSTORE_KERNEL_IMPL(isa_, required_, fwd_, dx_, dw_, db_) {Isa::isa_, (required_), {&fwd_, &dx_, &dw_, &db_}},
#include "kernels.inc"
#undef VARSTORE_KERNEL_IMPL
};

constexpr const char* kAllNames[] = {"scalar", "avx2", "avx512"};

std::atomic<const Impl*> g_active{nullptr};
std::mutex g_mutex;

bool cpu_has(const Impl& impl) { return (cpu_features() & impl.required) == impl.required; }

std::string join(const std::vector<Isa>& isas) {
  std::string s;
  for (const Isa i : isas) {
    if (!s.empty()) s += ", ";
    s += isa_name(i);
  }
  return s.empty() ? std::string("none") : s;
}

// Finds a usable implementation by name or throws std::invalid_argument (`what` prefixes the
// message, e.g. "force_isa" or "VARSTORE_FORCE_ISA").
const Impl* lookup(const std::string& name, const char* what) {
  bool known = false;
  for (const char* n : kAllNames) known = known || name == n;
  if (!known) {
    throw std::invalid_argument(std::string(what) + ": unknown ISA '" + name +
                                "' (expected one of: scalar, avx2, avx512)");
  }
  for (const Impl& impl : kImpls) {
    if (name != isa_name(impl.isa)) continue;
    if (!cpu_has(impl)) {
      throw std::invalid_argument(std::string(what) + ": ISA '" + name +
                                  "' is not supported by this CPU (supported: " +
                                  join(supported_isas()) + ")");
    }
    return &impl;
  }
  throw std::invalid_argument(std::string(what) + ": ISA '" + name +
                              "' is not compiled into this build (compiled: " +
                              join(compiled_isas()) + ")");
}

const Impl* select_default() {
  const char* env = std::getenv("VARSTORE_FORCE_ISA");
  if (env != nullptr && *env != '\0') return lookup(env, "VARSTORE_FORCE_ISA");
  for (const Impl& impl : kImpls) {
    if (cpu_has(impl)) return &impl;
  }
  throw std::logic_error("varstore: no usable conv2d implementation (scalar missing?)");
}

const Impl* active_impl() {
  const Impl* impl = g_active.load(std::memory_order_acquire);
  if (impl != nullptr) return impl;
  std::lock_guard<std::mutex> lock(g_mutex);
  impl = g_active.load(std::memory_order_relaxed);
  if (impl == nullptr) {
    impl = select_default();  // throws on a bad VARSTORE_FORCE_ISA; stays unselected then
    g_active.store(impl, std::memory_order_release);
  }
  return impl;
}

}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::scalar: return "scalar";
    case Isa::avx2: return "avx2";
    case Isa::avx512: return "avx512";
  }
  return "unknown";
}

Isa isa_from_name(const std::string& name) {
  if (name == "scalar") return Isa::scalar;
  if (name == "avx2") return Isa::avx2;
  if (name == "avx512") return Isa::avx512;
  throw std::invalid_argument("unknown ISA '" + name + "' (expected one of: scalar, avx2, avx512)");
}

std::vector<Isa> compiled_isas() {
  std::vector<Isa> v;
  for (const Impl& impl : kImpls) v.push_back(impl.isa);
  return v;
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> v;
  for (const Impl& impl : kImpls) {
    if (cpu_has(impl)) v.push_back(impl.isa);
  }
  return v;
}

Isa active_isa() { return active_impl()->isa; }

Conv2dReluKernelFn active_kernel() { return active_impl()->fns.conv2d_relu; }

Conv2dReluKernelFn kernel_for(Isa isa) { return kernels_for(isa).conv2d_relu; }

const KernelSet& active_kernels() { return active_impl()->fns; }

const KernelSet& kernels_for(Isa isa) {
  for (const Impl& impl : kImpls) {
    if (impl.isa == isa) return impl.fns;
  }
  throw std::invalid_argument(std::string("ISA '") + isa_name(isa) +
                              "' is not compiled into this build");
}

void force_isa(const std::string& name) {
  const Impl* impl = lookup(name, "force_isa");
  std::lock_guard<std::mutex> lock(g_mutex);
  g_active.store(impl, std::memory_order_release);
}

void reset_isa() {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_active.store(nullptr, std::memory_order_release);  // re-selected lazily on next use
}

}  // namespace varstore::kernels
