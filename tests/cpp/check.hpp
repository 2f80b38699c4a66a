// Assertions shared by the self-contained native tests (no test framework is needed here).
// A failed CHECK prints where and why and throws; each test's run_case() counts it as failed.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

#define CHECK(cond, ...)                                               \
  do {                                                                 \
    if (!(cond)) {                                                     \
      std::printf("  CHECK failed at line %d: %s: ", __LINE__, #cond); \
      std::printf(__VA_ARGS__);                                        \
      std::printf("\n");                                               \
      throw std::runtime_error("check failed");                        \
    }                                                                  \
  } while (0)

#define CHECK_EQ_STR(a, b)                                                     \
  do {                                                                         \
    const std::string _a(a), _b(b);                                            \
    CHECK(_a == _b, "\n    got  '%s'\n    want '%s'", _a.c_str(), _b.c_str()); \
  } while (0)
