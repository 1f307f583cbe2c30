// spsc_queue: the lock-free single-producer/single-consumer queue under every pipe. It
// stores items in linked chunks and tells the writer when the reader has gone to sleep, so
// a wake-up is sent only when the reader actually needs one ("count the wake-ups").
//
// Protocol: the writer appends items, then flush() publishes them. When the reader finds
// nothing to read it atomically marks itself asleep; the next flush() sees that mark and
// returns false, telling the writer to wake the reader. Items written with `incomplete`
// (parts of a multipart message) are published only together with the final part.
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

namespace ringmq::detail {

template <class T, std::size_t ChunkSize>
class spsc_queue {
  static_assert(ChunkSize >= 2);

 public:
  // Chunks kept for reuse once read. Bounded: a queue that once held many items keeps at
  // most this many chunks beyond the ones in use when it is idle again.
  static constexpr std::size_t max_spare_chunks = 8;

  spsc_queue() {
    begin_chunk_ = new chunk;
    begin_pos_ = 0;
    back_chunk_ = nullptr;
    back_pos_ = 0;
    end_chunk_ = begin_chunk_;
    end_pos_ = 0;
    push_slot();  // the back slot is always the next free one
    T* first = back_slot();
    read_limit_ = first;
    flushed_ = first;
    complete_ = first;
    published_.store(first, std::memory_order_relaxed);
  }
  spsc_queue(const spsc_queue&) = delete;
  spsc_queue& operator=(const spsc_queue&) = delete;
  ~spsc_queue() {
    while (begin_chunk_ != end_chunk_) {
      chunk* next = begin_chunk_->next;
      delete begin_chunk_;
      begin_chunk_ = next;
    }
    delete begin_chunk_;
    for (std::atomic<chunk*>& slot : spares_) delete slot.load(std::memory_order_relaxed);
  }

  // Writer: appends an item. Unless `incomplete`, it and every earlier item become
  // publishable by flush().
  void write(T&& value, bool incomplete) {
    *back_slot() = std::move(value);
    push_slot();
    if (!incomplete) complete_ = back_slot();
  }

  // Writer: takes back the last item written if it is not yet complete (aborting a
  // partially written multipart message). Returns false when there is none.
  bool unwrite(T& value) {
    if (complete_ == back_slot()) return false;
    pop_slot_back();
    value = std::move(*back_slot());
    return true;
  }

  // Writer: publishes all complete items. Returns false if the reader was asleep and must
  // be woken by the caller.
  bool flush() {
    if (flushed_ == complete_) return true;
    T* expected = flushed_;
    // release: items written before this point become visible to the reader's acquire.
    if (!published_.compare_exchange_strong(expected, complete_, std::memory_order_acq_rel)) {
      // The reader stored null: it is asleep. Publish with a plain release store; the reader
      // will pick it up after it is woken.
      published_.store(complete_, std::memory_order_release);
      flushed_ = complete_;
      return false;
    }
    flushed_ = complete_;
    return true;
  }

  // Reader: true if an item can be read now. When there is none, the reader is marked
  // asleep so the writer's next flush() reports that a wake-up is needed.
  bool check_read() {
    if (front_slot() != read_limit_ && read_limit_ != nullptr) return true;
    // acquire: pairs with the writer's release in flush(). A plain load first: under a
    // stream there usually is more to read, and the read-modify-write below (which marks
    // the reader asleep) is needed only when there is not.
    T* limit = published_.load(std::memory_order_acquire);
    if (limit == nullptr) return false;  // still asleep: the writer has not flushed since
    if (limit != front_slot()) {
      read_limit_ = limit;
      return true;
    }
    T* expected = limit;
    if (published_.compare_exchange_strong(expected, nullptr, std::memory_order_acq_rel)) {
      read_limit_ = nullptr;  // we are asleep now
      return false;
    }
    // The writer flushed between the load and the CAS; only it moves the mark, and only
    // forward (never to null): there is something to read now.
    read_limit_ = expected;
    return true;
  }

  // Reader: whether an item can be read now, without marking the reader asleep when
  // there is none (for a reader that looks again shortly, see link_end::read).
  [[nodiscard]] bool probe() const noexcept {
    if (read_limit_ != nullptr && front_slot() != read_limit_) return true;
    // acquire: pairs with the writer's release in flush().
    T* limit = published_.load(std::memory_order_acquire);
    return limit != nullptr && limit != front_slot();
  }

  // Reader: the next item, or false (and asleep) when there is none.
  bool read(T& value) {
    if (!check_read()) return false;
    value = std::move(*front_slot());
    pop_slot_front();
    return true;
  }

  // Reader: the next item without removing it; check_read() must have returned true.
  T& front() { return *front_slot(); }

 private:
  // values is storage: a slot is written before it is read, so it is not initialised.
  struct chunk {                      // NOLINT(cppcoreguidelines-pro-type-member-init)
    alignas(64) T values[ChunkSize];  // one cache line per 64-byte message: no false sharing
    chunk* prev = nullptr;
    chunk* next = nullptr;
  };

  T* front_slot() const noexcept { return &begin_chunk_->values[begin_pos_]; }
  T* back_slot() { return &back_chunk_->values[back_pos_]; }

  void push_slot() {
    back_chunk_ = end_chunk_;
    back_pos_ = end_pos_;
    if (++end_pos_ != ChunkSize) return;
    chunk* fresh = take_spare();
    if (fresh == nullptr) fresh = new chunk;
    fresh->prev = end_chunk_;
    fresh->next = nullptr;
    end_chunk_->next = fresh;
    end_chunk_ = fresh;
    end_pos_ = 0;
  }

  void pop_slot_back() {
    if (back_pos_ > 0) {
      --back_pos_;
    } else {
      back_pos_ = ChunkSize - 1;
      back_chunk_ = back_chunk_->prev;
    }
    if (end_pos_ > 0) {
      --end_pos_;
    } else {
      end_pos_ = ChunkSize - 1;
      end_chunk_ = end_chunk_->prev;
      delete end_chunk_->next;
      end_chunk_->next = nullptr;
    }
  }

  void pop_slot_front() {
    if (++begin_pos_ != ChunkSize) return;
    chunk* done = begin_chunk_;
    begin_chunk_ = begin_chunk_->next;
    begin_chunk_->prev = nullptr;
    begin_pos_ = 0;
    keep_spare(done);
  }

  // Chunks the reader is done with go back to the writer through spares_ (a queue holding
  // up to HWM messages cycles through many chunks; allocating on one thread and freeing
  // on the other costs the allocator far more than the handover). A slot only the writer
  // empties and only the reader fills needs no read-modify-write.
  chunk* take_spare() noexcept {
    for (std::atomic<chunk*>& slot : spares_) {
      // acquire: pairs with keep_spare's release, the chunk is seen whole.
      if (chunk* c = slot.load(std::memory_order_acquire)) {
        slot.store(nullptr, std::memory_order_relaxed);
        return c;
      }
    }
    return nullptr;
  }
  void keep_spare(chunk* done) noexcept {
    for (std::atomic<chunk*>& slot : spares_) {
      if (slot.load(std::memory_order_relaxed) == nullptr) {
        slot.store(done, std::memory_order_release);
        return;
      }
    }
    delete done;
  }

  // Reader side, writer side and shared state each get their own cache lines: the two
  // threads must not invalidate each other's lines on every item.
  alignas(64) chunk* begin_chunk_;
  std::size_t begin_pos_;
  T* read_limit_;  // items before this are readable without touching published_
  alignas(64) chunk* back_chunk_;
  std::size_t back_pos_;
  chunk* end_chunk_;
  std::size_t end_pos_;
  T* complete_;                            // first slot after the last complete item
  T* flushed_;                             // first slot after the last published item
  alignas(64) std::atomic<T*> published_;  // null while the reader sleeps
  alignas(64) std::atomic<chunk*> spares_[max_spare_chunks]{};
};

}  // namespace ringmq::detail
