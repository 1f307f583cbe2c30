#include "zmtp/greeting.hpp"

#include <algorithm>
#include <cstring>
#include <string>

namespace ringmq::zmtp {

namespace {

constexpr std::size_t signature_last = 9;  // the %x7F octet
constexpr std::size_t major_index = 10;
constexpr std::size_t minor_index = 11;
constexpr std::size_t mechanism_index = 12;
constexpr std::size_t as_server_index = 32;

// The peer's mechanism field, made printable for an error text.
std::string printable_mechanism(const std::byte* field) {
  std::string out;
  for (std::size_t i = 0; i < mechanism_field_size; ++i) {
    const auto c = std::to_integer<unsigned char>(field[i]);
    if (c == 0) break;
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  }
  return out;
}

}  // namespace

bool valid_mechanism_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > mechanism_field_size) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '+';
  });
}

greeting_bytes encode_greeting(std::string_view mechanism, bool as_server) noexcept {
  greeting_bytes g{};
  g[0] = std::byte{0xff};
  // rfc 37: padding "not significant"; zeros as the rfc suggests for a full greeting.
  g[signature_last] = std::byte{0x7f};
  g[major_index] = std::byte{our_major_version};
  g[minor_index] = std::byte{our_minor_version};
  std::memcpy(g.data() + mechanism_index, mechanism.data(), std::min(mechanism.size(), mechanism_field_size));
  g[as_server_index] = as_server ? std::byte{1} : std::byte{0};
  return g;
}

greeting_decoder::greeting_decoder(std::string_view our_mechanism) noexcept {
  std::memcpy(our_mechanism_.data(), our_mechanism.data(),
              std::min(our_mechanism.size(), mechanism_field_size));
}

greeting_decoder::status greeting_decoder::fail(error_info e) {
  error_ = std::move(e);
  state_ = status::failed;
  return state_;
}

// Called once for each octet index as it arrives; decides as early as it can.
greeting_decoder::status greeting_decoder::check_octet(std::size_t index) {
  switch (index) {
    case 0:
      // rfc 23 (Backwards Interoperability): a ZMTP 1.0 peer's first octet is a frame length,
      // not %xFF. We do not downgrade.
      if (buf_[0] != std::byte{0xff})
        return fail(make_protocol_error(protocol_code::zmtp_unspecified,
                                        "peer does not speak ZMTP 3 (no greeting signature)"));
      break;
    case signature_last:
      // libzmq tests the low bit of octet 9 to tell ZMTP 1.0 (a flags octet, bit 0 clear)
      // from 2.0 and later. Octets 1-8 are padding: rfc 37 "MUST NOT validate".
      if ((std::to_integer<unsigned>(buf_[signature_last]) & 1U) == 0)
        return fail(make_protocol_error(protocol_code::zmtp_unspecified,
                                        "peer speaks ZMTP 1.0, which is not supported"));
      break;
    case major_index: {
      peer_.major = std::to_integer<std::uint8_t>(buf_[major_index]);
      // rfc 37: "A peer MUST accept higher protocol versions as valid"; below 3 we would have
      // to downgrade, which we do not ("If a peer cannot downgrade ... MUST close").
      if (peer_.major < 3)
        return fail(make_protocol_error(
            protocol_code::zmtp_unspecified,
            "unsupported ZMTP version " + std::to_string(peer_.major) + ".x (need 3.0 or later)"));
      break;
    }
    case minor_index: peer_.minor = std::to_integer<std::uint8_t>(buf_[minor_index]); break;
    case mechanism_index + mechanism_field_size - 1:
      // rfc 23: "If the mechanism that the peer received does not exactly match the mechanism
      // it sent, it MUST close the connection." libzmq compares all 20 octets.
      if (std::memcmp(buf_.data() + mechanism_index, our_mechanism_.data(), mechanism_field_size) != 0)
        return fail(make_protocol_error(
            protocol_code::zmtp_mechanism_mismatch,
            "security mechanism mismatch: peer uses '" + printable_mechanism(buf_.data() + mechanism_index) +
                "', we use '" + printable_mechanism(our_mechanism_.data()) + "'"));
      break;
    case as_server_index: peer_.as_server = buf_[as_server_index] != std::byte{0}; break;
    default: break;  // padding and filler: not significant
  }
  return state_;
}

greeting_decoder::status greeting_decoder::decode(bytes in, std::size_t& consumed) {
  consumed = 0;
  while (state_ == status::need_more && consumed < in.size()) {
    buf_[received_] = in[consumed];
    ++consumed;
    check_octet(received_);
    ++received_;
    if (state_ == status::need_more && received_ == greeting_size) state_ = status::done;
  }
  return state_;
}

}  // namespace ringmq::zmtp
