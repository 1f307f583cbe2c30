#include "transport/ipc/ipc_transport.hpp"

#include "transport/ipc/ipc_policy.hpp"
#include "transport/stream/stream_socket.hpp"
#include "transport/stream/stream_transport.hpp"

#include <ringmq/error.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace ringmq::detail {

namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

class ipc_dial_target final : public dial_target {
 public:
  explicit ipc_dial_target(const socket_address& peer) : peer_(peer) {}
  std::error_code resolve(const socket_options&, std::vector<socket_address>& out) const override {
    out.push_back(peer_);
    return {};
  }
  [[nodiscard]] const connection_policy& policy() const noexcept override { return ipc_policy(); }

 private:
  socket_address peer_;
};

class ipc_transport final : public stream_transport {
 public:
  [[nodiscard]] std::string_view scheme() const noexcept override { return "ipc"; }

 protected:
  std::error_code listen(std::string_view address, const socket_options& options,
                         listening_socket& out) override {
    std::string path(address);
    if (path == "*") {
      // A fresh private directory makes the name unique (libzmq uses a temporary path too).
      char dir[] = "/tmp/ringmq-XXXXXX";
      if (::mkdtemp(dir) == nullptr) return last_error();
      out.directory = dir;
      path = std::string(dir) + "/socket";
    }
    socket_address addr;
    if (auto ec = ipc_address(path, addr)) return ec;
    const bool abstract = path.front() == '@';
    if (!abstract) {
      // A socket file left by a dead process would make bind fail: replace it (libzmq does).
      struct stat st {};
      if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
    }
    const int fd = open_stream_socket(AF_UNIX, options);
    if (fd < 0) return last_error();
    if (::bind(fd, addr.get(), addr.length) != 0 || ::listen(fd, options.backlog) != 0) {
      const std::error_code ec = last_error();
      ::close(fd);
      if (!out.directory.empty()) ::rmdir(out.directory.c_str());
      return ec;
    }
    if (!abstract) {
      struct stat st {};
      if (::lstat(path.c_str(), &st) == 0) {
        out.file = {path, st.st_dev, st.st_ino};
      }
    }
    out.fd = fd;
    out.endpoint = format_endpoint(addr);
    out.policy = &ipc_policy();
    return {};
  }

  std::shared_ptr<const dial_target> make_dial_target(std::string_view address, const socket_options&,
                                                      std::error_code& ec) override {
    socket_address peer;
    if (address == "*") {
      ec = make_error_code(errc::invalid_endpoint);
      return nullptr;
    }
    if ((ec = ipc_address(address, peer))) return nullptr;
    return std::make_shared<ipc_dial_target>(peer);
  }
};

}  // namespace

std::unique_ptr<transport> make_ipc_transport() { return std::make_unique<ipc_transport>(); }

}  // namespace ringmq::detail
