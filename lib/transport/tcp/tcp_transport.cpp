#include "transport/tcp/tcp_transport.hpp"

#include "transport/stream/stream_socket.hpp"
#include "transport/stream/stream_transport.hpp"
#include "transport/tcp/tcp_policy.hpp"

#include <ringmq/error.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

namespace ringmq::detail {

namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

// BINDTODEVICE at connect: libzmq accepts any name there and then fails every attempt
// quietly (its monitor shows only CONNECT_RETRIED). Trying the option on a throwaway
// socket turns a misspelt device (ENODEV) or a missing CAP_NET_RAW (EPERM) into connect's
// error, as bind reports it.
std::error_code check_device(const socket_options& options) {
  if (options.bindtodevice.empty()) return {};
  const int probe = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return {};  // no IPv4 here: the attempts will tell
  const std::error_code ec = bind_to_device(probe, options);
  ::close(probe);
  return ec;
}

// A host name is resolved again at each round of attempts: DNS may change.
class tcp_dial_target final : public dial_target {
 public:
  explicit tcp_dial_target(tcp_connect_endpoint ep) : ep_(std::move(ep)) {}
  std::error_code resolve(const socket_options& options, std::vector<socket_address>& out) const override {
    return tcp_connect_addresses(ep_.peer, options.ipv6, out);
  }
  std::optional<socket_address> source_for(const socket_address& peer, std::error_code& ec) const override {
    ec.clear();
    if (!ep_.source) return std::nullopt;
    // The source in the peer's family (an interface has one address of each).
    socket_address source;
    if ((ec = tcp_source_address(*ep_.source, peer.family() == AF_INET6, source))) return std::nullopt;
    if (source.family() != peer.family()) {
      ec = std::make_error_code(std::errc::address_family_not_supported);
      return std::nullopt;
    }
    return source;
  }
  [[nodiscard]] const connection_policy& policy() const noexcept override { return tcp_policy(); }

 private:
  tcp_connect_endpoint ep_;
};

class tcp_transport final : public stream_transport {
 public:
  [[nodiscard]] std::string_view scheme() const noexcept override { return "tcp"; }

 protected:
  std::error_code listen(std::string_view address, const socket_options& options,
                         listening_socket& out) override {
    // A source address ("src;dst") only makes sense when connecting (libzmq: EINVAL).
    if (address.find(';') != std::string_view::npos) return make_error_code(errc::invalid_endpoint);
    tcp_endpoint ep;
    if (auto ec = parse_tcp_endpoint(address, ep)) return ec;
    socket_address addr;
    if (auto ec = tcp_bind_address(ep, options.ipv6, addr)) return ec;
    const int fd = open_stream_socket(addr.family(), options);
    if (fd < 0) return last_error();
    if (const std::error_code ec = tcp_policy().prepare(fd, options)) {
      ::close(fd);
      return ec;
    }
    const int one = 1;
    const int zero = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // ipv6: one socket serves IPv4 and IPv6 (dual stack), as libzmq's does.
    if (addr.family() == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (::bind(fd, addr.get(), addr.length) != 0 || ::listen(fd, options.backlog) != 0) {
      const std::error_code ec = last_error();
      ::close(fd);
      return ec;
    }
    socket_address bound;
    bound.length = sizeof bound.storage;
    ::getsockname(fd, bound.get(), &bound.length);  // the ephemeral port, if one was asked for
    out.fd = fd;
    out.endpoint = format_endpoint(bound);
    out.policy = &tcp_policy();
    return {};
  }

  std::shared_ptr<const dial_target> make_dial_target(std::string_view address, const socket_options& options,
                                                      std::error_code& ec) override {
    tcp_connect_endpoint ep;
    if ((ec = parse_tcp_connect_endpoint(address, ep))) return nullptr;
    if (ep.source) {
      // Checked now, as no DNS is involved: a source that names no interface or address
      // fails connect() (libzmq accepts it and its connection attempts fail, unreported).
      socket_address unused;
      if (tcp_source_address(*ep.source, false, unused) && tcp_source_address(*ep.source, true, unused)) {
        ec = name_not_resolved(EINVAL);
        return nullptr;
      }
    }
    if ((ec = check_device(options))) return nullptr;
    return std::make_shared<tcp_dial_target>(std::move(ep));
  }
};

}  // namespace

std::unique_ptr<transport> make_tcp_transport() { return std::make_unique<tcp_transport>(); }

}  // namespace ringmq::detail
