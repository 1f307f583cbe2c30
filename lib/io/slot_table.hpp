// slot_table: the loop's registry of streams, listeners and connects, addressed by ids that
// can never name a reused slot, and the encoding of those ids into the 64-bit tags that
// travel with kernel operations (io_uring user_data, epoll_event.data).
//
// An id is slot:24 | generation:32 (generation starts at 1, so 0 is never an id). A tag
// adds the operation kind in the top byte. A slot is reused only after its entry was
// erased, which bumps the generation: a stale id or a late completion for an old occupant
// fails the generation check instead of reaching the new one. Both backends also keep a
// slot until every kernel operation on it has completed, so the check is a second guard.
//
// Owned by the loop thread; not thread-safe.
#pragma once

#include "core/invariant.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace ringmq::detail::io {

// What a kernel operation was, carried in its tag.
enum class op_kind : std::uint8_t { none = 0, wake, recv, send, accept, connect, cancel, stream, listener };

constexpr std::uint64_t id_slot_bits = 24;
constexpr std::uint64_t max_slots = std::uint64_t{1} << id_slot_bits;

constexpr std::uint64_t make_tag(op_kind op, std::uint64_t id) noexcept {
  return (std::uint64_t{static_cast<std::uint8_t>(op)} << 56) | (id & ((std::uint64_t{1} << 56) - 1));
}
constexpr op_kind tag_op(std::uint64_t tag) noexcept { return static_cast<op_kind>(tag >> 56); }
constexpr std::uint64_t tag_id(std::uint64_t tag) noexcept { return tag & ((std::uint64_t{1} << 56) - 1); }

template <class T>
class slot_table {
 public:
  // Stores `value` in a free slot and returns its id. Pointers returned by find() stay
  // valid (entries never move), but may name a later occupant after erase: look up by id
  // again after running a callback that may have erased it.
  std::uint64_t insert(T value) {
    std::uint32_t slot = 0;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      RINGMQ_INVARIANT(entries_.size() < max_slots, "too many slots");
      slot = static_cast<std::uint32_t>(entries_.size());
      entries_.push_back(std::make_unique<entry>());
    }
    entry& e = *entries_[slot];
    e.live = true;
    e.value = std::move(value);
    ++live_count_;
    return make_id(slot, e.generation);
  }

  // The live entry named by `id`, or nullptr if it was erased (or never existed).
  T* find(std::uint64_t id) noexcept {
    const std::uint64_t slot = id >> 32;
    if (slot >= entries_.size()) return nullptr;
    entry& e = *entries_[slot];
    if (!e.live || e.generation != static_cast<std::uint32_t>(id)) return nullptr;
    return &e.value;
  }

  // The live entry named by `id`, which the caller knows to exist.
  T& at(std::uint64_t id) noexcept {
    T* v = find(id);
    RINGMQ_INVARIANT(v != nullptr, "slot_table::at of an unknown id");
    return *v;
  }

  // Frees the slot (the value is reset to release what it holds) and retires the id.
  void erase(std::uint64_t id) {
    T* v = find(id);
    RINGMQ_INVARIANT(v != nullptr, "erase of an unknown id");
    const auto slot = static_cast<std::uint32_t>(id >> 32);
    entry& e = *entries_[slot];
    e.live = false;
    e.value = T{};
    // Generation 0 is skipped so that no id is ever 0.
    if (++e.generation == 0) e.generation = 1;
    free_.push_back(slot);
    --live_count_;
  }

  [[nodiscard]] std::size_t size() const noexcept { return live_count_; }

  // Calls fn(id, value) for every live entry; fn must not insert or erase.
  template <class F>
  void for_each(F&& fn) {
    for (std::size_t slot = 0; slot < entries_.size(); ++slot) {
      entry& e = *entries_[slot];
      if (e.live) fn(make_id(static_cast<std::uint32_t>(slot), e.generation), e.value);
    }
  }

 private:
  struct entry {
    std::uint32_t generation = 1;
    bool live = false;
    T value{};
  };

  static std::uint64_t make_id(std::uint32_t slot, std::uint32_t generation) noexcept {
    return (std::uint64_t{slot} << 32) | generation;
  }

  std::vector<std::unique_ptr<entry>> entries_;
  std::vector<std::uint32_t> free_;
  std::size_t live_count_ = 0;
};

}  // namespace ringmq::detail::io
