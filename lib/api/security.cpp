// The public security helpers: Z85, CURVE key pairs and certificate files. The
// cryptography itself is in the security layer (the only code that includes <sodium.h>).
#include "security/curve_keys.hpp"
#include "security/secure_memory.hpp"
#include "security/z85.hpp"

#include <ringmq/error.hpp>
#include <ringmq/security.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <system_error>

namespace ringmq {

namespace {

std::string z85_of_key(const unsigned char* key) {
  std::string text;
  security::z85_encode(std::as_bytes(std::span(key, security::curve_key_bytes)), text);
  return text;
}

[[noreturn]] void throw_invalid(const std::string& what) {
  throw error(make_error_code(errc::invalid_option_value), what);
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return std::string(s.substr(first, last - first + 1));
}

// A property value: spaces, then an optional pair of quotes (czmq quotes, pyzmq does not).
std::string unquote(std::string_view v) {
  std::string s = trim(v);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    s = s.substr(1, s.size() - 2);
  return s;
}

bool valid_key_text(std::string_view text) {
  std::string binary;
  const bool ok = text.size() == security::curve_key_text_bytes && security::decode_curve_key(text, binary);
  security::wipe(binary.data(), binary.size());
  return ok;
}

std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "create " + path.string());
  // The mode of an existing file is not changed by open(): set it (a secret must be 0600).
  if (::fchmod(fd, mode) != 0) {
    const int e = errno;
    ::close(fd);
    throw std::system_error(e, std::generic_category(), "chmod " + path.string());
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      throw std::system_error(e, std::generic_category(), "write " + path.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw std::system_error(errno, std::generic_category(), "close " + path.string());
}

std::string certificate_text(const std::string& banner, const curve_keypair& keys, bool with_secret,
                             const std::map<std::string, std::string>& metadata) {
  std::string t = "#   ****  Generated on " + timestamp() + " by ringmq  ****\n" + banner + "\nmetadata\n";
  for (const auto& [name, value] : metadata)
    t.append("    ").append(name).append(" = \"").append(value).append("\"\n");
  t += "curve\n    public-key = \"" + keys.public_key + "\"\n";
  if (with_secret) t += "    secret-key = \"" + keys.secret_key + "\"\n";
  return t;
}

}  // namespace

std::optional<std::string> z85_encode(std::span<const std::byte> data) {
  std::string out;
  if (!security::z85_encode(data, out)) return std::nullopt;
  return out;
}

std::optional<std::vector<std::byte>> z85_decode(std::string_view text) {
  if (text.size() % 5 != 0) return std::nullopt;
  std::vector<std::byte> out(text.size() / 5 * 4);
  if (!security::z85_decode(text, out)) return std::nullopt;
  return out;
}

curve_keypair generate_curve_keypair() {
  security::secret_block secret;
  unsigned char pub[security::curve_key_bytes];
  security::curve_generate_keypair(pub, secret.key(0));
  return {z85_of_key(pub), z85_of_key(secret.key(0))};
}

std::string curve_public_key(std::string_view secret_key) {
  std::string binary;
  if (!security::decode_curve_key(secret_key, binary))
    throw_invalid("curve_public_key: not a CURVE secret key");
  security::secret_block secret;
  std::memcpy(secret.key(0), binary.data(), security::curve_key_bytes);
  security::wipe(binary.data(), binary.size());
  unsigned char pub[security::curve_key_bytes];
  security::curve_public_from_secret(secret.key(0), pub);
  return z85_of_key(pub);
}

curve_certificate_files create_curve_certificates(const std::filesystem::path& directory,
                                                  std::string_view name,
                                                  const std::map<std::string, std::string>& metadata) {
  curve_keypair keys = generate_curve_keypair();
  curve_certificate_files files{directory / (std::string(name) + ".key"),
                                directory / (std::string(name) + ".key_secret")};
  write_file(files.public_file,
             certificate_text("#   ZeroMQ CURVE Public Certificate\n"
                              "#   Exchange securely, or use a secure mechanism to verify the contents\n"
                              "#   of this file after exchange.\n",
                              keys, false, metadata),
             0644);
  std::string secret_text = certificate_text(
      "#   ZeroMQ CURVE **Secret** Certificate\n"
      "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n",
      keys, true, metadata);
  write_file(files.secret_file, secret_text, 0600);
  security::wipe(secret_text.data(), secret_text.size());
  security::wipe(keys.secret_key.data(), keys.secret_key.size());
  return files;
}

curve_certificate load_curve_certificate(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in)
    throw std::system_error(errno != 0 ? errno : ENOENT, std::generic_category(), "open " + file.string());
  curve_certificate cert;
  std::string section;
  std::string line;
  while (std::getline(in, line)) {
    const std::string t = trim(line);
    if (t.empty() || t.front() == '#') continue;
    const auto eq = t.find('=');
    if (eq == std::string::npos) {
      if (line.front() != ' ' && line.front() != '\t') section = t;  // "metadata", "curve"
      continue;
    }
    const std::string key = trim(std::string_view(t).substr(0, eq));
    const std::string value = unquote(std::string_view(t).substr(eq + 1));
    if (key == "public-key")
      cert.public_key = value;
    else if (key == "secret-key")
      cert.secret_key = value;
    else if (section == "metadata")
      cert.metadata[key] = value;
  }
  if (!valid_key_text(cert.public_key))
    throw_invalid("CURVE certificate without a valid public key: " + file.string());
  if (!cert.secret_key.empty() && !valid_key_text(cert.secret_key))
    throw_invalid("CURVE certificate with a malformed secret key: " + file.string());
  return cert;
}

std::vector<std::string> load_curve_public_keys(const std::filesystem::path& directory) {
  std::vector<std::string> keys;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".key") continue;
    try {
      keys.push_back(load_curve_certificate(entry.path()).public_key);
    } catch (const error&) {
      // Not a certificate: skipped, as czmq's zcertstore does.
    }
  }
  return keys;
}

}  // namespace ringmq
