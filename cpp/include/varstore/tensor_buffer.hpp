// Aligned tensor memory. Small buffers come from a bump arena owned by the store
// (a variable of shape [4] costs 16 bytes, not a malloc chunk); large ones are separate
// aligned allocations. All memory is zero-filled and lives as long as its owner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace varstore {

inline constexpr std::size_t kBufferAlignment = 64;

// The alignment of a buffer of nbytes from BufferArena / the store: 64 bytes, except that
// buffers of up to 16 or 32 bytes are aligned to 16 or 32 (they still never straddle a cache
// line, and a variable of shape [4] takes 16 bytes instead of 64).
constexpr std::size_t buffer_alignment(std::size_t nbytes) noexcept {
  return nbytes <= 16 ? 16 : (nbytes <= 32 ? 32 : kBufferAlignment);
}

class BufferArena {
 public:
  BufferArena() = default;
  BufferArena(const BufferArena&) = delete;
  BufferArena& operator=(const BufferArena&) = delete;
  ~BufferArena();

  // Returns zeroed memory of at least nbytes (nbytes may be 0), 64-byte aligned, or for
  // nbytes <= 32 aligned to 16 or 32 (a small buffer never straddles a cache line).
  // Throws std::bad_alloc when the memory cannot be had.
  void* allocate(std::size_t nbytes);
  // Frees memory obtained from allocate(); arena memory is reclaimed only if it was the
  // most recent arena allocation (a rolled-back create), otherwise at destruction.
  void release(void* ptr, std::size_t nbytes) noexcept;

  std::size_t bytes_reserved() const noexcept { return reserved_; }

 private:
  static constexpr std::size_t kChunkBytes = 64 * 1024;
  static constexpr std::size_t kSmallLimit = 1024;

  std::vector<void*> chunks_;
  char* cursor_ = nullptr;
  char* chunk_end_ = nullptr;
  char* last_alloc_ = nullptr;
  std::size_t reserved_ = 0;
};

void* aligned_alloc_zeroed(std::size_t nbytes);
void aligned_free(void* ptr) noexcept;

}  // namespace varstore
