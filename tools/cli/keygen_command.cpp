// `ringmq keygen`: CURVE key pairs in Z85, and certificate files in czmq's zcert format as
// pyzmq's zmq.auth.create_certificates writes them ("<name>.key" public, "<name>.key_secret"
// both keys, mode 0600), through the library's certificate functions.
#include "cli_error.hpp"
#include "commands.hpp"

#include <ringmq/security.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace ringmq_cli {

int run_keygen(arg_reader& args) {
  std::optional<std::string> name;
  std::optional<std::string> show;
  std::filesystem::path dir = ".";
  std::map<std::string, std::string> metadata;
  bool force = false;
  while (!args.done()) {
    if (auto d = args.value("dir")) {
      dir = *d;
    } else if (auto m = args.value("meta")) {
      const auto eq = m->find('=');
      if (eq == std::string::npos || eq == 0)
        throw usage_error("--meta: expected KEY=VALUE, got '" + *m + "'");
      metadata[m->substr(0, eq)] = m->substr(eq + 1);
    } else if (args.flag("force")) {
      force = true;
    } else if (auto s = args.value("show")) {
      show = *s;
    } else {
      std::string p = args.positional();
      if (name) throw usage_error("unexpected argument '" + p + "' (one NAME only)");
      name = std::move(p);
    }
  }

  if (show) {
    if (name) throw usage_error("--show takes no NAME");
    ringmq::curve_certificate cert;
    if (show->size() == 40 && ringmq::z85_decode(*show)) {
      cert.secret_key = *show;  // a secret key given as text: show its public key
      cert.public_key = ringmq::curve_public_key(*show);
    } else {
      try {
        cert = ringmq::load_curve_certificate(*show);
      } catch (const std::exception& e) {
        throw failure("--show " + *show + ": " + e.what());
      }
    }
    std::printf("public: %s\n", cert.public_key.c_str());
    if (!cert.secret_key.empty()) std::printf("secret: %s\n", cert.secret_key.c_str());
    return 0;
  }

  if (!name) {
    if (!metadata.empty()) throw usage_error("--meta needs a NAME (metadata goes into certificate files)");
    const ringmq::curve_keypair keys = ringmq::generate_curve_keypair();
    std::printf("public: %s\nsecret: %s\n", keys.public_key.c_str(), keys.secret_key.c_str());
    return 0;
  }
  if (name->empty() || name->find('/') != std::string::npos)
    throw usage_error("NAME must be a plain file name (use --dir for the directory)");
  const auto public_file = dir / (*name + ".key");
  const auto secret_file = dir / (*name + ".key_secret");
  std::error_code ec;
  if (!force && (std::filesystem::exists(public_file, ec) || std::filesystem::exists(secret_file, ec)))
    throw failure(public_file.string() + " or " + secret_file.string() + " exists (--force replaces them)");
  if (!std::filesystem::is_directory(dir, ec)) throw failure(dir.string() + ": not a directory");
  const auto files = ringmq::create_curve_certificates(dir, *name, metadata);
  const auto cert = ringmq::load_curve_certificate(files.public_file);
  std::printf("public: %s\nwrote %s and %s\n", cert.public_key.c_str(), files.public_file.c_str(),
              files.secret_file.c_str());
  return 0;
}

}  // namespace ringmq_cli
