// Internal: a compact open-addressing hash map from an already-random key (a hash) to a 32-bit
// value, for the dedup indexes. Each slot holds its key and value side by side (no per-entry
// node), linear probing, the table doubles above a load of 0.7. Memory per entry is
// sizeof(Slot) / load, i.e. 23-46 bytes for a 64-bit key (16-byte slots).
//
// Key and value share a slot, not two parallel arrays: on a large corpus every lookup of the near
// index misses the cache, and with two arrays a hit in an occupied slot missed twice (the value,
// then the key); perf put 57 % of NearIndex::offer's samples on those two loads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace decruft::dedup::detail {

struct Hash128 {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  bool operator==(const Hash128&) const = default;
};

inline std::uint64_t slot_bits(std::uint64_t k) { return k; }
inline std::uint64_t slot_bits(const Hash128& k) { return k.lo; }

template <class Key>
class FlatMap {
 public:
  static constexpr std::uint32_t k_empty = 0xffffffffu;

  // The value stored for `key`, or k_empty.
  std::uint32_t find(const Key& key) const {
    if (slots_.empty()) {
      return k_empty;
    }
    for (std::size_t i = slot_bits(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.val == k_empty) {
        return k_empty;
      }
      if (s.key == key) {
        return s.val;
      }
    }
  }

  // Starts loading the slot where a lookup of `key` begins: the near index looks up one key in
  // each of its band tables per document, each a cache miss on a large corpus; prefetching them
  // all first lets the misses overlap.
  void prefetch(const Key& key) const {
    if (slots_.empty()) {
      return;
    }
    __builtin_prefetch(slots_.data() + (slot_bits(key) & mask_));
  }

  // Sets key -> value (value != k_empty); returns the previous value or k_empty.
  std::uint32_t put(const Key& key, std::uint32_t value) {
    if ((size_ + 1) * 10 > slots_.size() * 7) {
      grow();
    }
    std::size_t i = slot_bits(key) & mask_;
    for (; slots_[i].val != k_empty; i = (i + 1) & mask_) {
      if (slots_[i].key == key) {
        std::uint32_t old = slots_[i].val;
        slots_[i].val = value;
        return old;
      }
    }
    slots_[i] = Slot{key, value};
    ++size_;
    return k_empty;
  }

  std::size_t size() const { return size_; }
  std::size_t memory_bytes() const {
    return slots_.capacity() * sizeof(Slot);
  }

 private:
  struct Slot {
    Key key{};
    std::uint32_t val = k_empty;
  };

  void grow() {
    std::size_t capacity = slots_.empty() ? 64 : slots_.size() * 2;
    std::vector<Slot> slots(capacity);
    std::size_t mask = capacity - 1;
    for (const Slot& s : slots_) {
      if (s.val == k_empty) {
        continue;
      }
      std::size_t i = slot_bits(s.key) & mask;
      while (slots[i].val != k_empty) {
        i = (i + 1) & mask;
      }
      slots[i] = s;
    }
    slots_.swap(slots);
    mask_ = mask;
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace decruft::dedup::detail
