// Grow-only, 64-byte aligned scratch buffers for the kernel drivers (baseline code only; never
// included by an ISA translation unit). No MB-sized allocation per call: under KVM the
// mmap/munmap page faults of large per-call buffers cost ~0.5 ms per MB.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>

namespace varstore::kernels::detail {

class ScratchBuffer {
 public:
  float* get(std::size_t floats) {
    if (floats > capacity_) {
      std::size_t cap = std::max<std::size_t>(floats, capacity_ + capacity_ / 2);
      cap = (cap + 15) & ~static_cast<std::size_t>(15);
      data_.reset(static_cast<float*>(::operator new(cap * sizeof(float), std::align_val_t(64))));
      capacity_ = cap;
    }
    return data_.get();
  }

 private:
  struct Free {
    void operator()(float* p) const { ::operator delete(p, std::align_val_t(64)); }
  };
  std::unique_ptr<float, Free> data_;
  std::size_t capacity_ = 0;
};

// Per-thread scratch for the ISA kernels (slot 0) and per-call buffers of the calling thread
// (slots 1..3: packed weights, staged inputs, partial sums). Each slot is grow-only.
inline float* thread_buffer(int slot, std::size_t floats) {
  thread_local ScratchBuffer bufs[4];
  return bufs[slot].get(floats == 0 ? 16 : floats);
}

}  // namespace varstore::kernels::detail
