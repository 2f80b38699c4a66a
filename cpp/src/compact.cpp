#include "varstore/compact.hpp"

#include <algorithm>
#include <cstring>

namespace varstore {

std::string_view StringArena::intern(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > left_) {
    const std::size_t size = std::max(kChunkBytes, s.size());
    chunks_.reserve(chunks_.size() + 1 > chunks_.capacity() ? chunks_.capacity() * 2 + 8
                                                            : chunks_.capacity());
    chunks_.push_back(std::make_unique<char[]>(size));
    reserved_ += size;
    cursor_ = chunks_.back().get();
    left_ = size;
  }
  char* out = cursor_;
  std::memcpy(out, s.data(), s.size());
  cursor_ += s.size();
  left_ -= s.size();
  return {out, s.size()};
}

void Dims::assign(const std::int64_t* dims, std::size_t n) {
  std::int64_t* out = inline_;
  if (n > kInline) {
    heap_ = new std::int64_t[n];
    out = heap_;
  }
  size_ = static_cast<std::uint32_t>(n);
  std::copy(dims, dims + n, out);
}

Dims::Dims(const std::vector<std::int64_t>& dims) : size_(0) { assign(dims.data(), dims.size()); }

Dims::Dims(const Dims& other) : size_(0) { assign(other.data(), other.size()); }

Dims& Dims::operator=(const Dims& other) {
  if (this != &other) {
    Dims copy(other);
    *this = std::move(copy);
  }
  return *this;
}

Dims::Dims(Dims&& other) noexcept : size_(other.size_) {
  if (size_ > kInline) {
    heap_ = other.heap_;
  } else {
    std::copy(other.inline_, other.inline_ + size_, inline_);
  }
  other.size_ = 0;
}

Dims& Dims::operator=(Dims&& other) noexcept {
  if (this != &other) {
    release();
    size_ = other.size_;
    if (size_ > kInline) {
      heap_ = other.heap_;
    } else {
      std::copy(other.inline_, other.inline_ + size_, inline_);
    }
    other.size_ = 0;
  }
  return *this;
}

bool operator==(const Dims& a, const std::vector<std::int64_t>& b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace varstore
