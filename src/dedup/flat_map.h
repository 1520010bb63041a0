// Internal: a compact open-addressing hash map from an already-random key (a hash) to a 32-bit
// value, for the dedup indexes. Keys and values live in two flat arrays (no per-entry node, no
// padding), linear probing, the table doubles above a load of 0.7. Memory per entry is
// (sizeof(Key) + 4) / load, i.e. 17-34 bytes for a 64-bit key.
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
    if (vals_.empty()) {
      return k_empty;
    }
    for (std::size_t i = slot_bits(key) & mask_;; i = (i + 1) & mask_) {
      if (vals_[i] == k_empty) {
        return k_empty;
      }
      if (keys_[i] == key) {
        return vals_[i];
      }
    }
  }

  // Starts loading the slot where a lookup of `key` begins: the near index looks up one key in
  // each of its band tables per document, each a cache miss on a large corpus; prefetching them
  // all first lets the misses overlap.
  void prefetch(const Key& key) const {
    if (vals_.empty()) {
      return;
    }
    const std::size_t i = slot_bits(key) & mask_;
    __builtin_prefetch(vals_.data() + i);
    __builtin_prefetch(keys_.data() + i);
  }

  // Sets key -> value (value != k_empty); returns the previous value or k_empty.
  std::uint32_t put(const Key& key, std::uint32_t value) {
    if ((size_ + 1) * 10 > vals_.size() * 7) {
      grow();
    }
    std::size_t i = slot_bits(key) & mask_;
    for (; vals_[i] != k_empty; i = (i + 1) & mask_) {
      if (keys_[i] == key) {
        std::uint32_t old = vals_[i];
        vals_[i] = value;
        return old;
      }
    }
    keys_[i] = key;
    vals_[i] = value;
    ++size_;
    return k_empty;
  }

  std::size_t size() const { return size_; }
  std::size_t memory_bytes() const {
    return keys_.capacity() * sizeof(Key) + vals_.capacity() * sizeof(std::uint32_t);
  }

 private:
  void grow() {
    std::size_t capacity = vals_.empty() ? 64 : vals_.size() * 2;
    std::vector<Key> keys(capacity);
    std::vector<std::uint32_t> vals(capacity, k_empty);
    std::size_t mask = capacity - 1;
    for (std::size_t j = 0; j < vals_.size(); ++j) {
      if (vals_[j] == k_empty) {
        continue;
      }
      std::size_t i = slot_bits(keys_[j]) & mask;
      while (vals[i] != k_empty) {
        i = (i + 1) & mask;
      }
      keys[i] = keys_[j];
      vals[i] = vals_[j];
    }
    keys_.swap(keys);
    vals_.swap(vals);
    mask_ = mask;
  }

  std::vector<Key> keys_;
  std::vector<std::uint32_t> vals_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace decruft::dedup::detail
