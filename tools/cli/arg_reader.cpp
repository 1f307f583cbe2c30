// Command-line walking and number parsing for the CLI (see arg_reader.hpp).
#include "arg_reader.hpp"

#include "cli_error.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace ringmq_cli {

bool arg_reader::flag(std::string_view long_name, char short_name) {
  if (done() || options_ended_) return false;
  const std::string_view a = peek();
  const bool is_long = a.size() == long_name.size() + 2 && a.starts_with("--") && a.substr(2) == long_name;
  const bool is_short = short_name != 0 && a.size() == 2 && a[0] == '-' && a[1] == short_name;
  if (!is_long && !is_short) return false;
  ++pos_;
  return true;
}

std::optional<std::string> arg_reader::value(std::string_view long_name, char short_name) {
  if (done() || options_ended_) return std::nullopt;
  const std::string_view a = peek();
  if (a.starts_with("--") && a.substr(2).starts_with(long_name)) {
    const std::string_view rest = a.substr(2 + long_name.size());
    if (rest.starts_with("=")) {
      ++pos_;
      return std::string(rest.substr(1));
    }
  }
  if (short_name != 0 && a.size() > 2 && a[0] == '-' && a[1] == short_name) {
    ++pos_;
    return std::string(a.substr(2));
  }
  if (!flag(long_name, short_name)) return std::nullopt;
  if (done()) throw usage_error("option --" + std::string(long_name) + " needs a value");
  return std::string(args_[pos_++]);
}

std::string arg_reader::positional() {
  std::string_view a = peek();
  if (!options_ended_ && a == "--") {
    options_ended_ = true;
    ++pos_;
    if (done()) return {};
    a = peek();
  } else if (!options_ended_ && a.size() > 1 && a[0] == '-') {
    throw usage_error("unknown option " + std::string(a));
  }
  ++pos_;
  return std::string(a);
}

std::vector<std::string> arg_reader::rest() {
  std::vector<std::string> out(args_.begin() + static_cast<std::ptrdiff_t>(pos_), args_.end());
  pos_ = args_.size();
  return out;
}

std::chrono::milliseconds parse_seconds(std::string_view option, std::string_view text) {
  // std::from_chars for double is in libstdc++ 11+, so no locale is involved.
  double seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(seconds) || seconds < 0 ||
      seconds > 1e9)
    throw usage_error("--" + std::string(option) + ": not a number of seconds: '" + std::string(text) + "'");
  return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

std::uint64_t parse_count(std::string_view option, std::string_view text) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n == 0)
    throw usage_error("--" + std::string(option) + ": not a positive count: '" + std::string(text) + "'");
  return n;
}

}  // namespace ringmq_cli
