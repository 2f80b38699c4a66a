// Compact storage for the registry: interned strings and dims (no allocation per variable),
// a string hash and an open-addressing index of ids with 8-byte slots. With them a variable's
// record is 64 bytes and each name index costs ~8-16 bytes per entry.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <cstring>
#include <string_view>
#include <vector>

namespace varstore {

// A fast 64-bit string hash (8 bytes per multiply; wyhash-style mixing). Names are short
// and looked up once per get_variable / scope entry: this is on every hot path.
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 HashWide;
inline std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b) noexcept {
  const HashWide r = static_cast<HashWide>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
#else
inline std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b) noexcept {
  std::uint64_t x = (a ^ (a >> 32)) * b;
  return x ^ (x >> 29);
}
#endif

inline std::uint64_t hash_load64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);  // (a fixed size: one unaligned load)
  return w;
}

inline std::uint64_t hash_load32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

inline std::uint64_t hash_bytes(const char* p, std::size_t n,
                                std::uint64_t seed = 0x9E3779B97F4A7C15ull) noexcept {
  constexpr std::uint64_t k1 = 0xa0761d6478bd642full, k2 = 0xe7037ed1a0b428dbull;
  std::uint64_t h = seed ^ (n * k1);
  std::uint64_t tail = 0;
  if (n > 8) {
    const char* last = p + n - 8;
    for (; p < last; p += 8) h = hash_mix(h ^ hash_load64(p), k2);
    tail = hash_load64(last);  // the last 8 bytes (overlapping the loop's last word)
  } else if (n >= 4) {
    tail = (hash_load32(p) << 32) | hash_load32(p + n - 4);
  } else if (n > 0) {
    tail = (std::uint64_t{static_cast<unsigned char>(p[0])} << 16) |
           (std::uint64_t{static_cast<unsigned char>(p[n >> 1])} << 8) |
           static_cast<unsigned char>(p[n - 1]);
  }
  return hash_mix(h ^ tail, k1);
}

inline std::uint64_t hash_view(std::string_view s) noexcept { return hash_bytes(s.data(), s.size()); }

// An open-addressing index of 32-bit ids whose keys live elsewhere: a slot is 8 bytes
// (the low 32 bits of the hash and the id), the key is compared through the caller's
// `matches(id)` only when the stored hash bits agree. Linear probing, load <= 3/4, and
// backward-shift deletion (no tombstones), so lookups stay short as the index grows to
// millions of names. Not thread-safe (the store's callers hold the GIL).
class FlatIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  std::size_t size() const noexcept { return size_; }
  std::size_t bytes() const noexcept { return slots_.capacity() * sizeof(Slot); }

  template <typename Matches>
  std::uint32_t find(std::uint64_t hash, Matches&& matches) const {
    if (slots_.empty()) return kNone;
    const auto tag = static_cast<std::uint32_t>(hash);
    for (std::size_t i = tag & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.id == kNone) return kNone;
      if (s.tag == tag && matches(s.id)) return s.id;
    }
  }

  // Starts loading the slot where a lookup of hash begins (the index of a million names does
  // not fit in cache: two lookups whose lines load side by side cost about one miss).
  void prefetch(std::uint64_t hash) const noexcept {
#if defined(__GNUC__)
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<std::uint32_t>(hash) & mask_]);
#else
    (void)hash;
#endif
  }

  // Adds id under hash (the caller knows its key is not in the index yet).
  void insert(std::uint64_t hash, std::uint32_t id) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    place(static_cast<std::uint32_t>(hash), id);
    ++size_;
  }

  // Removes id (found under hash); returns whether it was there.
  bool erase(std::uint64_t hash, std::uint32_t id) noexcept {
    if (slots_.empty()) return false;
    std::size_t i = static_cast<std::uint32_t>(hash) & mask_;
    while (true) {
      if (slots_[i].id == kNone) return false;
      if (slots_[i].id == id) break;
      i = (i + 1) & mask_;
    }
    // Backward-shift deletion: move later members of the probe run into the hole.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      const Slot s = slots_[j];
      if (s.id == kNone) break;
      const std::size_t home = s.tag & mask_;
      // s may move to the hole if its home is not in (hole, j] (cyclically).
      const bool between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!between) {
        slots_[hole] = s;
        hole = j;
      }
    }
    slots_[hole] = Slot{};
    --size_;
    return true;
  }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // the hash's low 32 bits: the home slot and a key filter
    std::uint32_t id = kNone;
  };

  void place(std::uint32_t tag, std::uint32_t id) noexcept {
    std::size_t i = tag & mask_;
    while (slots_[i].id != kNone) i = (i + 1) & mask_;
    slots_[i] = Slot{tag, id};
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    const std::size_t cap = old.empty() ? 16 : old.size() * 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const Slot& s : old) {
      if (s.id != kNone) place(s.tag, s.id);
    }
  }

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

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

// The dims of a variable's shape: a view of dims kept in the store's DimsArena.
class DimsView {
 public:
  DimsView() = default;
  DimsView(const std::int64_t* p, std::size_t n) noexcept
      : p_(p), n_(static_cast<std::uint32_t>(n)) {}

  std::size_t size() const noexcept { return n_; }
  bool empty() const noexcept { return n_ == 0; }
  const std::int64_t* data() const noexcept { return p_; }
  const std::int64_t* begin() const noexcept { return p_; }
  const std::int64_t* end() const noexcept { return p_ + n_; }
  std::int64_t operator[](std::size_t i) const noexcept { return p_[i]; }
  std::vector<std::int64_t> to_vector() const { return {begin(), end()}; }

  friend bool operator==(const DimsView& a, const std::vector<std::int64_t>& b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator==(const std::vector<std::int64_t>& a, const DimsView& b) noexcept {
    return b == a;
  }
  friend bool operator!=(const DimsView& a, const std::vector<std::int64_t>& b) noexcept {
    return !(a == b);
  }

 private:
  const std::int64_t* p_ = nullptr;
  std::uint32_t n_ = 0;
};

// Append-only storage of dims (8 bytes per dim, no allocation per variable).
class DimsArena {
 public:
  const std::int64_t* intern(const std::int64_t* dims, std::size_t n);

 private:
  static constexpr std::size_t kChunk = 4096;  // dims per chunk
  std::vector<std::unique_ptr<std::int64_t[]>> chunks_;
  std::int64_t* cursor_ = nullptr;
  std::size_t left_ = 0;
};

}  // namespace varstore
