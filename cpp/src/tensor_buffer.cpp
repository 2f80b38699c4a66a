#include "varstore/tensor_buffer.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace varstore {

void* aligned_alloc_zeroed(std::size_t nbytes) {
  std::size_t rounded = (nbytes + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
  if (rounded < nbytes) throw std::bad_alloc();  // overflow
  if (rounded == 0) rounded = kBufferAlignment;
  void* ptr = nullptr;
  if (posix_memalign(&ptr, kBufferAlignment, rounded) != 0 || ptr == nullptr) {
    throw std::bad_alloc();
  }
  std::memset(ptr, 0, rounded);
  return ptr;
}

void aligned_free(void* ptr) noexcept { std::free(ptr); }

BufferArena::~BufferArena() {
  for (void* chunk : chunks_) aligned_free(chunk);
}

void* BufferArena::allocate(std::size_t nbytes) {
  if (nbytes > kSmallLimit) {
    void* ptr = aligned_alloc_zeroed(nbytes);
    reserved_ += nbytes;
    return ptr;
  }
  // Small buffers are naturally aligned to their size class (16 or 32 bytes), so none of
  // them straddles a cache line; 33 bytes and up are 64-byte aligned.
  const std::size_t align = buffer_alignment(nbytes);
  const std::size_t rounded = nbytes <= 32 ? align : (nbytes + align - 1) / align * align;
  std::size_t pad = static_cast<std::size_t>(-reinterpret_cast<std::uintptr_t>(cursor_)) &
                    (align - 1);
  if (cursor_ == nullptr || static_cast<std::size_t>(chunk_end_ - cursor_) < pad + rounded) {
    if (chunks_.size() == chunks_.capacity()) chunks_.reserve(chunks_.capacity() * 2 + 8);
    char* chunk = static_cast<char*>(aligned_alloc_zeroed(kChunkBytes));
    chunks_.push_back(chunk);
    cursor_ = chunk;
    chunk_end_ = chunk + kChunkBytes;
    reserved_ += kChunkBytes;
    pad = 0;
  }
  cursor_ += pad;
  last_alloc_ = cursor_;
  cursor_ += rounded;
  return last_alloc_;
}

void BufferArena::release(void* ptr, std::size_t nbytes) noexcept {
  if (ptr == nullptr) return;
  if (nbytes > kSmallLimit) {
    aligned_free(ptr);
    reserved_ -= nbytes;
    return;
  }
  if (ptr == last_alloc_) {
    const std::size_t used = static_cast<std::size_t>(cursor_ - last_alloc_);
    std::memset(last_alloc_, 0, used);
    cursor_ = last_alloc_;
    last_alloc_ = nullptr;
  }
}

}  // namespace varstore
