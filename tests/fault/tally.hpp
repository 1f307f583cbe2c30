// tally: what one peer process of the fault suite sent and received, counted in a file mapped
// MAP_SHARED. The counts survive the process (a SIGKILLed receiver's successor reopens the
// file and goes on: a message the first one received and the second one receives again is a
// duplicate), and the driver reads them at any time without asking the process
// (tests/fault/fault_tally.py reads the same layout).
//
// Layout, all little-endian u64 words:
//   word 0            magic "RFTALLY1"
//   word 1            producers (P), word 2: sequence capacity per producer (bits, B)
//   words 8..63       global counters (enum global)
//   words 64..        P blocks of 16 words: per-producer counters (enum per_producer)
//   from byte 4096*k  P bitsets of B bits: bit s of producer p set once (p, s) was received
//                     whole; the first bitset starts at the first page after the counters.
//
// Owner: the main thread of the one peer process that has the file open. Counters are
// written with relaxed atomic stores because the driver reads them concurrently; it only needs
// each word untorn, not an order between words.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace fault {

enum class global : unsigned {
  starts = 0,         // processes that opened this file (1 + restarts)
  messages,           // multipart messages received, whatever their state
  whole,              // ... of which whole and intact (duplicates included)
  unique,             // ... of which seen for the first time
  duplicated,         // whole, but (producer, seq) was already received
  reordered,          // whole and new, but a later seq of its producer came first over the
                      // same connection (rfc 30 and its kin: order is kept per connection)
  merged,             // parts of more than one message glued into one
  partial,            // parts of one message, some missing
  corrupted,          // a part failed its magic, length or checksum
  foreign,            // intact, but its producer or seq is outside this tally's capacity
  stale_replies,      // a REQ got a reply that is not the one to its last request
  reply_timeouts,     // a REQ/DEALER gave up waiting for a reply
  sent,               // messages accepted by send (numbered, echoed and tiny)
  echoed,             // received messages sent back (ROUTER, REP)
  send_timeouts,      // sends that hit SNDTIMEO / would block
  tiny_received,      // one-byte messages received
  tiny_out_of_order,  // one-byte messages whose value was not the next expected
  last_sent_ns,       // CLOCK_MONOTONIC of the last accepted send
  last_received_ns,   // CLOCK_MONOTONIC of the last received message
  bytes_received,     // body bytes of all parts received
  send_abandoned,     // multipart messages whose later part the socket refused (libzmq does
                      // when the pipe dies mid-message): dropped, never continued elsewhere
  interleaved,        // whole and new, older than its producer's newest but in order on its
                      // own connection: an old connection's tail after a reconnect (no defect)
  connections,        // distinct connection keys seen by this process
  count_
};

enum class per_producer : unsigned {
  reserved = 0,  // sequence numbers taken by the sender (the next one to send)
  accepted,      // of which accepted by send
  unique,        // received whole for the first time
  duplicated,
  reordered,
  next_expected,   // highest seq received whole + 1
  echoed,          // sent back by an echoing peer
  first_received,  // seq + 1 of the first message received whole (0: none yet)
  count_
};

// A received message classified.
enum class verdict { whole, duplicate, merged, partial, corrupted, foreign };
const char* to_string(verdict v) noexcept;

class tally {
 public:
  static constexpr std::uint64_t magic = 0x31594c4c41544652ULL;  // "RFTALLY1"
  static constexpr unsigned producers = 8;
  static constexpr unsigned global_words = 56;  // words 8..63
  static constexpr unsigned producer_words = 16;

  // Opens `path`, creating it (sparse) with room for `capacity` sequence numbers per
  // producer if it does not exist; an existing file keeps its capacity. Counts `starts`.
  tally(const std::string& path, std::uint64_t capacity);
  // A tally in anonymous memory (unit tests).
  explicit tally(std::uint64_t capacity);
  tally(const tally&) = delete;
  tally& operator=(const tally&) = delete;
  ~tally();

  [[nodiscard]] std::uint64_t get(global g) const noexcept;
  [[nodiscard]] std::uint64_t get(unsigned producer, per_producer c) const noexcept;
  void add(global g, std::uint64_t n = 1) noexcept;
  void set(global g, std::uint64_t v) noexcept;
  void add(unsigned producer, per_producer c, std::uint64_t n = 1) noexcept;

  // Takes the next sequence number of `producer`: recorded before the message is sent, so a
  // successor after SIGKILL never reuses a number that might already be on the wire.
  std::uint64_t reserve(unsigned producer) noexcept;

  // Classifies a received multipart message (its numbered parts, any envelope already
  // stripped) and counts it. A whole message is recorded in its producer's bitset.
  // `connection` tells the connection it came over (0: unknown): order is checked per
  // connection, since a reconnected sender is a new peer whose messages may be fair-queued
  // with what its old connection still delivers. A key may be reused, but only once every
  // message of its earlier connection was received (a freed block).
  verdict check(std::span<const std::span<const std::byte>> parts, std::uint64_t connection = 0);

  // Counts a one-byte message: its value must be (previous value + 1) mod 251.
  void check_tiny(std::span<const std::byte> part) noexcept;

 private:
  void map(int fd, bool fresh, std::uint64_t capacity);
  std::uint64_t* word(std::size_t i) const noexcept { return words_ + i; }
  bool test_and_set(unsigned producer, std::uint64_t seq) noexcept;

  std::uint64_t* words_ = nullptr;
  unsigned char* bits_ = nullptr;
  std::size_t mapped_ = 0;
  std::uint64_t capacity_ = 0;
  int tiny_next_ = -1;  // the value the next one-byte message should have (-1: any)
  // Per connection key: 1 + the last seq of each producer received over it. Bounded: the
  // oldest keys go first (a connection silent for 256 newer ones has long ended).
  std::unordered_map<std::uint64_t, std::array<std::uint64_t, producers>> last_on_connection_;
  std::deque<std::uint64_t> connection_order_;
};

// Byte offset of the first bitset in a tally file.
std::size_t tally_bitset_offset() noexcept;

}  // namespace fault
