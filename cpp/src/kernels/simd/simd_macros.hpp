// Macros for the per-ISA kernel translation units (no functions: nothing here can be shared
// between ISA flags). Included by each *_avx2.cpp / *_avx512.cpp before the ISA fragments.
#pragma once

#if defined(_MSC_VER) && !defined(__clang__)
#define VARSTORE_ALWAYS_INLINE __forceinline
#define VARSTORE_KEEP_IN_REG(v) ((void)0)
#define VARSTORE_KEEP_PTR_IN_REG(v) ((void)0)
#else
#define VARSTORE_ALWAYS_INLINE inline __attribute__((always_inline))
// Empty asm that "modifies" v: forces v into a register here. After a weight load it stops GCC
// from folding the load into each of the MR FMAs as a memory operand (MR x more loads).
#define VARSTORE_KEEP_IN_REG(v) __asm__("" : "+v"(v))
// Keeps a pointer a bumped pointer (not base + index: on Intel cores an indexed memory operand
// of an FMA with embedded broadcast is "unlaminated" into two uops).
#define VARSTORE_KEEP_PTR_IN_REG(v) __asm__("" : "+r"(v))
#endif

// switch (mr) { case 1..16: f<mr, NR>(args) } for the tile widths this ISA supports.
#define VARSTORE_TILE_CASE(m, maxmr, call) \
  case m:                                  \
    if constexpr ((m) <= (maxmr)) call;    \
    break;
