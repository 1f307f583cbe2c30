// CURVE security with an authenticator: the server encrypts every connection (CurveZMQ,
// rfc 26) and its authenticator lets in only the clients whose public keys it trusts (ZAP,
// rfc 27), here the keys of the certificate files in a directory, as pyzmq's
// zmq.auth and czmq's zcert write them.
//
// A trusted client gets its reply, and the server sees the client's key as the message's
// User-Id. An intruder that knows the server's public key, but whose own key is not
// trusted, is refused: its monitor reports HANDSHAKE_FAILED_AUTH with ZAP status 400, and
// it stops reconnecting.
#include <ringmq/ringmq.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

int main() {
  namespace fs = std::filesystem;
  using namespace std::chrono_literals;

  // The directory of trusted client certificates (public halves only: "<name>.key").
  std::string dir_template = (fs::temp_directory_path() / "ringmq-curve-XXXXXX").string();
  const fs::path dir = ::mkdtemp(dir_template.data());
  const fs::path trusted = dir / "trusted";
  fs::create_directory(trusted);
  const auto client_files = ringmq::create_curve_certificates(dir, "client");
  fs::copy_file(client_files.public_file, trusted / client_files.public_file.filename());
  const ringmq::curve_certificate client_cert = ringmq::load_curve_certificate(client_files.secret_file);

  ringmq::context ctx;
  ringmq::authenticator auth(ctx);
  auth.configure_curve("*", trusted);  // "*": servers that set no zap_domain

  const ringmq::curve_keypair server_keys = ringmq::generate_curve_keypair();
  ringmq::socket server = ctx.socket(ringmq::socket_type::rep);
  server.set(ringmq::opt::curve_server, true);
  server.set(ringmq::opt::curve_secretkey, server_keys.secret_key);
  server.bind("tcp://127.0.0.1:*");  // "*": the kernel picks a free port
  const std::string endpoint = server.last_endpoint();

  // A CURVE client knows the server's public key and has a key pair of its own.
  auto curve_client = [&](const std::string& public_key, const std::string& secret_key) {
    ringmq::socket client = ctx.socket(ringmq::socket_type::req);
    client.set(ringmq::opt::curve_serverkey, server_keys.public_key);
    client.set(ringmq::opt::curve_publickey, public_key);
    client.set(ringmq::opt::curve_secretkey, secret_key);
    return client;
  };

  ringmq::socket client = curve_client(client_cert.public_key, client_cert.secret_key);
  client.connect(endpoint);
  client.send("hello, securely");
  const ringmq::message request = *server.recv();
  const std::string user_id(request.property("User-Id").value_or("?"));
  std::printf("server: '%s' from the client with key %s\n", request.to_string().c_str(), user_id.c_str());
  server.send("welcome");
  const std::string reply = client.recv()->to_string();
  std::printf("client: '%s'\n", reply.c_str());

  const ringmq::curve_keypair intruder_keys = ringmq::generate_curve_keypair();
  ringmq::socket intruder = curve_client(intruder_keys.public_key, intruder_keys.secret_key);
  ringmq::monitor events = intruder.monitor(ringmq::monitor_event::handshake_failed_auth);
  intruder.connect(endpoint);
  const std::optional<ringmq::socket_event> refused = events.next(10s);
  if (refused)
    std::printf("intruder: %s (ZAP status %lld)\n", std::string(ringmq::to_string(refused->type)).c_str(),
                static_cast<long long>(refused->value));

  const auto stats = auth.stats();
  std::printf("authenticator: %llu requests, %llu accepted\n",
              static_cast<unsigned long long>(stats.requests),
              static_cast<unsigned long long>(stats.accepted));
  fs::remove_all(dir);
  const bool ok = reply == "welcome" && user_id == client_cert.public_key && refused && refused->value == 400;
  return ok ? 0 : 1;
}
