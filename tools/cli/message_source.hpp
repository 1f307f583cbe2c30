// message_source: where the messages a command sends come from. Either one fixed message
// (the parts given with -d/-f, in order), or a stream read from a file descriptor (stdin)
// framed by lines or by lengths:
//   lines:  each line (without its "\n") is a message; with a separator, the line is split
//           into parts at each occurrence of it. A last line without "\n" counts.
//   length: each part is a 4-byte big-endian length, then that many bytes; the length's top
//           bit set means another part of the same message follows (as ZMTP's MORE flag).
// Owned by the command's thread; reads only when the caller saw the descriptor readable, so
// a command can wait on it and on its socket together.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ringmq_cli {

using multipart = std::vector<std::string>;

enum class framing { lines, length };

class message_source {
 public:
  // One read(2) of what is available; false once the descriptor reached end of file. Throws
  // failure on a read error, or on end of file inside a length-framed message.
  bool fill();
  // The next complete message already read, if any.
  std::optional<multipart> take();
  [[nodiscard]] bool at_eof() const noexcept { return eof_; }
  [[nodiscard]] int fd() const noexcept { return fd_; }

  message_source(int fd, framing f, std::optional<std::string> separator)
      : fd_(fd), framing_(f), separator_(std::move(separator)) {}

 private:
  std::optional<multipart> take_line();
  std::optional<multipart> take_length_framed();

  int fd_;
  framing framing_;
  std::optional<std::string> separator_;
  std::string buffer_;
  std::size_t start_ = 0;  // bytes of buffer_ before it are consumed
  bool eof_ = false;
};

// Reads a whole file (a -f part); throws failure naming the file.
std::string read_file(const std::string& path);

}  // namespace ringmq_cli
