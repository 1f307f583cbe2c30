#include "fault/tally.hpp"

#include "fault/numbered_message.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <system_error>

namespace fault {

namespace {

constexpr std::size_t page = 4096;
constexpr std::size_t counters_bytes =
    std::size_t{8} * (64 + std::size_t{tally::producers} * tally::producer_words);

std::uint64_t now_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::uint64_t load(const std::uint64_t* w) noexcept {
  return std::atomic_ref<std::uint64_t>(*const_cast<std::uint64_t*>(w)).load(std::memory_order_relaxed);
}
void store(std::uint64_t* w, std::uint64_t v) noexcept {
  std::atomic_ref<std::uint64_t>(*w).store(v, std::memory_order_relaxed);
}

std::size_t global_index(global g) noexcept { return 8 + static_cast<std::size_t>(g); }
std::size_t producer_index(unsigned p, per_producer c) noexcept {
  return 64 + static_cast<std::size_t>(p) * tally::producer_words + static_cast<std::size_t>(c);
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

static_assert(static_cast<unsigned>(global::count_) <= tally::global_words);
static_assert(static_cast<unsigned>(per_producer::count_) <= tally::producer_words);

std::size_t tally_bitset_offset() noexcept { return (counters_bytes + page - 1) / page * page; }

const char* to_string(verdict v) noexcept {
  switch (v) {
    case verdict::whole: return "whole";
    case verdict::duplicate: return "duplicate";
    case verdict::merged: return "merged";
    case verdict::partial: return "partial";
    case verdict::corrupted: return "corrupted";
    case verdict::foreign: return "foreign";
  }
  return "?";
}

tally::tally(const std::string& path, std::uint64_t capacity) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno("open " + path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_errno("fstat " + path);
  try {
    map(fd, st.st_size == 0, capacity);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  add(global::starts);
}

tally::tally(std::uint64_t capacity) { map(-1, true, capacity); }

void tally::map(int fd, bool fresh, std::uint64_t capacity) {
  if (!fresh) {
    std::uint64_t head[3] = {};
    if (::pread(fd, head, sizeof head, 0) != static_cast<ssize_t>(sizeof head) || head[0] != magic ||
        head[1] != producers)
      throw std::runtime_error("not a tally file (or another layout)");
    capacity = head[2];
  }
  capacity_ = (capacity + 63) / 64 * 64;
  mapped_ = tally_bitset_offset() + producers * (capacity_ / 8);
  if (fd >= 0 && fresh && ::ftruncate(fd, static_cast<off_t>(mapped_)) != 0) throw_errno("ftruncate");
  void* p = fd >= 0 ? ::mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
                    : ::mmap(nullptr, mapped_, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw_errno("mmap");
  words_ = static_cast<std::uint64_t*>(p);
  bits_ = static_cast<unsigned char*>(p) + tally_bitset_offset();
  if (fresh) {
    store(word(1), producers);
    store(word(2), capacity_);
    store(word(0), magic);  // last: a reader that sees the magic sees the layout
  }
}

tally::~tally() {
  if (words_ != nullptr) ::munmap(words_, mapped_);
}

std::uint64_t tally::get(global g) const noexcept { return load(word(global_index(g))); }
std::uint64_t tally::get(unsigned producer, per_producer c) const noexcept {
  return load(word(producer_index(producer, c)));
}
void tally::add(global g, std::uint64_t n) noexcept {
  std::uint64_t* w = word(global_index(g));
  store(w, load(w) + n);
}
void tally::set(global g, std::uint64_t v) noexcept { store(word(global_index(g)), v); }
void tally::add(unsigned producer, per_producer c, std::uint64_t n) noexcept {
  std::uint64_t* w = word(producer_index(producer, c));
  store(w, load(w) + n);
}

std::uint64_t tally::reserve(unsigned producer) noexcept {
  std::uint64_t* w = word(producer_index(producer, per_producer::reserved));
  const std::uint64_t seq = load(w);
  store(w, seq + 1);
  return seq;
}

bool tally::test_and_set(unsigned producer, std::uint64_t seq) noexcept {
  unsigned char& byte = bits_[producer * (capacity_ / 8) + seq / 8];
  const auto mask = static_cast<unsigned char>(1U << (seq % 8));
  const bool was = (byte & mask) != 0;
  byte = static_cast<unsigned char>(byte | mask);
  return was;
}

verdict tally::check(std::span<const std::span<const std::byte>> parts, std::uint64_t connection) {
  add(global::messages);
  set(global::last_received_ns, now_ns());
  std::uint64_t bytes = 0;
  for (const auto& p : parts) bytes += p.size();
  add(global::bytes_received, bytes);

  // Every part must be intact on its own before the parts can be compared.
  part_header first{};
  bool mixed = false;
  bool in_order = true;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto h = read_part(parts[i]);
    if (!h) {
      add(global::corrupted);
      return verdict::corrupted;
    }
    if (i == 0) first = *h;
    if (h->producer != first.producer || h->seq != first.seq) mixed = true;
    if (h->index != i || h->count != first.count) in_order = false;
  }
  if (parts.empty()) {
    add(global::corrupted);
    return verdict::corrupted;
  }
  // Parts of two messages, or the parts of one message twice ([A0 A1 A0 A1 A2]): glued.
  if (mixed || parts.size() > first.count) {
    add(global::merged);
    return verdict::merged;
  }
  if (!in_order || parts.size() != first.count) {
    add(global::partial);
    return verdict::partial;
  }
  if (first.producer >= producers || first.seq >= capacity_) {
    add(global::foreign);
    return verdict::foreign;
  }
  add(global::whole);
  const unsigned p = first.producer;
  if (test_and_set(p, first.seq)) {
    add(global::duplicated);
    add(p, per_producer::duplicated);
    return verdict::duplicate;
  }
  add(global::unique);
  add(p, per_producer::unique);
  std::uint64_t* first_seen = word(producer_index(p, per_producer::first_received));
  if (load(first_seen) == 0) store(first_seen, first.seq + 1);
  // Order: within one connection, never backwards. Across connections, an older message
  // after a newer one is an old connection's tail: counted, not a defect.
  bool backwards_on_connection = false;
  if (connection != 0) {
    auto it = last_on_connection_.find(connection);
    if (it == last_on_connection_.end()) {
      add(global::connections);
      it = last_on_connection_.emplace(connection, std::array<std::uint64_t, producers>{}).first;
      connection_order_.push_back(connection);
      if (connection_order_.size() > 256) {
        last_on_connection_.erase(connection_order_.front());
        connection_order_.pop_front();
      }
    }
    std::uint64_t& last = it->second[p];
    if (first.seq + 1 <= last)
      backwards_on_connection = true;
    else
      last = first.seq + 1;
  }
  std::uint64_t* next = word(producer_index(p, per_producer::next_expected));
  const bool behind_newest = first.seq + 1 <= load(next);
  if (!behind_newest) store(next, first.seq + 1);
  if (backwards_on_connection || (connection == 0 && behind_newest)) {
    add(global::reordered);
    add(p, per_producer::reordered);
  } else if (behind_newest) {
    add(global::interleaved);
  }
  return verdict::whole;
}

void tally::check_tiny(std::span<const std::byte> part) noexcept {
  add(global::messages);
  add(global::tiny_received);
  add(global::bytes_received, part.size());
  set(global::last_received_ns, now_ns());
  if (part.size() != 1) {
    add(global::corrupted);
    return;
  }
  const int value = static_cast<int>(part[0]);
  if (tiny_next_ >= 0 && value != tiny_next_) add(global::tiny_out_of_order);
  tiny_next_ = (value + 1) % 251;
}

}  // namespace fault
