// Element types of variables and tensors; the codes match varstore.dtypes on the Python side.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace varstore {

enum class DType : std::uint8_t {
  kFloat16 = 0,
  kFloat32 = 1,
  kFloat64 = 2,
  kInt32 = 3,
  kInt64 = 4,
  kBool = 5,
  kInt8 = 6,
  kUInt8 = 7,
  kInt16 = 8,
  kUInt16 = 9,
  kUInt32 = 10,
  kUInt64 = 11,
  kComplex64 = 12,
  kComplex128 = 13,
};

inline constexpr int kNumDTypes = 14;

std::size_t dtype_size(DType dtype) noexcept;
std::string_view dtype_name(DType dtype) noexcept;
// Throws TypeError for a code outside the enum.
DType dtype_from_code(int code);

}  // namespace varstore
