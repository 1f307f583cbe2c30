// Input framing of the CLI (see message_source.hpp).
#include "message_source.hpp"

#include "cli_error.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace ringmq_cli {
namespace {
constexpr std::uint32_t more_bit = 0x8000'0000U;
}

bool message_source::fill() {
  if (eof_) return false;
  // Drop what was consumed before growing, so a long stream does not keep every message.
  if (start_ > 0 && start_ * 2 >= buffer_.size()) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  char chunk[65536];
  for (;;) {
    const ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw failure("reading stdin: " + std::generic_category().message(errno));
    if (n == 0) {
      eof_ = true;
      if (framing_ == framing::length && start_ < buffer_.size())
        throw failure("stdin: ended inside a length-framed message");
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<multipart> message_source::take() {
  return framing_ == framing::lines ? take_line() : take_length_framed();
}

std::optional<multipart> message_source::take_line() {
  if (start_ >= buffer_.size()) return std::nullopt;
  std::size_t end = buffer_.find('\n', start_);
  std::size_t next = end + 1;
  if (end == std::string::npos) {
    if (!eof_) return std::nullopt;  // the rest of the line is still to come
    end = buffer_.size();
    next = end;
  }
  const std::string line = buffer_.substr(start_, end - start_);
  start_ = next;
  multipart parts;
  if (!separator_ || separator_->empty()) {
    parts.push_back(line);
    return parts;
  }
  std::size_t from = 0;
  for (;;) {
    const std::size_t at = line.find(*separator_, from);
    if (at == std::string::npos) break;
    parts.push_back(line.substr(from, at - from));
    from = at + separator_->size();
  }
  parts.push_back(line.substr(from));
  return parts;
}

std::optional<multipart> message_source::take_length_framed() {
  // Parse a whole message first, consume it only when all its parts are here.
  multipart parts;
  std::size_t at = start_;
  for (;;) {
    if (buffer_.size() - at < 4) return std::nullopt;
    const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data() + at);
    const std::uint32_t word = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                               (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
    const std::size_t size = word & ~more_bit;
    if (buffer_.size() - at - 4 < size) return std::nullopt;
    parts.push_back(buffer_.substr(at + 4, size));
    at += 4 + size;
    if ((word & more_bit) == 0) break;
  }
  start_ = at;
  return parts;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw failure("-f " + path + ": " + std::generic_category().message(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw failure("-f " + path + ": read error");
  return text.str();
}

}  // namespace ringmq_cli
