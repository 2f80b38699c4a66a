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

Dims::Dims(const std::vector<std::int64_t>& dims) : size_(static_cast<std::uint32_t>(dims.size())) {
  std::int64_t* out = inline_;
  if (dims.size() > kInline) {
    heap_ = std::make_unique<std::int64_t[]>(dims.size());
    out = heap_.get();
  }
  std::copy(dims.begin(), dims.end(), out);
}

Dims::Dims(const Dims& other) : size_(other.size_) {
  std::int64_t* out = inline_;
  if (other.heap_) {
    heap_ = std::make_unique<std::int64_t[]>(size_);
    out = heap_.get();
  }
  std::copy(other.begin(), other.end(), out);
}

Dims& Dims::operator=(const Dims& other) {
  if (this != &other) {
    Dims copy(other);
    *this = std::move(copy);
  }
  return *this;
}

bool operator==(const Dims& a, const std::vector<std::int64_t>& b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

}  // namespace varstore
