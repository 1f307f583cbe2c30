// arg_reader: walks a command's arguments once, left to right. A command asks, for the
// argument at hand, "is this --name?" (flag) or "is this --name VALUE?" (value); whatever no
// one claims is either a positional argument or an unknown option (a usage error).
// Forms accepted: "--name", "--name VALUE", "--name=VALUE", "-x", "-x VALUE", "-xVALUE";
// "--" ends the options.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringmq_cli {

class arg_reader {
 public:
  explicit arg_reader(std::span<char* const> args) : args_(args) {}

  [[nodiscard]] bool done() const noexcept { return pos_ >= args_.size(); }
  // The argument at hand (valid while !done()).
  [[nodiscard]] std::string_view peek() const { return args_[pos_]; }
  // True (and consumed) when the argument at hand is --long_name or -short_name.
  bool flag(std::string_view long_name, char short_name = 0);
  // The value when the argument at hand is that option; a usage error when its value is
  // missing.
  std::optional<std::string> value(std::string_view long_name, char short_name = 0);
  // Takes the argument at hand as a positional argument; a usage error if it looks like an
  // option that nobody claimed (unless it came after "--").
  std::string positional();
  // Takes every argument left, verbatim (for commands that pass them on).
  std::vector<std::string> rest();

 private:
  std::span<char* const> args_;
  std::size_t pos_ = 0;
  bool options_ended_ = false;
};

// Numbers given on the command line; a usage error naming `option` when malformed.
std::chrono::milliseconds parse_seconds(std::string_view option, std::string_view text);
std::uint64_t parse_count(std::string_view option, std::string_view text);

}  // namespace ringmq_cli
