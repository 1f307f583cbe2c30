// Output formats of the CLI (see message_output.hpp).
#include "message_output.hpp"

#include <array>
#include <cstdint>

namespace ringmq_cli {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char c) {
  out += hex_digits[c >> 4];
  out += hex_digits[c & 0xf];
}

std::string quoted(std::string_view part) {
  std::string out;
  out.reserve(part.size());
  for (const char ch : part) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += ch;
        } else {
          out += "\\x";
          append_hex_byte(out, c);
        }
    }
  }
  return out;
}

std::string hex(std::string_view part) {
  std::string out;
  out.reserve(part.size() * 2);
  for (const char ch : part) append_hex_byte(out, static_cast<unsigned char>(ch));
  return out;
}

std::string json_part(std::string_view part) {
  if (is_utf8(part)) return json_string(part);
  return "{\"base64\":\"" + base64(part) + "\"}";
}

}  // namespace

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1fU;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0fU;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (text.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3fU);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 (RFC 3629).
    constexpr std::array<std::uint32_t, 5> min_for_len = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\u00";
          append_hex_byte(out, c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                            std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) v |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += rest == 2 ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

void write_message(std::FILE* out, output_format format, std::span<const ringmq::message> parts,
                   std::string_view separator) {
  std::string text;
  if (format == output_format::length) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      std::uint32_t word = static_cast<std::uint32_t>(parts[i].size());
      if (i + 1 < parts.size()) word |= 0x8000'0000U;
      for (int shift = 24; shift >= 0; shift -= 8) text += static_cast<char>((word >> shift) & 0xff);
      text += parts[i].view();
    }
  } else if (format == output_format::json) {
    text = "{\"parts\":[";
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) text += ',';
      text += json_part(parts[i].view());
    }
    text += ']';
    if (!parts.empty()) {
      const auto user = parts.back().property("User-Id");
      if (user && !user->empty()) text += ",\"user_id\":" + json_part(*user);
    }
    text += "}\n";
  } else {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i > 0) text += separator;
      const std::string_view v = parts[i].view();
      if (format == output_format::raw)
        text += v;
      else if (format == output_format::hex)
        text += hex(v);
      else
        text += quoted(v);
    }
    text += '\n';
  }
  std::fwrite(text.data(), 1, text.size(), out);
  std::fflush(out);
}

}  // namespace ringmq_cli
