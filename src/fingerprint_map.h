// A hash table keyed by 128-bit fingerprints (internal, for ReplyCache).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace bouncediag {

// Two independent 64-bit hashes of a key, standing in for the key itself.
struct Fingerprint {
    std::uint64_t a = 0, b = 0;
    bool operator==(const Fingerprint&) const = default;
};

// Open addressing with linear probing, kept at most half full: a lookup reads one or two
// adjacent slots. (std::unordered_map chased a bucket pointer and then a node for each
// lookup, two cache misses in a table of ~20,000 templates: ~6 % of a line-mode run.)
// The fingerprint's bits are already well mixed, so `a` serves as the hash.
template <typename Value>
class FingerprintMap {
  public:
    // The value of `key`, or null.
    Value* find(const Fingerprint& key) {
        if (m_slots.empty()) return nullptr;
        for (std::size_t i = key.a & m_mask;; i = (i + 1) & m_mask) {
            Slot& slot = m_slots[i];
            if (!slot.used) return nullptr;
            if (slot.key == key) return &slot.value;
        }
    }

    // The value of `key`, value-initialised when new (`added` says so).
    Value& emplace(const Fingerprint& key, bool& added) {
        if ((m_size + 1) * 2 > m_slots.size()) grow();
        for (std::size_t i = key.a & m_mask;; i = (i + 1) & m_mask) {
            Slot& slot = m_slots[i];
            if (slot.key == key && slot.used) {
                added = false;
                return slot.value;
            }
            if (!slot.used) {
                slot.used = true;
                slot.key = key;
                ++m_size;
                added = true;
                return slot.value;
            }
        }
    }

    std::size_t size() const { return m_size; }

    // Empties the table, keeping its memory.
    void clear() {
        for (Slot& slot : m_slots) slot = Slot();
        m_size = 0;
    }

  private:
    struct Slot {
        Fingerprint key;
        Value value{};
        bool used = false;
    };

    void grow() {
        std::vector<Slot> old = std::move(m_slots);
        const std::size_t capacity = old.empty() ? k_initial_slots : old.size() * 2;
        m_slots.assign(capacity, Slot());
        m_mask = capacity - 1;
        m_size = 0;
        for (Slot& slot : old) {
            if (!slot.used) continue;
            bool added = false;
            emplace(slot.key, added) = std::move(slot.value);
        }
    }

    static constexpr std::size_t k_initial_slots = 1024;  // a power of two
    std::vector<Slot> m_slots;
    std::size_t m_mask = 0;
    std::size_t m_size = 0;
};

}  // namespace bouncediag
