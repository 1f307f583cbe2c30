#include "security/curve_client.hpp"

#include "security/curve_constants.hpp"
#include "security/curve_keys.hpp"
#include "zmtp/wire.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ringmq::security {

namespace {

using zmtp::protocol_code::zmtp_cryptographic;

const unsigned char* u8(const std::byte* p) noexcept { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* u8(std::byte* p) noexcept { return reinterpret_cast<unsigned char*>(p); }

void nonce_of(unsigned char* nonce, std::string_view prefix, const void* tail,
              std::size_t tail_size) noexcept {
  std::memcpy(nonce, prefix.data(), prefix.size());
  std::memcpy(nonce + prefix.size(), tail, tail_size);
}

bool starts_with(zmtp::bytes body, std::string_view name) noexcept {
  return body.size() >= name.size() && std::memcmp(body.data(), name.data(), name.size()) == 0;
}

constexpr unsigned char zeros[curve::hello_plain] = {};

}  // namespace

curve_client::curve_client(std::string_view server_key, std::string_view public_key,
                           std::string_view secret_key) {
  if (server_key.size() != curve::key_bytes || secret_key.size() != curve::key_bytes) return;
  if (!public_key.empty() && public_key.size() != curve::key_bytes) return;
  std::memcpy(server_key_, server_key.data(), curve::key_bytes);
  std::memcpy(secrets_.key(long_term_secret), secret_key.data(), curve::key_bytes);
  if (public_key.empty())
    curve_public_from_secret(secrets_.key(long_term_secret), public_key_);
  else
    std::memcpy(public_key_, public_key.data(), curve::key_bytes);
  have_keys_ = true;
}

curve_client::~curve_client() = default;

void curve_client::fail(zmtp::handshake_step& step, int code, std::string text) {
  state_ = state::failed;
  step.error = zmtp::make_protocol_error(code, std::move(text));
}

void curve_client::start(const zmtp::handshake_context& ctx, zmtp::handshake_step& step) {
  our_properties_ = ctx.our_properties;
  if (!have_keys_) {
    state_ = state::failed;
    step.error = zmtp::make_errno_error(EINVAL, "CURVE client needs CURVE_SERVERKEY and CURVE_SECRETKEY");
    return;
  }
  crypto_box_keypair(transient_public_, secrets_.key(transient_secret));

  // HELLO = name, version 1.0, 72 zeros, C', nonce(8), Box[64 zeros](C' -> S).
  message hello(curve::hello_size);
  auto* h = static_cast<std::byte*>(hello.data());
  std::memset(h, 0, curve::hello_size);
  std::memcpy(h, curve::hello_name.data(), curve::hello_name.size());
  h[curve::hello_version] = std::byte{1};
  std::memcpy(h + curve::hello_client_key, transient_public_, curve::key_bytes);
  zmtp::put_u64(h + curve::hello_nonce, send_nonce_++);
  unsigned char nonce[curve::nonce_bytes];
  nonce_of(nonce, curve::hello_nonce_prefix, h + curve::hello_nonce, curve::short_nonce_bytes);
  if (crypto_box_easy(u8(h + curve::hello_box), zeros, sizeof zeros, nonce, server_key_,
                      secrets_.key(transient_secret)) != 0) {
    fail(step, zmtp_cryptographic, "CURVE_SERVERKEY is a weak key");
    return;
  }
  step.commands.push_back(std::move(hello));
}

void curve_client::process_command(zmtp::bytes body, zmtp::handshake_step& step) {
  switch (state_) {
    case state::expect_welcome: on_welcome(body, step); return;
    case state::expect_ready: on_ready(body, step); return;
    case state::connected:
    case state::failed: break;
  }
  fail(step, zmtp::protocol_code::zmtp_unexpected_command, "unexpected command during the CURVE handshake");
}

void curve_client::on_welcome(zmtp::bytes body, zmtp::handshake_step& step) {
  if (!starts_with(body, curve::welcome_name)) {
    fail(step, zmtp::protocol_code::zmtp_unexpected_command, "expected WELCOME");
    return;
  }
  if (body.size() != curve::welcome_size) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_welcome, "WELCOME is not 168 octets");
    return;
  }
  const std::byte* w = body.data();
  unsigned char nonce[curve::nonce_bytes];
  nonce_of(nonce, curve::welcome_nonce_prefix, w + curve::welcome_nonce, curve::long_nonce_bytes);
  // Box[S' cookie](S -> C'): only the holder of the server key we were given can make it.
  unsigned char plain[curve::welcome_plain];
  if (crypto_box_open_easy(plain, u8(w + curve::welcome_box), curve::welcome_plain + curve::mac_bytes, nonce,
                           server_key_, secrets_.key(transient_secret)) != 0) {
    fail(step, zmtp_cryptographic, "cannot open the WELCOME box (wrong server key?)");
    return;
  }
  const unsigned char* server_transient = plain;
  const unsigned char* cookie = plain + curve::key_bytes;
  if (crypto_box_beforenm(secrets_.key(session_key), server_transient, secrets_.key(transient_secret)) != 0) {
    fail(step, zmtp_cryptographic, "server transient key is a weak key");
    return;
  }
  secrets_.wipe(transient_secret);

  // vouch = Box[C' S](C -> S'), with a random long nonce.
  unsigned char vouch_nonce_tail[curve::long_nonce_bytes];
  randombytes_buf(vouch_nonce_tail, sizeof vouch_nonce_tail);
  unsigned char vouch_plain[curve::vouch_plain];
  std::memcpy(vouch_plain, transient_public_, curve::key_bytes);
  std::memcpy(vouch_plain + curve::key_bytes, server_key_, curve::key_bytes);
  unsigned char vouch[curve::vouch_size];
  nonce_of(nonce, curve::vouch_nonce_prefix, vouch_nonce_tail, curve::long_nonce_bytes);
  const int vouched = crypto_box_easy(vouch, vouch_plain, sizeof vouch_plain, nonce, server_transient,
                                      secrets_.key(long_term_secret));
  secrets_.wipe(long_term_secret);
  if (vouched != 0) {
    fail(step, zmtp_cryptographic, "server transient key is a weak key");
    return;
  }

  // INITIATE = name, cookie(96), nonce(8), Box[C vouch-nonce vouch metadata](C' -> S').
  const std::size_t m = our_properties_.size();
  message initiate(curve::initiate_min_size + m);
  auto* out = static_cast<std::byte*>(initiate.data());
  std::memcpy(out, curve::initiate_name.data(), curve::initiate_name.size());
  std::memcpy(out + curve::initiate_cookie, cookie, curve::cookie_size);
  zmtp::put_u64(out + curve::initiate_nonce, send_nonce_++);
  auto* p = u8(out + curve::initiate_box + curve::mac_bytes);  // boxed in place
  std::memcpy(p, public_key_, curve::key_bytes);
  std::memcpy(p + curve::key_bytes, vouch_nonce_tail, curve::long_nonce_bytes);
  std::memcpy(p + curve::key_bytes + curve::long_nonce_bytes, vouch, curve::vouch_size);
  if (m != 0) std::memcpy(p + curve::initiate_fixed_plain, our_properties_.data(), m);
  nonce_of(nonce, curve::initiate_nonce_prefix, out + curve::initiate_nonce, curve::short_nonce_bytes);
  crypto_box_easy_afternm(u8(out + curve::initiate_box), p, curve::initiate_fixed_plain + m, nonce,
                          secrets_.key(session_key));
  step.commands.push_back(std::move(initiate));
  state_ = state::expect_ready;
}

void curve_client::on_ready(zmtp::bytes body, zmtp::handshake_step& step) {
  if (!starts_with(body, curve::ready_name)) {
    fail(step, zmtp::protocol_code::zmtp_unexpected_command, "expected READY");
    return;
  }
  const std::size_t size = body.size();
  if (size < curve::ready_min_size || size - curve::ready_min_size > curve::max_metadata) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_ready, "READY size out of bounds");
    return;
  }
  const std::byte* r = body.data();
  unsigned char nonce[curve::nonce_bytes];
  nonce_of(nonce, curve::ready_nonce_prefix, r + curve::ready_nonce, curve::short_nonce_bytes);
  std::string metadata(size - curve::ready_min_size, '\0');  // sized from the command
  if (crypto_box_open_easy_afternm(reinterpret_cast<unsigned char*>(metadata.data()),
                                   u8(r + curve::ready_box), size - curve::ready_box, nonce,
                                   secrets_.key(session_key)) != 0) {
    fail(step, zmtp_cryptographic, "cannot open the READY box");
    return;
  }
  codec_.start(secrets_.key(session_key), secrets_.key(codec_subkeys), send_nonce_,
               zmtp::get_u64(r + curve::ready_nonce));
  step.peer_properties = std::move(metadata);
  state_ = state::connected;
  step.complete = true;
}

}  // namespace ringmq::security
