// Security helpers: Z85 text (rfc 32), CURVE key pairs, CURVE certificate files (czmq's zcert
// text format, as pyzmq's zmq.auth writes and reads them) and a built-in ZAP (rfc 27)
// authenticator, so that a CURVE or PLAIN server needs no hand-written ZAP handler.
//
// Using CURVE: a server sets curve_server and curve_secretkey; a client sets curve_serverkey
// (the server's public key), curve_publickey and curve_secretkey. Keys are 32 bytes or 40 Z85
// characters. Without an authenticator (or another ZAP handler) a CURVE server accepts every
// client that knows its public key, as libzmq does; with one, only the clients it allows.
#pragma once

#include <ringmq/export.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ringmq {

class context;

// ---- Z85 (rfc 32) ------------------------------------------------------------------------

// Z85 text of `data`; empty when data.size() is not a multiple of 4.
RINGMQ_API std::optional<std::string> z85_encode(std::span<const std::byte> data);
// The bytes of Z85 `text`; empty when its length is not a multiple of 5 or it holds a
// character outside the Z85 alphabet (or a 5-character group above 2^32-1).
RINGMQ_API std::optional<std::vector<std::byte>> z85_decode(std::string_view text);

// ---- CURVE keys --------------------------------------------------------------------------

struct curve_keypair {
  std::string public_key;  // 40 Z85 characters
  std::string secret_key;  // 40 Z85 characters
};

// A fresh long-term key pair (libzmq zmq_curve_keypair, pyzmq zmq.curve_keypair).
RINGMQ_API curve_keypair generate_curve_keypair();
// The public key (40 Z85 characters) of `secret_key`, given as 40 Z85 characters (or 41
// with a trailing NUL) or 32 bytes (zmq_curve_public). Throws ringmq::error
// (errc::invalid_option_value) when it is neither.
RINGMQ_API std::string curve_public_key(std::string_view secret_key);

// ---- CURVE certificates (czmq zcert / pyzmq zmq.auth.certs format) ------------------------

struct curve_certificate {
  std::string public_key;  // 40 Z85 characters
  std::string secret_key;  // 40 Z85 characters; empty in a public certificate
  std::map<std::string, std::string> metadata;
};

struct curve_certificate_files {
  std::filesystem::path public_file;  // "<name>.key": the public key only
  std::filesystem::path secret_file;  // "<name>.key_secret": both keys, mode 0600
};

// Creates a new key pair and writes it as "<name>.key" and "<name>.key_secret" in
// `directory` (pyzmq zmq.auth.create_certificates). Throws std::system_error on I/O errors.
RINGMQ_API curve_certificate_files
create_curve_certificates(const std::filesystem::path& directory, std::string_view name,
                          const std::map<std::string, std::string>& metadata = {});
// Reads one certificate file. Throws std::system_error when the file cannot be read, and
// ringmq::error (errc::invalid_option_value) when it holds no valid public key or a bad
// secret key.
RINGMQ_API curve_certificate load_curve_certificate(const std::filesystem::path& file);
// The public keys of every "*.key" file in `directory` (pyzmq zmq.auth.load_certificates);
// files without a valid public key are skipped. Throws std::system_error when the directory
// cannot be read.
RINGMQ_API std::vector<std::string> load_curve_public_keys(const std::filesystem::path& directory);

// ---- Authenticator -----------------------------------------------------------------------

// configure_curve(domain, curve_allow_any): accept every CURVE client key (pyzmq's
// zmq.auth.CURVE_ALLOW_ANY). Connections are still encrypted.
inline constexpr std::string_view curve_allow_any = "*";

// A ZAP handler bound at inproc://zeromq.zap.01 in a context, answering on a thread of its
// own the requests of every CURVE, PLAIN and ZAP_DOMAIN-NULL server socket of that context.
// Its policy is pyzmq's zmq.auth.Authenticator:
//  - addresses: with an allow list, only listed peer addresses get further; with a deny
//    list, listed addresses are refused (one or the other, not both);
//  - NULL: accepted unless the address was refused;
//  - PLAIN: the username and password must match configure_plain() for the request's ZAP
//    domain (an empty domain is "*"); User-Id is the username;
//  - CURVE: any key after configure_curve(_, curve_allow_any); otherwise the client's key
//    must be among those given for the domain (configure_curve with a certificate
//    directory, allow_curve_keys, or a callback); User-Id is the key in Z85;
//  - refusals are status "400" with a reason; the client then stops reconnecting.
// Every change applies to connections authenticated after it returns, while it runs.
//
// Thread-safe: configure from any thread. Destroy it before its context (destruction joins
// the thread and closes the handler socket).
class RINGMQ_API authenticator {
 public:
  using curve_callback = std::function<bool(std::string_view domain, std::string_view z85_public_key)>;
  // Maps an accepted CURVE client's key to the User-Id its ZAP reply carries (rfc 27), which
  // received messages report as the "User-Id" property.
  using curve_user_id_fn = std::function<std::string(std::string_view z85_public_key)>;

  // Binds the handler and starts answering. Throws ringmq::error (address in use) when
  // another handler is already bound in `ctx`.
  explicit authenticator(context& ctx);
  ~authenticator();
  authenticator(const authenticator&) = delete;
  authenticator& operator=(const authenticator&) = delete;

  // Stops answering and unbinds: later handshakes of CURVE servers proceed without ZAP,
  // PLAIN servers refuse everyone. Idempotent; also done by the destructor.
  void stop() noexcept;

  // Peer addresses as ZAP reports them ("127.0.0.1", "::1"; for ipc the socket path).
  // Throws ringmq::error (errc::invalid_state) when mixing allow and deny.
  void allow(std::string_view address);
  void deny(std::string_view address);

  // PLAIN: replaces the username -> password table of `domain` ("*" for requests without a
  // domain).
  void configure_plain(std::string_view domain, std::map<std::string, std::string> passwords);

  // CURVE: `location` is a directory of certificates ("*.key" files, read now: call again
  // after changing the directory) replacing the domain's keys, or curve_allow_any.
  void configure_curve(std::string_view domain, const std::filesystem::path& location);
  // CURVE: adds client public keys (40 Z85 characters or 32 bytes each) to the domain's keys.
  // Throws ringmq::error (errc::invalid_option_value) on a malformed key.
  void allow_curve_keys(std::string_view domain, std::span<const std::string> public_keys);
  // CURVE: asks `callback` (on the authenticator's thread) about each key of `domain`.
  void configure_curve_callback(std::string_view domain, curve_callback callback);
  // CURVE: the User-Id of accepted clients, as pyzmq's Authenticator.curve_user_id. By default
  // (or with an empty function) the key's Z85 text. Called on the authenticator's thread,
  // without the policy lock held; if it throws, the client is refused.
  void set_curve_user_id(curve_user_id_fn map);

  // Requests answered so far, and how many of them were accepted.
  struct statistics {
    std::uint64_t requests = 0;
    std::uint64_t accepted = 0;
  };
  [[nodiscard]] statistics stats() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace ringmq
