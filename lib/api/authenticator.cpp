// ringmq::authenticator: a ZAP handler (rfc 27) on a thread of its own, with pyzmq's
// zmq.auth.Authenticator policy. It is an ordinary REP socket bound at
// inproc://zeromq.zap.01; the stream sessions' ZAP client talks to it like libzmq's
// sessions talk to a libzmq handler.
#include "security/curve_keys.hpp"
#include "security/password_table.hpp"
#include "security/secure_memory.hpp"
#include "security/z85.hpp"

#include <ringmq/context.hpp>
#include <ringmq/error.hpp>
#include <ringmq/poller.hpp>
#include <ringmq/security.hpp>
#include <ringmq/socket.hpp>

#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <iterator>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

namespace ringmq {

namespace {

struct verdict {
  bool allowed = false;
  std::string reason;
  std::string user_id;
};

}  // namespace

struct authenticator::state {
  // Policy; guarded by `mutex` (read once per request on the handler thread).
  std::mutex mutex;
  std::set<std::string, std::less<>> allowed_addresses;
  std::set<std::string, std::less<>> denied_addresses;
  std::map<std::string, security::password_table, std::less<>> passwords;             // domain -> users
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> curve_keys;  // domain -> Z85 keys
  std::map<std::string, curve_callback, std::less<>> curve_callbacks;
  curve_user_id_fn curve_user_id;  // empty: the key's Z85
  bool curve_any = false;

  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> accepted{0};

  socket handler;
  int stop_fd = -1;
  std::thread thread;
  bool stopped = false;  // guarded by stop_mutex
  std::mutex stop_mutex;

  ~state() {
    if (stop_fd >= 0) ::close(stop_fd);
  }

  void run() noexcept;
  std::vector<std::string> answer(const std::vector<message>& request);
  verdict decide(std::string_view domain, std::string_view address, std::string_view mechanism,
                 std::span<const message> credentials);
  verdict curve(std::string_view domain, std::string_view key);
};

void authenticator::state::run() noexcept {
  poll_item items[2];
  items[0].sock = &handler;
  items[1].fd = stop_fd;
  for (;;) {
    try {
      items[0].ready = events::none;
      items[1].ready = events::none;
      poll(items, std::chrono::milliseconds(-1));
      if ((items[1].ready & events::pollin) != events::none) return;
      if ((items[0].ready & events::pollin) == events::none) continue;
      std::vector<message> request;
      if (!handler.recv_multipart(std::back_inserter(request), recv_flags::dontwait)) continue;
      const std::vector<std::string> reply = answer(request);
      handler.send_multipart(reply);
    } catch (const error&) {
      return;  // the context was shut down
    } catch (...) {
      // Out of memory while answering: the requester's handshake times out.
    }
  }
}

std::vector<std::string> authenticator::state::answer(const std::vector<message>& request) {
  requests.fetch_add(1, std::memory_order_relaxed);
  // REP strips the envelope: version, request id, domain, address, identity, mechanism,
  // credentials...
  if (request.size() < 6) {
    std::string id = request.size() >= 2 ? request[1].to_string() : std::string();
    return {"1.0", id, "400", "Not enough frames", "", ""};
  }
  const std::string id = request[1].to_string();
  if (request[0].view() != "1.0") return {"1.0", id, "400", "Invalid version", "", ""};
  verdict v = decide(request[2].view(), request[3].view(), request[5].view(),
                     std::span<const message>(request).subspan(6));
  if (v.allowed && request[5].view() == "CURVE") {
    // Outside the policy lock: the mapping may wait (a binding's interpreter lock) for a
    // thread that is itself changing the policy.
    curve_user_id_fn map;
    {
      std::lock_guard lock(mutex);
      map = curve_user_id;
    }
    if (map) {
      try {
        v.user_id = map(v.user_id);
      } catch (...) {
        v = {false, "User-Id mapping failed", {}};
      }
    }
  }
  if (!v.allowed) return {"1.0", id, "400", v.reason, "", ""};
  accepted.fetch_add(1, std::memory_order_relaxed);
  return {"1.0", id, "200", "OK", v.user_id, ""};
}

verdict authenticator::state::decide(std::string_view domain, std::string_view address,
                                     std::string_view mechanism, std::span<const message> credentials) {
  std::lock_guard lock(mutex);
  if (!allowed_addresses.empty() && !allowed_addresses.contains(address))
    return {false, "Address not in whitelist", {}};
  if (denied_addresses.contains(address)) return {false, "Address is blacklisted", {}};
  if (mechanism == "NULL") return {true, "OK", "anonymous"};
  // PLAIN and CURVE authenticate even an allowed address.
  if (mechanism == "PLAIN") {
    if (credentials.size() != 2) return {false, "Invalid credentials", {}};
    if (passwords.empty()) return {false, "No passwords defined", {}};
    const auto d = passwords.find(domain.empty() ? std::string_view("*") : domain);
    if (d == passwords.end()) return {false, "Invalid domain", {}};
    // One answer, in the same time, for an unknown user and a wrong password of any length
    // (password_table.hpp).
    if (!d->second.check(credentials[0].view(), credentials[1].view()))
      return {false, "Invalid username or password", {}};
    return {true, "OK", credentials[0].to_string()};
  }
  if (mechanism == "CURVE") {
    if (credentials.size() != 1 || credentials[0].size() != security::curve_key_bytes)
      return {false, "Invalid credentials", {}};
    return curve(domain, credentials[0].view());
  }
  return {false, "Unsupported mechanism", {}};
}

verdict authenticator::state::curve(std::string_view domain, std::string_view key) {
  std::string z85;
  security::z85_encode(std::as_bytes(std::span(key)), z85);
  if (curve_any) return {true, "OK", z85};
  const std::string_view d = domain.empty() ? std::string_view("*") : domain;
  if (const auto cb = curve_callbacks.find(d); cb != curve_callbacks.end()) {
    bool ok = false;
    try {
      ok = cb->second(d, z85);
    } catch (...) {
      ok = false;
    }
    if (!ok) return {false, "Unknown key", {}};
    return {true, "OK", z85};
  }
  const auto keys = curve_keys.find(d);
  if (keys == curve_keys.end()) return {false, "Unknown domain", {}};
  if (!keys->second.contains(z85)) return {false, "Unknown key", {}};
  return {true, "OK", z85};
}

authenticator::authenticator(context& ctx) : state_(std::make_unique<state>()) {
  state_->stop_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (state_->stop_fd < 0) throw std::system_error(errno, std::generic_category(), "authenticator eventfd");
  state_->handler = ctx.socket(socket_type::rep);
  state_->handler.set(opt::linger, std::chrono::milliseconds(0));
  state_->handler.bind("inproc://zeromq.zap.01");
  state_->thread = std::thread([s = state_.get()] { s->run(); });
}

authenticator::~authenticator() { stop(); }

void authenticator::stop() noexcept {
  if (!state_) return;
  std::lock_guard lock(state_->stop_mutex);
  if (state_->stopped) return;
  state_->stopped = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(state_->stop_fd, &one, sizeof one);
  if (state_->thread.joinable()) state_->thread.join();
  state_->handler.close();  // unbinds
}

void authenticator::allow(std::string_view address) {
  std::lock_guard lock(state_->mutex);
  if (!state_->denied_addresses.empty())
    throw error(make_error_code(errc::invalid_state), "authenticator allow: a deny list is in use");
  state_->allowed_addresses.emplace(address);
}

void authenticator::deny(std::string_view address) {
  std::lock_guard lock(state_->mutex);
  if (!state_->allowed_addresses.empty())
    throw error(make_error_code(errc::invalid_state), "authenticator deny: an allow list is in use");
  state_->denied_addresses.emplace(address);
}

// By value on purpose (the public signature): this copy is wiped below, which clang-tidy does
// not count as a modification.
// NOLINTNEXTLINE(performance-unnecessary-value-param)
void authenticator::configure_plain(std::string_view domain, std::map<std::string, std::string> passwords) {
  // The table keeps hashes only; the caller's copy of the passwords is wiped.
  security::password_table table;
  for (auto& [user, password] : passwords) {
    table.set(user, password);
    security::wipe(password.data(), password.size());
  }
  std::lock_guard lock(state_->mutex);
  state_->passwords.insert_or_assign(std::string(domain), std::move(table));
}

void authenticator::configure_curve(std::string_view domain, const std::filesystem::path& location) {
  if (location == std::filesystem::path(curve_allow_any)) {
    std::lock_guard lock(state_->mutex);
    state_->curve_any = true;
    return;
  }
  std::vector<std::string> keys = load_curve_public_keys(location);  // outside the lock: file I/O
  std::lock_guard lock(state_->mutex);
  state_->curve_any = false;
  state_->curve_keys.insert_or_assign(std::string(domain),
                                      std::set<std::string, std::less<>>(keys.begin(), keys.end()));
}

void authenticator::allow_curve_keys(std::string_view domain, std::span<const std::string> public_keys) {
  std::set<std::string, std::less<>> add;
  for (const std::string& key : public_keys) {
    std::string binary;
    if (!security::decode_curve_key(key, binary))
      throw error(make_error_code(errc::invalid_option_value),
                  "authenticator allow_curve_keys: malformed key");
    std::string z85;
    security::z85_encode(std::as_bytes(std::span(binary)), z85);
    add.insert(std::move(z85));
  }
  std::lock_guard lock(state_->mutex);
  state_->curve_any = false;
  state_->curve_keys[std::string(domain)].merge(add);
}

void authenticator::set_curve_user_id(curve_user_id_fn map) {
  std::lock_guard lock(state_->mutex);
  state_->curve_user_id = std::move(map);
}

void authenticator::configure_curve_callback(std::string_view domain, curve_callback callback) {
  std::lock_guard lock(state_->mutex);
  state_->curve_any = false;
  if (callback)
    state_->curve_callbacks.insert_or_assign(std::string(domain), std::move(callback));
  else
    state_->curve_callbacks.erase(std::string(domain));
}

authenticator::statistics authenticator::stats() const noexcept {
  return {state_->requests.load(std::memory_order_relaxed), state_->accepted.load(std::memory_order_relaxed)};
}

}  // namespace ringmq
