// numbered_message: the self-describing parts the fault suite sends, so that whoever receives
// them can tell, from the bytes alone, which message of which producer a part belongs to and
// whether it arrived whole.
//
// Every part of a numbered message starts with a 28-byte header (little endian):
//
//   offset  size  field
//        0     4  magic "RFM1"
//        4     4  producer id
//        8     8  sequence number (per producer, from 0)
//       16     2  part index (0-based)
//       18     2  part count
//       20     4  part length in bytes, header included
//       24     4  checksum of the rest of the part (bytes 0-23 and 28-end)
//
// followed by filler bytes that depend on (producer, sequence, part): a part moved, cut short
// or altered fails its length or checksum. The shape of a message (number of parts, each
// part's length) is a pure function of (producer, sequence, shape settings), so a sender
// restarted after SIGKILL sends exactly what it would have sent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>

namespace fault {

inline constexpr std::uint32_t part_magic = 0x314d4652;  // "RFM1" read little endian
inline constexpr std::size_t header_size = 28;

// What the header of one part says.
struct part_header {
  std::uint32_t producer = 0;
  std::uint64_t seq = 0;
  std::uint16_t index = 0;
  std::uint16_t count = 0;
  std::uint32_t length = 0;
};

// splitmix64: a cheap, well-mixed step for seeded shapes and fillers.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A hash of `bytes`, eight bytes at a time, continuing from `h`. Not cryptographic: it only
// has to notice bytes that were moved, dropped or changed.
inline std::uint64_t hash_bytes(std::uint64_t h, std::span<const std::byte> bytes) noexcept {
  h ^= bytes.size();
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  for (std::size_t k = 0; i + k < bytes.size(); ++k)
    tail |= static_cast<std::uint64_t>(bytes[i + k]) << (8 * k);
  return mix64(h ^ tail);
}

// The checksum field's value for a part of at least header_size bytes: everything but the
// field itself.
inline std::uint32_t part_checksum(std::span<const std::byte> part) noexcept {
  std::uint64_t h = hash_bytes(0x243f6a8885a308d3ULL, part.first(24));
  h = hash_bytes(h, part.subspan(header_size));
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

// How messages are shaped: parts per message and part lengths, drawn per (producer, seq).
struct shape_settings {
  unsigned min_parts = 1;
  unsigned max_parts = 4;
  std::uint32_t max_extra = 200;     // a part is header_size + [0, max_extra] bytes
  std::uint32_t large_every = 997;   // every Nth message has one large part (0: never)
  std::uint32_t large_size = 70000;  // crosses 64 KiB: long frames, several reads
};

struct message_shape {
  unsigned parts = 1;
  std::uint32_t lengths[16] = {};
};

inline message_shape shape_of(const shape_settings& s, std::uint32_t producer, std::uint64_t seq) noexcept {
  std::uint64_t r = mix64((static_cast<std::uint64_t>(producer) << 48) ^ seq ^ 0x5a5a5a5aULL);
  message_shape m;
  const unsigned span = s.max_parts >= s.min_parts ? s.max_parts - s.min_parts + 1 : 1;
  m.parts = s.min_parts + static_cast<unsigned>(r % span);
  if (m.parts > 16) m.parts = 16;
  if (m.parts == 0) m.parts = 1;
  for (unsigned i = 0; i < m.parts; ++i) {
    r = mix64(r);
    m.lengths[i] =
        static_cast<std::uint32_t>(header_size + r % (static_cast<std::uint64_t>(s.max_extra) + 1));
  }
  if (s.large_every != 0 && seq % s.large_every == s.large_every - 1)
    m.lengths[static_cast<unsigned>(r >> 40) % m.parts] = s.large_size;
  return m;
}

// Writes part `index` of `count` of message (producer, seq) into `out` (its size is the part
// length, at least header_size).
inline void fill_part(std::span<std::byte> out, std::uint32_t producer, std::uint64_t seq,
                      std::uint16_t index, std::uint16_t count) noexcept {
  const auto length = static_cast<std::uint32_t>(out.size());
  std::memcpy(out.data() + 0, &part_magic, 4);
  std::memcpy(out.data() + 4, &producer, 4);
  std::memcpy(out.data() + 8, &seq, 8);
  std::memcpy(out.data() + 16, &index, 2);
  std::memcpy(out.data() + 18, &count, 2);
  std::memcpy(out.data() + 20, &length, 4);
  // Filler: a word pattern seeded by the part's identity (fast to write, differs per part).
  std::uint64_t w = mix64(seq * 31 + std::uint64_t{producer} * 7 + index);
  std::size_t i = header_size;
  for (; i + 8 <= out.size(); i += 8) {
    std::memcpy(out.data() + i, &w, 8);
    w += 0x9e3779b97f4a7c15ULL;
  }
  for (; i < out.size(); ++i) out[i] = static_cast<std::byte>(static_cast<unsigned char>(w >> (8 * (i & 7))));
  const std::uint32_t sum = part_checksum(out);
  std::memcpy(out.data() + 24, &sum, 4);
}

// The header of `part` if it is an intact numbered part (magic, length and checksum agree),
// empty if not.
inline std::optional<part_header> read_part(std::span<const std::byte> part) noexcept {
  if (part.size() < header_size) return std::nullopt;
  std::uint32_t magic = 0;
  std::memcpy(&magic, part.data(), 4);
  if (magic != part_magic) return std::nullopt;
  part_header h;
  std::memcpy(&h.producer, part.data() + 4, 4);
  std::memcpy(&h.seq, part.data() + 8, 8);
  std::memcpy(&h.index, part.data() + 16, 2);
  std::memcpy(&h.count, part.data() + 18, 2);
  std::memcpy(&h.length, part.data() + 20, 4);
  if (h.length != part.size()) return std::nullopt;
  std::uint32_t sum = 0;
  std::memcpy(&sum, part.data() + 24, 4);
  if (part_checksum(part) != sum) return std::nullopt;
  return h;
}

}  // namespace fault
