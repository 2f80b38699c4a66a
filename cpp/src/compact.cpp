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

const std::int64_t* DimsArena::intern(const std::int64_t* dims, std::size_t n) {
  if (n == 0) return nullptr;
  if (n > left_) {
    const std::size_t size = std::max(kChunk, n);
    chunks_.reserve(chunks_.size() + 1 > chunks_.capacity() ? chunks_.capacity() * 2 + 8
                                                            : chunks_.capacity());
    chunks_.push_back(std::make_unique<std::int64_t[]>(size));
    cursor_ = chunks_.back().get();
    left_ = size;
  }
  std::int64_t* out = cursor_;
  std::copy(dims, dims + n, out);
  cursor_ += n;
  left_ -= n;
  return out;
}

}  // namespace varstore
