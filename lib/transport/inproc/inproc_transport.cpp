#include "transport/inproc/inproc_transport.hpp"

#include "core/context_impl.hpp"
#include "core/mailbox.hpp"

#include <ringmq/error.hpp>

#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace ringmq::detail {

namespace {

// A side of an inproc connection as the other side needs to know it.
struct side_info {
  socket_type type;
  std::string routing_id;
  int sndhwm;
  int rcvhwm;
  std::shared_ptr<mailbox> inbox;
  const void* origin;  // its bind or connect handle
  bool immediate;
};

side_info describe(transport_host& s, const void* origin) {
  const socket_options& o = s.options();
  return {o.type, o.routing_id, o.sndhwm, o.inbound_hwm(), s.inbox(), origin, o.immediate};
}

// libzmq: an inproc pipe holds the sender's SNDHWM plus the receiver's RCVHWM; zero on
// either side means no limit.
std::int64_t combined_hwm(int sndhwm, int rcvhwm) {
  return sndhwm == 0 || rcvhwm == 0 ? 0 : std::int64_t{sndhwm} + rcvhwm;
}

// Side 0 of every inproc link is the connecting socket, side 1 the binding one.
constexpr int connector_side = 0;
constexpr int binder_side = 1;

// The names bound in one context, and connects waiting for a name.
class inproc_registry final : public context_extension {
 public:
  explicit inproc_registry(context_impl&) {}

  struct pending_connect {
    std::shared_ptr<link> l;
    side_info connector;
    bool attached;  // already attached to the connecting socket
  };

  std::mutex mutex;
  std::unordered_map<std::string, side_info> bound;
  std::unordered_multimap<std::string, pending_connect> pending;
};

void post_attach(const side_info& owner, std::shared_ptr<link> l, int side) {
  command cmd;
  cmd.what = command::kind::attach;
  cmd.target = std::move(l);
  cmd.side = side;
  cmd.origin = owner.origin;
  owner.inbox->post(std::move(cmd));
}

// Completes a connection once both sides are known: limits, names, and the binder's end.
void join(link& l, const side_info& connector, const side_info& binder) {
  l.in(binder_side).set_hwm(combined_hwm(connector.sndhwm, binder.rcvhwm));
  l.in(connector_side).set_hwm(combined_hwm(binder.sndhwm, connector.rcvhwm));
  l.publish_info(binder_side, {binder.type, binder.routing_id});
}

class bind_handle final : public endpoint_handle {
 public:
  bind_handle(std::shared_ptr<context_extension> keep, inproc_registry& reg, std::string name)
      : keep_(std::move(keep)), reg_(reg), name_(std::move(name)) {}
  ~bind_handle() override {
    if (!registered) return;
    std::lock_guard lock(reg_.mutex);
    reg_.bound.erase(name_);
  }
  [[nodiscard]] std::string resolved() const override { return "inproc://" + name_; }

  bool registered = false;

 private:
  std::shared_ptr<context_extension> keep_;
  inproc_registry& reg_;
  std::string name_;
};

class connect_handle final : public endpoint_handle {
 public:
  connect_handle(std::shared_ptr<context_extension> keep, inproc_registry& reg, std::string name)
      : keep_(std::move(keep)), reg_(reg), name_(std::move(name)) {}
  ~connect_handle() override {
    // A connect still waiting for its bind is withdrawn (disconnect), unless the socket
    // closed its end first with a LINGER other than 0: then what it queued lingers until
    // the bind, as in libzmq.
    std::vector<std::shared_ptr<link>> withdrawn;
    {
      std::lock_guard lock(reg_.mutex);
      auto range = reg_.pending.equal_range(name_);
      for (auto it = range.first; it != range.second;) {
        inproc_registry::pending_connect& p = it->second;
        if (p.connector.origin != this) {
          ++it;
        } else if (p.attached && p.l->closed(connector_side) && p.l->linger(connector_side).count() != 0) {
          p.connector.origin = nullptr;  // this handle is gone; the entry is no one's now
          ++it;
        } else {
          if (!p.attached) withdrawn.push_back(std::move(p.l));
          it = reg_.pending.erase(it);
        }
      }
    }
    for (auto& l : withdrawn) link_end(std::move(l), connector_side).close();
  }
  [[nodiscard]] std::string resolved() const override { return "inproc://" + name_; }

 private:
  std::shared_ptr<context_extension> keep_;
  inproc_registry& reg_;
  std::string name_;
};

class inproc_transport final : public transport {
 public:
  [[nodiscard]] std::string_view scheme() const noexcept override { return "inproc"; }

  std::unique_ptr<endpoint_handle> bind(transport_host& s, std::string_view address,
                                        std::error_code& ec) override {
    auto keep = registry_of(s);
    auto& reg = static_cast<inproc_registry&>(*keep);
    std::string name(address);
    auto handle = std::make_unique<bind_handle>(keep, reg, name);
    const side_info binder = describe(s, handle.get());
    std::vector<inproc_registry::pending_connect> waiting;
    {
      std::lock_guard lock(reg.mutex);
      if (reg.bound.contains(name)) {
        ec = std::make_error_code(std::errc::address_in_use);
        return nullptr;
      }
      reg.bound.emplace(name, binder);
      handle->registered = true;
      auto range = reg.pending.equal_range(name);
      for (auto it = range.first; it != range.second; ++it) waiting.push_back(std::move(it->second));
      reg.pending.erase(range.first, range.second);
    }
    for (auto& w : waiting) {
      if (!compatible(binder.type, w.connector.type)) {
        // Known only now: the early connection is refused.
        link_end(w.l, binder_side).close();
        if (!w.attached) link_end(std::move(w.l), connector_side).close();
        continue;
      }
      join(*w.l, w.connector, binder);
      if (w.attached)
        w.l->notify_readable(connector_side);  // the connector learns who we are
      else
        post_attach(w.connector, w.l, connector_side);
      s.attach(link_end(w.l, binder_side), handle.get());
    }
    return handle;
  }

  std::unique_ptr<endpoint_handle> connect(transport_host& s, std::string_view address,
                                           std::error_code& ec) override {
    auto keep = registry_of(s);
    auto& reg = static_cast<inproc_registry&>(*keep);
    std::string name(address);
    auto handle = std::make_unique<connect_handle>(keep, reg, name);
    const side_info connector = describe(s, handle.get());
    auto l = link::create(connector.rcvhwm, connector.sndhwm, true);  // HWMs until the binder is known
    l->publish_info(connector_side, {connector.type, connector.routing_id});
    bool attach_now = true;
    {
      std::lock_guard lock(reg.mutex);
      auto it = reg.bound.find(name);
      if (it != reg.bound.end()) {
        const side_info& binder = it->second;
        if (!compatible(connector.type, binder.type)) {
          ec = make_error_code(errc::incompatible_socket_type);
          return nullptr;
        }
        join(*l, connector, binder);
        post_attach(binder, l, binder_side);
      } else {
        // Not bound yet: queue (unless IMMEDIATE, which waits for a real peer).
        attach_now = !connector.immediate;
        reg.pending.emplace(name, inproc_registry::pending_connect{l, connector, attach_now});
      }
    }
    if (attach_now) s.attach(link_end(std::move(l), connector_side), handle.get());
    return handle;
  }

 private:
  static std::shared_ptr<context_extension> registry_of(transport_host& s) {
    return inproc_namespace_of(s.context());
  }
};

}  // namespace

std::unique_ptr<transport> make_inproc_transport() { return std::make_unique<inproc_transport>(); }

std::shared_ptr<context_extension> inproc_namespace_of(context_impl& ctx) {
  static const char key = 0;
  return ctx.extension(&key, [&ctx] { return std::make_shared<inproc_registry>(ctx); });
}

link_end connect_internal(context_extension& ns, std::string_view name, std::span<const socket_type> accepted,
                          std::shared_ptr<link_listener> listener) {
  auto& reg = static_cast<inproc_registry&>(ns);
  std::lock_guard lock(reg.mutex);
  const auto it = reg.bound.find(std::string(name));
  if (it == reg.bound.end()) return {};
  const side_info& binder = it->second;
  if (std::find(accepted.begin(), accepted.end(), binder.type) == accepted.end()) return {};
  auto l = link::create(0, 0, true);  // no HWM either way
  l->publish_info(connector_side, {socket_type::dealer, {}});
  l->publish_info(binder_side, {binder.type, binder.routing_id});
  l->set_listener(connector_side, std::move(listener));
  post_attach(binder, l, binder_side);
  return link_end(std::move(l), connector_side);
}

}  // namespace ringmq::detail
