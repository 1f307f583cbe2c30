// libFuzzer target for the ZMTP property list (rfc 23 metadata: READY, PLAIN/CURVE INITIATE
// and READY, ZAP replies): zmtp/metadata_codec.hpp on its own, core's metadata set built from
// it, and a NULL handshake whose READY carries the input, as a connection receives it.
//
// Input: [0] our socket type (mod 11), then the property list.
// Oracles (abort on violation):
//   - parse_properties agrees with the independent rfc 23 parser of fuzz_support.hpp on
//     success and failure and on every property (on failure: those before the fault); its
//     views point into the input; every name it returns is valid;
//   - parse_peer_properties accepts exactly the lists that parse and are within the peer
//     bounds (at most 128 properties, cost at most 64 KiB; metadata_codec.hpp), and returns
//     at most the first 128 of them;
//   - an accepted list re-encodes to exactly the input (the encoding is one-to-one), and a
//     refused one's accepted prefix re-encodes to a proper prefix of the input;
//   - encode then parse of a list built from the input gives the list back;
//   - valid_property_name, property_name_equal and is_application_property match rfc 23;
//   - metadata::find returns the first property whose name matches case-insensitively;
//   - the NULL handshake succeeds exactly when the list parses, is within the peer bounds,
//     every Socket-Type names a type compatible with ours and every Identity is at most 255
//     octets; the properties attached to messages are then Socket-Type and Identity (the
//     first of each), the Peer-Address and the peer's X-* properties in order, and nothing
//     else.
#include "core/message_access.hpp"
#include "core/metadata.hpp"
#include "fuzz_support.hpp"
#include "zmtp/connection.hpp"
#include "zmtp/metadata_codec.hpp"
#include "zmtp/null_mechanism.hpp"
#include "zmtp/output_batch.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace ringmq;
using namespace ringmq::fuzz;

constexpr std::string_view name_chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+";
constexpr std::string_view peer_address = "192.0.2.7";

std::vector<property_ref> to_ref(const std::vector<zmtp::property_view>& views) {
  std::vector<property_ref> out;
  out.reserve(views.size());
  for (const auto& v : views) out.push_back({std::string(v.name), std::string(v.value)});
  return out;
}

std::string encode_ref(const std::vector<property_ref>& props) {
  std::string out;
  for (const auto& p : props) out += prop(p.name, p.value);
  return out;
}

bool inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void check_codec(std::string_view input) {
  std::vector<property_ref> expected;
  const bool ok_ref = parse_metadata_ref(input, expected);
  std::vector<zmtp::property_view> views{{"stale", "stale"}};
  const char* why = zmtp::parse_properties(zmtp::as_bytes(input), views);
  FUZZ_REQUIRE((why == nullptr) == ok_ref);
  FUZZ_REQUIRE(why == nullptr || *why != '\0');
  FUZZ_REQUIRE(to_ref(views) == expected);
  for (const auto& v : views) {
    FUZZ_REQUIRE(inside(v.name, input) && inside(v.value, input));
    FUZZ_REQUIRE(zmtp::valid_property_name(v.name));
  }
  // A peer's list: the same parse, within the bounds, cut at the one past the count bound.
  std::vector<zmtp::property_view> peer_views;
  const char* peer_why = zmtp::parse_peer_properties(zmtp::as_bytes(input), peer_views);
  FUZZ_REQUIRE((peer_why == nullptr) == (ok_ref && within_peer_bounds(expected)));
  const auto kept = static_cast<std::ptrdiff_t>(std::min(expected.size(), zmtp::max_peer_properties));
  FUZZ_REQUIRE(to_ref(peer_views) == std::vector<property_ref>(expected.begin(), expected.begin() + kept));
  const std::string again = encode_ref(expected);
  if (ok_ref) {
    FUZZ_REQUIRE(again == input);
    std::vector<zmtp::property> owned;
    for (const auto& p : expected) owned.emplace_back(p.name, p.value);
    FUZZ_REQUIRE(zmtp::encode_properties(owned) == input);
  } else {
    FUZZ_REQUIRE(again.size() < input.size() && input.substr(0, again.size()) == again);
  }
}

// A list with valid names made from the input: encode, parse, compare.
void check_round_trip(std::string_view input) {
  reader in{reinterpret_cast<const std::uint8_t*>(input.data()), input.size()};
  std::vector<zmtp::property> props;
  while (!in.empty() && props.size() < 64) {
    std::string name = in.take(1 + in.byte() % 16U);
    if (name.empty()) name = "X";  // the input ran out
    for (char& c : name) c = name_chars[static_cast<unsigned char>(c) % name_chars.size()];
    props.emplace_back(std::move(name), in.take(in.u16() % 512U));
  }
  std::string encoded = zmtp::encode_properties(props);
  std::string appended;
  for (const auto& [n, v] : props) zmtp::append_property(appended, n, v);
  FUZZ_REQUIRE(appended == encoded);
  std::vector<zmtp::property_view> views;
  FUZZ_REQUIRE(zmtp::parse_properties(zmtp::as_bytes(encoded), views) == nullptr);
  FUZZ_REQUIRE(views.size() == props.size());
  for (std::size_t i = 0; i < props.size(); ++i)
    FUZZ_REQUIRE(views[i].name == props[i].first && views[i].value == props[i].second);
}

void check_names(std::string_view input) {
  // Names cut from the input at its own length octets.
  for (std::size_t pos = 0, pairs = 0; pos + 1 < input.size() && pairs < 64; ++pairs) {
    const std::size_t n = static_cast<unsigned char>(input[pos]);
    const std::string_view a = input.substr(pos + 1, n);
    const std::string_view b = input.substr(pos + 1 + a.size(), n);
    bool valid = !a.empty() && a.size() <= 255;
    for (char c : a) valid = valid && name_char_ref(c);
    FUZZ_REQUIRE(zmtp::valid_property_name(a) == valid);
    FUZZ_REQUIRE(zmtp::property_name_equal(a, b) == same_name(a, b));
    FUZZ_REQUIRE(zmtp::property_name_equal(b, a) == same_name(a, b));
    FUZZ_REQUIRE(zmtp::property_name_equal(a, a));
    const bool app = a.size() >= 2 && (a[0] == 'x' || a[0] == 'X') && a[1] == '-';
    FUZZ_REQUIRE(zmtp::is_application_property(a) == app);
    pos += 1 + a.size();
  }
}

void check_metadata_set(const std::vector<property_ref>& props) {
  std::vector<detail::metadata::property> owned;
  for (const auto& p : props) owned.emplace_back(p.name, p.value);
  const detail::metadata_ptr set(detail::metadata::create(owned));
  // The first value under each name, case folded; looked up for the first and last 32
  // properties only: find() is a linear search, and the checks must stay linear.
  std::map<std::string, std::string_view> first;
  for (const auto& p : props) {
    std::string key = p.name;
    for (char& c : key) c = lower_ascii(c);
    first.emplace(std::move(key), p.value);
  }
  for (std::size_t i = 0; i < props.size(); ++i) {
    if (i == 32 && props.size() > 64) i = props.size() - 32;
    std::string key = props[i].name;
    for (char& c : key) c = lower_ascii(c);
    FUZZ_REQUIRE(set->find(props[i].name) == first.at(key));
  }
  FUZZ_REQUIRE(!set->find("").has_value());  // no property has an empty name
}

struct sink final : zmtp::connection_sink {
  bool handshake = false;
  bool failed = false;
  zmtp::handshake_info info;
  zmtp::error_info error;
  std::vector<message> messages;
  void on_handshake_succeeded(const zmtp::handshake_info& i) override {
    FUZZ_REQUIRE(!failed && !handshake);
    handshake = true;
    info = i;
  }
  bool on_message(message&& m) override {
    FUZZ_REQUIRE(handshake && !failed);
    messages.push_back(std::move(m));
    return true;
  }
  void on_zap_request(const zmtp::zap_request&) override { FUZZ_REQUIRE(false); }
  void on_error(const zmtp::error_info& e) override {
    FUZZ_REQUIRE(!failed);
    failed = true;
    error = e;
  }
};

void check_handshake(std::uint8_t type_octet, std::string_view input) {
  const auto our_type = static_cast<socket_type>(type_octet % 11U);
  zmtp::connection_config c;
  c.type = our_type;
  c.peer_address = std::string(peer_address);
  sink s;
  zmtp::connection conn(c, std::make_unique<zmtp::null_mechanism>(), s);
  zmtp::output_batch out;
  const auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours{1};
  conn.start(out, now);
  const std::string stream =
      greeting("NULL") + frame(command_body("READY", input), true) + frame("after", false);
  FUZZ_REQUIRE(conn.feed(zmtp::as_bytes(stream), now) == stream.size() || s.failed);
  out.clear();

  // A READY above the pre-handshake frame cap is refused before it is parsed.
  if (6 + input.size() > c.handshake_max_frame) {
    FUZZ_REQUIRE(s.failed && !s.handshake);
    return;
  }
  // The outcome the rfc and libzmq predict.
  std::vector<property_ref> props;
  bool expect_ok = parse_metadata_ref(input, props) && within_peer_bounds(props);
  std::optional<socket_type> peer_type;
  std::optional<std::string> identity;
  std::vector<property_ref> app;
  for (const auto& p : props) {
    if (same_name(p.name, "Socket-Type")) {
      const auto t = socket_type_from_string(p.value);
      if (!t || !compatible(our_type, *t)) expect_ok = false;
      if (!peer_type) peer_type = t;
    } else if (same_name(p.name, "Identity")) {
      if (p.value.size() > 255) expect_ok = false;
      if (!identity) identity = p.value;
    } else if (p.name.size() >= 2 && lower_ascii(p.name[0]) == 'x' && p.name[1] == '-') {
      app.push_back(p);
    }
  }
  FUZZ_REQUIRE(s.handshake == expect_ok);
  FUZZ_REQUIRE(s.failed == !expect_ok);
  if (!expect_ok) {
    FUZZ_REQUIRE(s.error.kind == zmtp::error_kind::protocol &&
                 s.error.code == zmtp::protocol_code::zmtp_invalid_metadata);
    FUZZ_REQUIRE(s.messages.empty());
    return;
  }
  FUZZ_REQUIRE(s.info.peer_type == peer_type);
  FUZZ_REQUIRE(s.info.peer_routing_id == identity.value_or(""));
  std::vector<property_ref> want;
  if (peer_type) want.push_back({"Socket-Type", std::string(to_string(*peer_type))});
  if (identity) want.push_back({"Identity", *identity});
  want.push_back({"Peer-Address", std::string(peer_address)});
  want.insert(want.end(), app.begin(), app.end());
  std::vector<property_ref> got;
  for (const auto& [n, v] : s.info.meta->properties()) got.push_back({n, v});
  FUZZ_REQUIRE(got == want);
  // The data frame after READY carries the same set (PUB and XPUB take data as subscriptions).
  if (our_type != socket_type::pub && our_type != socket_type::xpub) {
    FUZZ_REQUIRE(s.messages.size() == 1 && s.messages[0].view() == "after");
    FUZZ_REQUIRE(detail::message_access::meta(s.messages[0]) == s.info.meta.get());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  check_codec(input);
  check_round_trip(input);
  check_names(input);
  std::vector<property_ref> props;
  parse_metadata_ref(input, props);
  check_metadata_set(props);
  check_handshake(data[0], input);
  return 0;
}
