// socket_config: the socket flags every socket-using command shares (type, --bind/--connect,
// --subscribe, --identity, --hwm, CURVE and PLAIN), parsed from the command line and applied
// to a new socket. Owned by the command's thread.
#pragma once

#include "arg_reader.hpp"

#include <ringmq/context.hpp>
#include <ringmq/security.hpp>
#include <ringmq/socket.hpp>
#include <ringmq/socket_type.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ringmq_cli {

struct endpoint_action {
  bool bind;
  std::string endpoint;
};

struct socket_config {
  std::optional<ringmq::socket_type> type;
  std::vector<endpoint_action> endpoints;
  std::vector<std::string> subscriptions;
  std::optional<std::string> identity;
  std::optional<int> hwm;
  bool verbose = false;
  // CURVE: each a Z85 key or a certificate file (see curve_key_arg in socket_config.cpp).
  std::optional<std::string> curve_server;     // server: its secret key
  std::optional<std::string> curve_client;     // client: its own secret key (else a fresh pair)
  std::optional<std::string> curve_serverkey;  // client: the server's public key
  std::vector<std::string> curve_allow;        // server: client keys, certificates or directories
  // PLAIN: a client's credentials, or with plain_server the only ones a server accepts.
  std::optional<std::string> plain_user;
  std::optional<std::string> plain_password;
  bool plain_server = false;

  // Consumes the argument at hand when it is one of these flags; false otherwise.
  bool parse(arg_reader& args);
};

// The socket and what must outlive its handshakes (the authenticator). Declare it after the
// context so that it is destroyed first.
struct configured_socket {
  std::unique_ptr<ringmq::authenticator> auth;
  ringmq::socket sock;
};

// Creates a socket of `type` with every option of `config`, but does not bind or connect
// (so that a monitor can be started first). Throws failure/usage_error/ringmq::error.
configured_socket make_socket(ringmq::context& ctx, const socket_config& config, ringmq::socket_type type);
// Binds and connects as the command line said, in its order; with verbose, prints each
// resolved endpoint on stderr ("ringmq: bound tcp://127.0.0.1:41873").
void attach_endpoints(ringmq::socket& sock, const socket_config& config);

// "push", "PUSH", ... -> the type; a usage error otherwise.
ringmq::socket_type parse_socket_type(std::string_view name);

}  // namespace ringmq_cli
