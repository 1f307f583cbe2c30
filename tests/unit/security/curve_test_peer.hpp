// An independent CurveZMQ implementation for tests (rfc 26 with libzmq's layouts, notes
// 2.1), written straight on libsodium and sharing no code with lib/security: it builds the
// commands a correct peer would send, opens the ones the mechanism under test produced, and
// lets tests corrupt anything on the way. Bodies are command bodies (name-len name data)
// held in std::string; frames are added by the caller (zmtp_test_util.hpp).
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ringmq::test::curve {

using key = std::array<unsigned char, 32>;

inline void init_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("sodium_init failed");
}

struct keypair {
  key pub{};
  key sec{};
  static keypair make() {
    init_sodium();
    keypair k;
    crypto_box_keypair(k.pub.data(), k.sec.data());
    return k;
  }
  // Deterministic pair from a seed byte (fixed keys for the fuzzer and known-answer tests).
  static keypair from_seed(unsigned char seed) {
    init_sodium();
    keypair k;
    unsigned char s[crypto_box_SEEDBYTES];
    std::memset(s, seed, sizeof s);
    crypto_box_seed_keypair(k.pub.data(), k.sec.data(), s);
    return k;
  }
  static keypair from_secret(const key& secret) {
    init_sodium();
    keypair k;
    k.sec = secret;
    crypto_scalarmult_base(k.pub.data(), k.sec.data());
    return k;
  }
};

inline std::string str(const key& k) { return {reinterpret_cast<const char*>(k.data()), k.size()}; }
inline key key_of(std::string_view s) {
  key k{};
  if (s.size() == k.size()) std::memcpy(k.data(), s.data(), k.size());
  return k;
}

inline std::string be64(std::uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xffU);
    v >>= 8U;
  }
  return s;
}
inline std::uint64_t get_be64(std::string_view s) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8U) | static_cast<unsigned char>(s[i]);
  return v;
}

// A 24-byte nonce: prefix (16 or 8 octets) and tail.
inline std::array<unsigned char, 24> nonce(std::string_view prefix, std::string_view tail) {
  std::array<unsigned char, 24> n{};
  std::memcpy(n.data(), prefix.data(), prefix.size());
  std::memcpy(n.data() + prefix.size(), tail.data(), tail.size());
  return n;
}

inline const unsigned char* u(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
inline unsigned char* u(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Box[plain](sender sk -> receiver pk): MAC(16) ciphertext.
inline std::string box(std::string_view plain, const std::array<unsigned char, 24>& n, const key& pk,
                       const key& sk) {
  std::string out(plain.size() + crypto_box_MACBYTES, '\0');
  if (crypto_box_easy(u(out), u(plain), plain.size(), n.data(), pk.data(), sk.data()) != 0)
    throw std::runtime_error("crypto_box_easy: weak key");
  return out;
}
inline std::optional<std::string> open(std::string_view c, const std::array<unsigned char, 24>& n,
                                       const key& pk, const key& sk) {
  if (c.size() < crypto_box_MACBYTES) return std::nullopt;
  std::string out(c.size() - crypto_box_MACBYTES, '\0');
  if (crypto_box_open_easy(u(out), u(c), c.size(), n.data(), pk.data(), sk.data()) != 0) return std::nullopt;
  return out;
}
inline std::string box_k(std::string_view plain, const std::array<unsigned char, 24>& n, const key& k) {
  std::string out(plain.size() + crypto_box_MACBYTES, '\0');
  crypto_box_easy_afternm(u(out), u(plain), plain.size(), n.data(), k.data());
  return out;
}
inline std::optional<std::string> open_k(std::string_view c, const std::array<unsigned char, 24>& n,
                                         const key& k) {
  if (c.size() < crypto_box_MACBYTES) return std::nullopt;
  std::string out(c.size() - crypto_box_MACBYTES, '\0');
  if (crypto_box_open_easy_afternm(u(out), u(c), c.size(), n.data(), k.data()) != 0) return std::nullopt;
  return out;
}
inline key beforenm(const key& pk, const key& sk) {
  key k{};
  if (crypto_box_beforenm(k.data(), pk.data(), sk.data()) != 0)
    throw std::runtime_error("beforenm: weak key");
  return k;
}
inline std::string random_bytes(std::size_t n) {
  std::string s(n, '\0');
  randombytes_buf(s.data(), n);
  return s;
}

// MESSAGE body with `flags` (bit 0 MORE, bit 1 COMMAND) and short nonce `n`.
inline std::string message_body(std::string_view payload, unsigned char flags, std::uint64_t n, const key& k,
                                bool from_client) {
  const std::string nb = be64(n);
  const std::string plain = std::string(1, static_cast<char>(flags)) + std::string(payload);
  return "\x07MESSAGE" + nb +
         box_k(plain, nonce(from_client ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES", nb), k);
}
struct opened_message {
  std::uint64_t nonce = 0;
  unsigned char flags = 0;
  std::string payload;
};
inline std::optional<opened_message> open_message(std::string_view body, const key& k, bool from_client) {
  if (body.size() < 33 || body.substr(0, 8) != "\x07MESSAGE") return std::nullopt;
  const std::string_view nb = body.substr(8, 8);
  auto plain = open_k(body.substr(16), nonce(from_client ? "CurveZMQMESSAGEC" : "CurveZMQMESSAGES", nb), k);
  if (!plain || plain->empty()) return std::nullopt;
  return opened_message{get_be64(nb), static_cast<unsigned char>((*plain)[0]), plain->substr(1)};
}

// The test acting as a CURVE client.
struct client_peer {
  keypair longterm;
  keypair transient = keypair::make();
  key server{};
  key server_transient{};
  key session{};
  std::string cookie;
  std::uint64_t next_nonce = 1;

  client_peer(keypair lt, const key& server_public) : longterm(lt), server(server_public) {}

  std::string hello() {
    const std::string nb = be64(next_nonce++);
    std::string body("\x05HELLO");
    body += '\x01';
    body += '\x00';
    body += std::string(72, '\0');
    body += str(transient.pub);
    body += nb;
    body += box(std::string(64, '\0'), nonce("CurveZMQHELLO---", nb), server, transient.sec);
    return body;
  }
  // Opens WELCOME; false if it does not open.
  bool welcome(std::string_view body) {
    if (body.size() != 168 || body.substr(0, 8) != "\x07WELCOME") return false;
    auto plain = open(body.substr(24), nonce("WELCOME-", body.substr(8, 16)), server, transient.sec);
    if (!plain) return false;
    server_transient = key_of(plain->substr(0, 32));
    cookie = plain->substr(32, 96);
    session = beforenm(server_transient, transient.sec);
    return true;
  }
  // vouch = Box[C' S](C -> S'); the parts may be overridden to forge a bad one.
  std::string vouch(const std::string& vouch_nonce, const key* transient_in_vouch = nullptr,
                    const key* server_in_vouch = nullptr, const keypair* signer = nullptr) const {
    const std::string plain = str(transient_in_vouch ? *transient_in_vouch : transient.pub) +
                              str(server_in_vouch ? *server_in_vouch : server);
    const keypair& by = signer ? *signer : longterm;
    return box(plain, nonce("VOUCH---", vouch_nonce), server_transient, by.sec);
  }
  // A forged vouch comes with the nonce it was made with.
  struct forged_vouch {
    std::string nonce_tail;
    std::string box;
  };
  forged_vouch forge(const key* transient_in_vouch, const key* server_in_vouch, const keypair* signer) const {
    forged_vouch f{random_bytes(16), {}};
    f.box = vouch(f.nonce_tail, transient_in_vouch, server_in_vouch, signer);
    return f;
  }
  std::string initiate(std::string_view metadata, const forged_vouch* forged = nullptr,
                       const key* claimed_client = nullptr) {
    const std::string vn = forged ? forged->nonce_tail : random_bytes(16);
    const std::string v = forged ? forged->box : vouch(vn);
    const std::string plain =
        str(claimed_client ? *claimed_client : longterm.pub) + vn + v + std::string(metadata);
    const std::string nb = be64(next_nonce++);
    return "\x08INITIATE" + cookie + nb + box_k(plain, nonce("CurveZMQINITIATE", nb), session);
  }
  std::optional<std::string> ready(std::string_view body) const {
    if (body.size() < 30 || body.substr(0, 6) != "\x05READY") return std::nullopt;
    return open_k(body.substr(14), nonce("CurveZMQREADY---", body.substr(6, 8)), session);
  }
  std::string message(std::string_view payload, unsigned char flags = 0) {
    return message_body(payload, flags, next_nonce++, session, true);
  }
};

// The test acting as a CURVE server.
struct server_peer {
  keypair longterm;
  keypair transient = keypair::make();
  key client_transient{};
  key client{};
  key session{};
  std::uint64_t next_nonce = 1;

  explicit server_peer(keypair lt) : longterm(lt) {}

  bool hello(std::string_view body) {
    if (body.size() != 200 || body.substr(0, 6) != "\x05HELLO") return false;
    client_transient = key_of(body.substr(80, 32));
    auto plain = open(body.substr(120), nonce("CurveZMQHELLO---", body.substr(112, 8)), client_transient,
                      longterm.sec);
    if (!plain || *plain != std::string(64, '\0')) return false;
    session = beforenm(client_transient, transient.sec);
    return true;
  }
  // cookie: any 96 octets the client must echo.
  std::string welcome(const std::string& cookie) const {
    const std::string ln = random_bytes(16);
    return "\x07WELCOME" + ln +
           box(str(transient.pub) + cookie, nonce("WELCOME-", ln), client_transient, longterm.sec);
  }
  struct initiate_content {
    std::string cookie;
    std::uint64_t nonce = 0;
    key client{};
    std::string vouch_plain;  // C' S as the vouch holds them
    std::string metadata;
  };
  std::optional<initiate_content> initiate(std::string_view body) {
    if (body.size() < 257 || body.substr(0, 9) != "\x08INITIATE") return std::nullopt;
    auto plain = open_k(body.substr(113), nonce("CurveZMQINITIATE", body.substr(105, 8)), session);
    if (!plain || plain->size() < 128) return std::nullopt;
    initiate_content c;
    c.cookie = std::string(body.substr(9, 96));
    c.nonce = get_be64(body.substr(105, 8));
    c.client = key_of(plain->substr(0, 32));
    auto v = open(plain->substr(48, 80), nonce("VOUCH---", plain->substr(32, 16)), c.client, transient.sec);
    if (!v) return std::nullopt;
    c.vouch_plain = *v;
    c.metadata = plain->substr(128);
    client = c.client;
    return c;
  }
  std::string ready(std::string_view metadata) {
    const std::string nb = be64(next_nonce++);
    return "\x05READY" + nb + box_k(metadata, nonce("CurveZMQREADY---", nb), session);
  }
  std::string message(std::string_view payload, unsigned char flags = 0) {
    return message_body(payload, flags, next_nonce++, session, false);
  }
};

}  // namespace ringmq::test::curve
