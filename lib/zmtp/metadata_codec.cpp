#include "zmtp/metadata_codec.hpp"

#include <algorithm>
#include <cstring>

namespace ringmq::zmtp {

namespace {

bool name_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '+';
}

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool valid_property_name(std::string_view name) noexcept {
  return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), name_char);
}

bool property_name_equal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

bool is_application_property(std::string_view name) noexcept {
  return name.size() >= 2 && lower(name[0]) == 'x' && name[1] == '-';
}

void append_property(std::string& out, std::string_view name, std::string_view value) {
  out.push_back(static_cast<char>(name.size()));
  out.append(name);
  std::byte len[4];
  put_u32(len, static_cast<std::uint32_t>(value.size()));
  out.append(reinterpret_cast<const char*>(len), sizeof len);
  out.append(value);
}

std::string encode_properties(const std::vector<property>& properties) {
  std::string out;
  for (const auto& [name, value] : properties) append_property(out, name, value);
  return out;
}

const char* parse_properties(bytes in, std::vector<property_view>& out, std::size_t max_count) {
  out.clear();
  const std::size_t end = in.size();
  std::size_t pos = 0;
  while (pos < end) {
    if (out.size() == max_count) return "too many properties";
    const std::size_t name_len = std::to_integer<std::size_t>(in[pos]);
    ++pos;
    if (name_len == 0) return "empty property name";
    if (name_len > end - pos) return "truncated property name";
    const std::string_view name = as_text(in.subspan(pos, name_len));
    pos += name_len;
    if (!valid_property_name(name)) return "invalid character in property name";
    if (4 > end - pos) return "truncated property value length";
    const std::uint32_t value_len = get_u32(in.data() + pos);
    pos += 4;
    if (value_len > max_property_value) return "property value length above 2^31-1";
    if (value_len > end - pos) return "truncated property value";
    out.push_back({name, as_text(in.subspan(pos, value_len))});
    pos += value_len;
  }
  return nullptr;
}

std::size_t metadata_cost(const std::vector<property_view>& properties) noexcept {
  std::size_t cost = 0;
  for (const property_view& p : properties) cost += p.name.size() + p.value.size() + property_overhead;
  return cost;
}

const char* parse_peer_properties(bytes in, std::vector<property_view>& out) {
  if (const char* why = parse_properties(in, out, max_peer_properties); why != nullptr) return why;
  if (metadata_cost(out) > max_peer_metadata_cost) return "metadata costs more than its bound";
  return nullptr;
}

}  // namespace ringmq::zmtp
