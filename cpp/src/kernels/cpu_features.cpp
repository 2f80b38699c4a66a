// CPU feature detection for the kernel dispatch: cpuid for the instruction sets plus
// OSXSAVE/xgetbv for the OS saving the register state (YMM for AVX2, opmask + ZMM for AVX-512).
// Detected once, on first use.
#include <cstdint>
#include <cstring>
#include <string>

#include "varstore/kernels/isa.hpp"

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#define VARSTORE_X86 1
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace varstore::kernels {
namespace {

#if defined(VARSTORE_X86)
void cpuid(std::uint32_t leaf, std::uint32_t subleaf, std::uint32_t r[4]) {
#if defined(_MSC_VER) && !defined(__clang__)
  int regs[4];
  __cpuidex(regs, static_cast<int>(leaf), static_cast<int>(subleaf));
  for (int i = 0; i < 4; ++i) r[i] = static_cast<std::uint32_t>(regs[i]);
#else
  unsigned a = 0, b = 0, c = 0, d = 0;
  __cpuid_count(leaf, subleaf, a, b, c, d);
  r[0] = a; r[1] = b; r[2] = c; r[3] = d;
#endif
}

std::uint64_t xgetbv0() {
#if defined(_MSC_VER) && !defined(__clang__)
  return _xgetbv(0);
#else
  std::uint32_t lo = 0, hi = 0;
  // xgetbv with ecx = 0 (XCR0); encoded as bytes so no -mxsave flag is needed.
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
#endif
}

std::uint32_t detect() {
  std::uint32_t r[4];
  cpuid(0, 0, r);
  const std::uint32_t max_leaf = r[0];
  if (max_leaf < 7) return kCpuNone;
  cpuid(1, 0, r);
  const std::uint32_t ecx1 = r[2];
  const bool fma = (ecx1 >> 12) & 1u;
  const bool osxsave = (ecx1 >> 27) & 1u;
  const bool avx = (ecx1 >> 28) & 1u;
  if (!osxsave || !avx) return kCpuNone;
  const std::uint64_t xcr0 = xgetbv0();
  const bool os_ymm = (xcr0 & 0x6u) == 0x6u;             // SSE + AVX state
  const bool os_zmm = (xcr0 & 0xE6u) == 0xE6u;           // + opmask, ZMM_Hi256, Hi16_ZMM
  cpuid(7, 0, r);
  const std::uint32_t ebx7 = r[1];
  const bool avx2 = (ebx7 >> 5) & 1u;
  const bool avx512f = (ebx7 >> 16) & 1u;
  const bool avx512dq = (ebx7 >> 17) & 1u;
  const bool avx512bw = (ebx7 >> 30) & 1u;
  const bool avx512vl = (ebx7 >> 31) & 1u;
  std::uint32_t f = kCpuNone;
  if (avx2 && fma && os_ymm) f |= kCpuAvx2Fma;
  if ((f & kCpuAvx2Fma) && avx512f && avx512dq && avx512bw && avx512vl && os_zmm) f |= kCpuAvx512;
  return f;
}

std::string brand() {
  std::uint32_t r[4];
  cpuid(0x80000000u, 0, r);
  if (r[0] < 0x80000004u) return {};
  char buf[49] = {};
  for (std::uint32_t i = 0; i < 3; ++i) {
    cpuid(0x80000002u + i, 0, r);
    std::memcpy(buf + 16 * i, r, 16);
  }
  std::string s(buf);
  const auto b = s.find_first_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b);
}
#else
std::uint32_t detect() { return kCpuNone; }
std::string brand() { return {}; }
#endif

}  // namespace

std::uint32_t cpu_features() {
  static const std::uint32_t features = detect();  // thread-safe, once
  return features;
}

std::string cpu_brand() {
  static const std::string b = brand();
  return b;
}

}  // namespace varstore::kernels
