// Shared socket flags of the CLI (see socket_config.hpp).
#include "socket_config.hpp"

#include "cli_error.hpp"

#include <ringmq/error.hpp>
#include <ringmq/options.hpp>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <system_error>

namespace ringmq_cli {
namespace {

// The socket type flags: --push, --pull, ... (the names libzmq's types have).
constexpr ringmq::socket_type type_flags[] = {
    ringmq::socket_type::push,   ringmq::socket_type::pull,   ringmq::socket_type::pub,
    ringmq::socket_type::sub,    ringmq::socket_type::req,    ringmq::socket_type::rep,
    ringmq::socket_type::dealer, ringmq::socket_type::router, ringmq::socket_type::pair,
    ringmq::socket_type::xpub,   ringmq::socket_type::xsub,
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_z85_key(std::string_view text) {
  if (text.size() != 40) return false;
  const auto bytes = ringmq::z85_decode(text);
  return bytes && bytes->size() == 32;
}

// A key argument: 40 Z85 characters, or a certificate file (czmq/pyzmq format). `secret`
// asks for the secret key (the file must be a ".key_secret" certificate), else the public one.
std::string curve_key_arg(std::string_view option, const std::string& arg, bool secret) {
  if (is_z85_key(arg)) return arg;
  ringmq::curve_certificate cert;
  try {
    cert = ringmq::load_curve_certificate(arg);
  } catch (const std::exception& e) {
    throw failure("--" + std::string(option) + " " + arg +
                  ": not a Z85 key (40 characters) nor a certificate (" + e.what() + ")");
  }
  if (!secret) return cert.public_key;
  if (cert.secret_key.empty())
    throw failure("--" + std::string(option) + " " + arg +
                  ": the certificate has no secret key (give the .key_secret file)");
  return cert.secret_key;
}

}  // namespace

ringmq::socket_type parse_socket_type(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto t = ringmq::socket_type_from_string(upper)) return *t;
  throw usage_error("unknown socket type '" + std::string(name) +
                    "' (push, pull, pub, sub, req, rep, dealer, router, pair, xpub, xsub)");
}

bool socket_config::parse(arg_reader& args) {
  for (const ringmq::socket_type t : type_flags) {
    if (args.flag(lower(ringmq::to_string(t)))) {
      type = t;
      return true;
    }
  }
  if (auto v = args.value("type", 't')) {
    type = parse_socket_type(*v);
  } else if (auto b = args.value("bind", 'b')) {
    endpoints.push_back({true, *b});
  } else if (auto c = args.value("connect", 'c')) {
    endpoints.push_back({false, *c});
  } else if (auto s = args.value("subscribe", 's')) {
    subscriptions.push_back(*s);
  } else if (auto id = args.value("identity", 'i')) {
    identity = *id;
  } else if (auto h = args.value("hwm")) {
    const auto n = parse_count("hwm", *h);
    if (n > 1'000'000'000) throw usage_error("--hwm: too large");
    hwm = static_cast<int>(n);
  } else if (args.flag("verbose", 'v')) {
    verbose = true;
  } else if (auto k = args.value("curve-server")) {
    curve_server = *k;
  } else if (auto k2 = args.value("curve-client")) {
    curve_client = *k2;
  } else if (auto k3 = args.value("curve-serverkey")) {
    curve_serverkey = *k3;
  } else if (auto k4 = args.value("curve-allow")) {
    curve_allow.push_back(*k4);
  } else if (auto u = args.value("plain-user")) {
    plain_user = *u;
  } else if (auto p = args.value("plain-password")) {
    plain_password = *p;
  } else if (args.flag("plain-server")) {
    plain_server = true;
  } else {
    return false;
  }
  return true;
}

configured_socket make_socket(ringmq::context& ctx, const socket_config& config, ringmq::socket_type type) {
  if (config.curve_server && (config.curve_client || config.curve_serverkey))
    throw usage_error("--curve-server cannot be combined with --curve-client/--curve-serverkey");
  if (config.curve_client && !config.curve_serverkey)
    throw usage_error("--curve-client needs --curve-serverkey (the server's public key)");
  if (!config.curve_allow.empty() && !config.curve_server)
    throw usage_error("--curve-allow needs --curve-server");
  if ((config.plain_user.has_value() != config.plain_password.has_value()))
    throw usage_error("--plain-user and --plain-password go together");
  if (config.plain_server && !config.plain_user)
    throw usage_error("--plain-server needs --plain-user and --plain-password (the accepted credentials)");
  if (config.plain_user && (config.curve_server || config.curve_serverkey))
    throw usage_error("choose CURVE or PLAIN, not both");
  if (!config.subscriptions.empty() && type != ringmq::socket_type::sub)
    throw usage_error("--subscribe needs a SUB socket");

  configured_socket out;
  // The authenticator answers ZAP for the whole context: it must exist before a handshake.
  if (!config.curve_allow.empty() || config.plain_server)
    out.auth = std::make_unique<ringmq::authenticator>(ctx);
  out.sock = ringmq::socket(ctx, type);
  ringmq::socket& s = out.sock;
  if (config.hwm) {
    s.set(ringmq::opt::sndhwm, *config.hwm);
    s.set(ringmq::opt::rcvhwm, *config.hwm);
  }
  if (config.identity) s.set(ringmq::opt::routing_id, *config.identity);
  if (type == ringmq::socket_type::sub) {
    // A SUB without --subscribe takes everything, as zmqc and nngcat do.
    if (config.subscriptions.empty()) s.set(ringmq::opt::subscribe, "");
    for (const auto& topic : config.subscriptions) s.set(ringmq::opt::subscribe, topic);
  }
  if (config.curve_server) {
    s.set(ringmq::opt::curve_server, true);
    s.set(ringmq::opt::curve_secretkey, curve_key_arg("curve-server", *config.curve_server, true));
    std::vector<std::string> allowed;
    for (const auto& a : config.curve_allow) {
      std::error_code ec;
      if (std::filesystem::is_directory(a, ec)) {
        for (auto& k : ringmq::load_curve_public_keys(a)) allowed.push_back(std::move(k));
      } else {
        allowed.push_back(curve_key_arg("curve-allow", a, false));
      }
    }
    // An empty allow list refuses everyone, which --curve-allow of an empty directory means.
    if (out.auth) out.auth->allow_curve_keys("*", allowed);
  }
  if (config.curve_serverkey) {
    s.set(ringmq::opt::curve_serverkey, curve_key_arg("curve-serverkey", *config.curve_serverkey, false));
    ringmq::curve_keypair own;
    if (config.curve_client) {
      own.secret_key = curve_key_arg("curve-client", *config.curve_client, true);
      own.public_key = ringmq::curve_public_key(own.secret_key);
    } else {
      own = ringmq::generate_curve_keypair();  // the server then knows the client by a fresh key
    }
    s.set(ringmq::opt::curve_publickey, own.public_key);
    s.set(ringmq::opt::curve_secretkey, own.secret_key);
  }
  if (config.plain_server) {
    s.set(ringmq::opt::plain_server, true);
    out.auth->configure_plain("*", {{*config.plain_user, *config.plain_password}});
  } else if (config.plain_user) {
    s.set(ringmq::opt::plain_username, *config.plain_user);
    s.set(ringmq::opt::plain_password, *config.plain_password);
  }
  return out;
}

void attach_endpoints(ringmq::socket& sock, const socket_config& config) {
  if (config.endpoints.empty()) throw usage_error("no endpoint: give --bind ENDPOINT or --connect ENDPOINT");
  for (const auto& e : config.endpoints) {
    if (e.bind)
      sock.bind(e.endpoint);
    else
      sock.connect(e.endpoint);
    if (config.verbose)
      std::fprintf(stderr, "ringmq: %s %s\n", e.bind ? "bound" : "connecting to",
                   sock.last_endpoint().c_str());
  }
}

}  // namespace ringmq_cli
