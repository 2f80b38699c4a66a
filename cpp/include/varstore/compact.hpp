// Compact storage for the store's per-variable data: interned strings (no allocation per
// name) and a small vector of dims (rank <= 4 inline). They keep a variable's footprint in
// the store near 200 bytes instead of ~600 with std::string and std::vector members.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace varstore {

// Append-only character storage: intern() copies a string once and returns a view that stays
// valid for the arena's lifetime (chunks are never moved or freed before it dies).
class StringArena {
 public:
  std::string_view intern(std::string_view s);
  std::size_t bytes_reserved() const noexcept { return reserved_; }

 private:
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cursor_ = nullptr;
  std::size_t left_ = 0;
  std::size_t reserved_ = 0;
};

// The dims of a variable's shape.
class Dims {
 public:
  Dims() = default;
  explicit Dims(const std::vector<std::int64_t>& dims);
  Dims(const Dims& other);
  Dims& operator=(const Dims& other);
  Dims(Dims&&) noexcept = default;
  Dims& operator=(Dims&&) noexcept = default;
  ~Dims() = default;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const std::int64_t* data() const noexcept { return heap_ ? heap_.get() : inline_; }
  const std::int64_t* begin() const noexcept { return data(); }
  const std::int64_t* end() const noexcept { return data() + size_; }
  std::int64_t operator[](std::size_t i) const noexcept { return data()[i]; }
  std::vector<std::int64_t> to_vector() const { return {begin(), end()}; }

  friend bool operator==(const Dims& a, const std::vector<std::int64_t>& b) noexcept;
  friend bool operator==(const std::vector<std::int64_t>& a, const Dims& b) noexcept {
    return b == a;
  }
  friend bool operator!=(const Dims& a, const std::vector<std::int64_t>& b) noexcept {
    return !(a == b);
  }

 private:
  static constexpr std::size_t kInline = 4;
  std::int64_t inline_[kInline] = {};
  std::unique_ptr<std::int64_t[]> heap_;
  std::uint32_t size_ = 0;
};

}  // namespace varstore
