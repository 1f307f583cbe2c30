#include "security/curve_server.hpp"

#include "security/curve_constants.hpp"
#include "security/curve_keys.hpp"
#include "zmtp/wire.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace ringmq::security {

namespace {

using zmtp::protocol_code::zmtp_cryptographic;

const unsigned char* u8(const std::byte* p) noexcept { return reinterpret_cast<const unsigned char*>(p); }
unsigned char* u8(std::byte* p) noexcept { return reinterpret_cast<unsigned char*>(p); }

void nonce_of(unsigned char* nonce, std::string_view prefix, const std::byte* tail,
              std::size_t tail_size) noexcept {
  std::memcpy(nonce, prefix.data(), prefix.size());
  std::memcpy(nonce + prefix.size(), tail, tail_size);
}

bool starts_with(zmtp::bytes body, std::string_view name) noexcept {
  return body.size() >= name.size() && std::memcmp(body.data(), name.data(), name.size()) == 0;
}

}  // namespace

curve_server::curve_server(std::string_view secret_key, std::string zap_domain)
    : zap_domain_(std::move(zap_domain)) {
  if (secret_key.size() == curve::key_bytes) {
    std::memcpy(secrets_.key(long_term_secret), secret_key.data(), curve::key_bytes);
    have_key_ = true;
  }
}

curve_server::~curve_server() { wipe(client_transient_, sizeof client_transient_); }

void curve_server::fail(zmtp::handshake_step& step, int code, std::string text) {
  state_ = state::failed;
  step.error = zmtp::make_protocol_error(code, std::move(text));
}

void curve_server::start(const zmtp::handshake_context& ctx, zmtp::handshake_step& step) {
  our_properties_ = ctx.our_properties;
  if (!have_key_) {
    state_ = state::failed;
    step.error = zmtp::make_errno_error(EINVAL, "CURVE server without CURVE_SECRETKEY");
  }
}

void curve_server::process_command(zmtp::bytes body, zmtp::handshake_step& step) {
  switch (state_) {
    case state::expect_hello: on_hello(body, step); return;
    case state::expect_initiate: on_initiate(body, step); return;
    case state::waiting_zap:
    case state::connected:
    case state::failed: break;
  }
  fail(step, zmtp::protocol_code::zmtp_unexpected_command, "unexpected command during the CURVE handshake");
}

void curve_server::on_hello(zmtp::bytes body, zmtp::handshake_step& step) {
  if (!starts_with(body, curve::hello_name)) {
    fail(step, zmtp::protocol_code::zmtp_unexpected_command, "expected HELLO");
    return;
  }
  if (body.size() != curve::hello_size) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_hello, "HELLO is not 200 octets");
    return;
  }
  const std::byte* h = body.data();
  if (h[curve::hello_version] != std::byte{1} || h[curve::hello_version + 1] != std::byte{0}) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_hello, "HELLO version is not 1.0");
    return;
  }
  std::memcpy(client_transient_, h + curve::hello_client_key, curve::key_bytes);
  unsigned char nonce[curve::nonce_bytes];
  nonce_of(nonce, curve::hello_nonce_prefix, h + curve::hello_nonce, curve::short_nonce_bytes);
  unsigned char signature[curve::hello_plain];
  // Box[64 zeros](C' -> S).
  if (crypto_box_open_easy(signature, u8(h + curve::hello_box), curve::hello_plain + curve::mac_bytes, nonce,
                           client_transient_, secrets_.key(long_term_secret)) != 0 ||
      sodium_is_zero(signature, sizeof signature) != 1) {
    fail(step, zmtp_cryptographic, "cannot open the HELLO box (wrong server key?)");
    return;
  }
  peer_nonce_ = zmtp::get_u64(h + curve::hello_nonce);

  // Our transient key pair, the cookie key and the session key, for this connection only.
  unsigned char transient_public[curve::key_bytes];
  crypto_box_keypair(transient_public, secrets_.key(transient_secret));
  randombytes_buf(secrets_.key(cookie_key), curve::key_bytes);
  if (crypto_box_beforenm(secrets_.key(session_key), client_transient_, secrets_.key(transient_secret)) !=
      0) {
    fail(step, zmtp_cryptographic, "client transient key is a weak key");
    return;
  }
  curve_public_from_secret(secrets_.key(long_term_secret), our_public_);

  // cookie = long nonce(16) SecretBox[C' s'](K).
  unsigned char cookie[curve::cookie_size];
  randombytes_buf(cookie, curve::long_nonce_bytes);
  unsigned char cookie_plain[curve::cookie_plain];
  std::memcpy(cookie_plain, client_transient_, curve::key_bytes);
  std::memcpy(cookie_plain + curve::key_bytes, secrets_.key(transient_secret), curve::key_bytes);
  unsigned char cookie_nonce[curve::nonce_bytes];
  nonce_of(cookie_nonce, curve::cookie_nonce_prefix, reinterpret_cast<const std::byte*>(cookie),
           curve::long_nonce_bytes);
  crypto_secretbox_easy(cookie + curve::long_nonce_bytes, cookie_plain, sizeof cookie_plain, cookie_nonce,
                        secrets_.key(cookie_key));
  wipe(cookie_plain, sizeof cookie_plain);

  // WELCOME = name, long nonce(16), Box[S' cookie](S -> C').
  message welcome(curve::welcome_size);
  auto* w = static_cast<std::byte*>(welcome.data());
  std::memcpy(w, curve::welcome_name.data(), curve::welcome_name.size());
  randombytes_buf(w + curve::welcome_nonce, curve::long_nonce_bytes);
  unsigned char plain[curve::welcome_plain];
  std::memcpy(plain, transient_public, curve::key_bytes);
  std::memcpy(plain + curve::key_bytes, cookie, curve::cookie_size);
  nonce_of(nonce, curve::welcome_nonce_prefix, w + curve::welcome_nonce, curve::long_nonce_bytes);
  const int boxed = crypto_box_easy(u8(w + curve::welcome_box), plain, sizeof plain, nonce, client_transient_,
                                    secrets_.key(long_term_secret));
  secrets_.wipe(long_term_secret);  // not needed again on this connection
  if (boxed != 0) {
    fail(step, zmtp_cryptographic, "client transient key is a weak key");
    return;
  }
  step.commands.push_back(std::move(welcome));
  state_ = state::expect_initiate;
}

void curve_server::on_initiate(zmtp::bytes body, zmtp::handshake_step& step) {
  if (!starts_with(body, curve::initiate_name)) {
    fail(step, zmtp::protocol_code::zmtp_unexpected_command, "expected INITIATE");
    return;
  }
  const std::size_t size = body.size();
  if (size < curve::initiate_min_size || size - curve::initiate_min_size > curve::max_metadata) {
    fail(step, zmtp::protocol_code::zmtp_malformed_command_initiate, "INITIATE size out of bounds");
    return;
  }
  const std::byte* in = body.data();
  const std::uint64_t nonce_value = zmtp::get_u64(in + curve::initiate_nonce);
  if (nonce_value <= peer_nonce_) {
    fail(step, zmtp::protocol_code::zmtp_invalid_sequence, "INITIATE nonce not above HELLO's");
    return;
  }

  // The cookie must be the one we sent on this connection: it holds (C', s').
  unsigned char nonce[curve::nonce_bytes];
  nonce_of(nonce, curve::cookie_nonce_prefix, in + curve::initiate_cookie, curve::long_nonce_bytes);
  unsigned char cookie_plain[curve::cookie_plain];
  const bool cookie_ok =
      crypto_secretbox_open_easy(cookie_plain, u8(in + curve::initiate_cookie + curve::long_nonce_bytes),
                                 curve::cookie_size - curve::long_nonce_bytes, nonce,
                                 secrets_.key(cookie_key)) == 0 &&
      equal_ct(cookie_plain, client_transient_, curve::key_bytes) &&
      equal_ct(cookie_plain + curve::key_bytes, secrets_.key(transient_secret), curve::key_bytes);
  wipe(cookie_plain, sizeof cookie_plain);
  if (!cookie_ok) {
    fail(step, zmtp_cryptographic, "INITIATE cookie is not ours");
    return;
  }

  // Box[C vouch-nonce vouch metadata](C' -> S'), sized from the command.
  const std::size_t box_size = size - curve::initiate_box;
  std::vector<unsigned char> plain(box_size - curve::mac_bytes);
  nonce_of(nonce, curve::initiate_nonce_prefix, in + curve::initiate_nonce, curve::short_nonce_bytes);
  if (crypto_box_open_easy_afternm(plain.data(), u8(in + curve::initiate_box), box_size, nonce,
                                   secrets_.key(session_key)) != 0) {
    fail(step, zmtp_cryptographic, "cannot open the INITIATE box");
    return;
  }
  const unsigned char* client_key = plain.data();
  // vouch = Box[C' S](C -> S'): proves the owner of C made this connection's C'.
  nonce_of(nonce, curve::vouch_nonce_prefix,
           reinterpret_cast<const std::byte*>(plain.data() + curve::key_bytes), curve::long_nonce_bytes);
  unsigned char vouch[curve::vouch_plain];
  if (crypto_box_open_easy(vouch, plain.data() + curve::key_bytes + curve::long_nonce_bytes,
                           curve::vouch_size, nonce, client_key, secrets_.key(transient_secret)) != 0) {
    fail(step, zmtp_cryptographic, "cannot open the INITIATE vouch");
    return;
  }
  if (!equal_ct(vouch, client_transient_, curve::key_bytes) ||
      !equal_ct(vouch + curve::key_bytes, our_public_, curve::key_bytes)) {
    fail(step, zmtp::protocol_code::zmtp_key_exchange, "the vouch is for another key");
    return;
  }
  peer_nonce_ = nonce_value;
  secrets_.wipe(transient_secret);
  secrets_.wipe(cookie_key);

  step.peer_properties =
      std::string(reinterpret_cast<const char*>(plain.data() + curve::initiate_fixed_plain),
                  plain.size() - curve::initiate_fixed_plain);
  // rfc 27: CURVE credentials are the client's long-term public key, 32 octets.
  step.zap = zmtp::zap_request{
      zap_domain_, {std::string(reinterpret_cast<const char*>(client_key), curve::key_bytes)}, {}, {}, {}};
  state_ = state::waiting_zap;
}

void curve_server::on_zap_reply(const zmtp::zap_reply& /*reply*/, zmtp::handshake_step& step) {
  if (state_ != state::waiting_zap) {
    fail(step, zmtp::protocol_code::zap_unspecified, "unexpected ZAP reply");
    return;
  }
  // READY = name, nonce(8), Box[metadata](S' -> C').
  const std::size_t m = our_properties_.size();
  message ready(curve::ready_min_size + m);
  auto* r = static_cast<std::byte*>(ready.data());
  std::memcpy(r, curve::ready_name.data(), curve::ready_name.size());
  zmtp::put_u64(r + curve::ready_nonce, send_nonce_++);
  std::byte* plain = r + curve::ready_box + curve::mac_bytes;
  if (m != 0) std::memcpy(plain, our_properties_.data(), m);
  unsigned char nonce[curve::nonce_bytes];
  nonce_of(nonce, curve::ready_nonce_prefix, r + curve::ready_nonce, curve::short_nonce_bytes);
  crypto_box_easy_afternm(u8(r + curve::ready_box), u8(plain), m, nonce, secrets_.key(session_key));
  step.commands.push_back(std::move(ready));
  codec_.start(secrets_.key(session_key), secrets_.key(codec_subkeys), send_nonce_, peer_nonce_);
  state_ = state::connected;
  step.complete = true;
}

}  // namespace ringmq::security
