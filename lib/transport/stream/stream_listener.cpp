#include "transport/stream/stream_listener.hpp"

#include "transport/stream/stream_socket.hpp"

#include <unistd.h>

#include <cerrno>

namespace ringmq::detail {

stream_listener::stream_listener(const session_config& config, int fd, std::string directory,
                                 const connection_policy& policy, std::shared_ptr<listen_control> control)
    : config_(config),
      fd_(fd),
      directory_(std::move(directory)),
      policy_(policy),
      control_(std::move(control)) {
  control_->listener = this;
  config_.pool->adopt(*config_.thread, this);
}

stream_listener::~stream_listener() = default;

void stream_listener::start(const session_config& config, int fd, std::string directory,
                            const connection_policy& policy, std::shared_ptr<listen_control> control) {
  auto* l = new stream_listener(config, fd, std::move(directory), policy, std::move(control));
  l->id_ = config.thread->loop().add_listener(fd, *l);
}

void stream_listener::on_accept(int fd, int error) {
  if (fd < 0) {
    config_.events->emit(monitor_event::accept_failed, error, config_.endpoint);
    return;
  }
  if (!policy_.admits(fd, config_.options)) {
    // A peer the accept filters refuse is closed before any byte is exchanged (libzmq
    // too). libzmq's ACCEPT_FAILED carries whatever errno held then; EACCES says why.
    ::close(fd);
    config_.events->emit(monitor_event::accept_failed, EACCES, config_.endpoint);
    return;
  }
  configure_stream_fd(fd, config_.options);
  if (const std::error_code ec = policy_.tune(fd, config_.options)) {
    ::close(fd);
    config_.events->emit(monitor_event::accept_failed, ec.value(), config_.endpoint);
    return;
  }
  config_.events->emit(monitor_event::accepted, fd, config_.endpoint, peer_name(fd));
  stream_session::accept(config_, fd);
}

void stream_listener::stop() {
  if (stopping_) return;
  stopping_ = true;
  control_->listener = nullptr;
  config_.thread->loop().remove_listener(id_, [this] {
    if (!directory_.empty()) ::rmdir(directory_.c_str());  // before CLOSED: whoever waits finds it gone
    config_.events->emit(monitor_event::closed, fd_, config_.endpoint);
    config_.pool->forget(*config_.thread, this);
    control_->closed.set_value();
    delete this;
  });
}

void stream_listener::shut_down() noexcept { stop(); }

}  // namespace ringmq::detail
