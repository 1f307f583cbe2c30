#include "transport/stream/stream_transport.hpp"

#include "core/context_impl.hpp"
#include "core/mailbox.hpp"
#include "core/monitor_queue.hpp"
#include "transport/inproc/inproc_transport.hpp"

#include <ringmq/error.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <new>
#include <system_error>

namespace ringmq::detail {

namespace {

// The context's I/O threads, started on first use; nullptr with `ec` set when they cannot
// start (the OS refused their scheduling options, or io_uring/epoll could not be set up):
// bind and connect report errors as values.
io_pool* pool_of(context_impl& ctx, std::error_code& ec) noexcept {
  try {
    return &io_pool::of(ctx);
  } catch (const std::system_error& e) {
    ec = e.code();
  } catch (const std::bad_alloc&) {
    ec = std::make_error_code(std::errc::not_enough_memory);
  } catch (...) {
    ec = std::make_error_code(std::errc::resource_unavailable_try_again);
  }
  return nullptr;
}

class listener_handle final : public endpoint_handle {
 public:
  listener_handle(std::string endpoint, io::io_thread& thread, std::shared_ptr<listen_control> control,
                  ipc_socket_file file)
      : endpoint_(std::move(endpoint)),
        thread_(thread),
        control_(std::move(control)),
        closed_(control_->closed.get_future()),
        file_(std::move(file)) {}
  ~listener_handle() override {
    file_.remove();  // now: a bind that follows may reuse the path
    // Runs after the listener's start (posts run in order) and before the pool ends (the
    // socket holds its context).
    thread_.loop().post([c = control_] {
      if (c->listener != nullptr) c->listener->stop();
    });
    // A tcp port or abstract ipc name stays taken until the I/O thread closed the socket
    // (its pending accept holds it open). Bounded: a lost completion must not hang close.
    closed_.wait_for(std::chrono::seconds(10));
  }
  [[nodiscard]] std::string resolved() const override { return endpoint_; }

 private:
  std::string endpoint_;
  io::io_thread& thread_;
  std::shared_ptr<listen_control> control_;
  std::future<void> closed_;
  ipc_socket_file file_;
};

class dialer_handle final : public endpoint_handle {
 public:
  dialer_handle(std::string endpoint, io::io_thread& thread, std::shared_ptr<dial_control> control)
      : endpoint_(std::move(endpoint)), thread_(thread), control_(std::move(control)) {}
  ~dialer_handle() override {
    thread_.loop().post([c = control_] {
      if (c->session != nullptr) c->session->stop_dialing();
    });
  }
  [[nodiscard]] std::string resolved() const override { return endpoint_; }

 private:
  std::string endpoint_;
  io::io_thread& thread_;
  std::shared_ptr<dial_control> control_;
};

session_config config_for(transport_host& s, io_pool& pool, io::io_thread& thread, const void* origin,
                          std::string endpoint) {
  return {&thread,   &pool,  s.options(),         s.events_hub(),
          s.inbox(), origin, std::move(endpoint), inproc_namespace_of(s.context())};
}

}  // namespace

void ipc_socket_file::remove() const noexcept {
  struct stat st {};
  if (!path.empty() && ::lstat(path.c_str(), &st) == 0 && st.st_dev == device && st.st_ino == inode)
    ::unlink(path.c_str());
}

std::unique_ptr<endpoint_handle> stream_transport::bind(transport_host& s, std::string_view address,
                                                        std::error_code& ec) {
  // The threads first: a listening socket made before them would have to be undone.
  io_pool* const pool = pool_of(s.context(), ec);
  if (pool == nullptr) return nullptr;
  io::io_thread* const thread = pool->pick(s.options().affinity);
  if (thread == nullptr) {
    ec = make_error_code(errc::no_io_thread);
    return nullptr;
  }
  listening_socket ls;
  ec = listen(address, s.options(), ls);
  if (ec) {
    const int code = ec.category() == std::generic_category() ? ec.value() : EINVAL;
    s.events_hub()->emit(monitor_event::bind_failed, code,
                         std::string(scheme()) + "://" + std::string(address));
    return nullptr;
  }
  auto control = std::make_shared<listen_control>();
  auto handle = std::make_unique<listener_handle>(ls.endpoint, *thread, control, std::move(ls.file));
  session_config config = config_for(s, *pool, *thread, handle.get(), ls.endpoint);
  s.events_hub()->emit(monitor_event::listening, ls.fd, ls.endpoint);
  thread->loop().post([config, fd = ls.fd, directory = std::move(ls.directory), control, policy = ls.policy] {
    stream_listener::start(config, fd, directory, *policy, control);
  });
  return handle;
}

std::unique_ptr<endpoint_handle> stream_transport::connect(transport_host& s, std::string_view address,
                                                           std::error_code& ec) {
  std::shared_ptr<const dial_target> target = make_dial_target(address, s.options(), ec);
  if (ec) return nullptr;
  io_pool* const pool = pool_of(s.context(), ec);
  if (pool == nullptr) return nullptr;
  io::io_thread* const picked = pool->pick(s.options().affinity);
  if (picked == nullptr) {
    ec = make_error_code(errc::no_io_thread);
    return nullptr;
  }
  io::io_thread& thread = *picked;
  const std::string endpoint = std::string(scheme()) + "://" + std::string(address);
  auto control = std::make_shared<dial_control>();
  auto handle = std::make_unique<dialer_handle>(endpoint, thread, control);
  std::shared_ptr<link> l;
  std::shared_ptr<session_gate> gate;
  std::shared_ptr<read_lease> lease;
  if (!s.options().immediate) {
    // Messages may be sent at once: they wait in the pipe until the connection is up.
    l = link::create(s.options().inbound_hwm(), s.options().sndhwm);  // to socket, to session
    gate = std::make_shared<session_gate>(thread.loop());
    lease = std::make_shared<read_lease>(thread.loop());
    l->set_listener(1, gate);
    l->set_direct_source(lease);
    s.attach(link_end(l, 0), handle.get());
  }
  session_config config = config_for(s, *pool, thread, handle.get(), endpoint);
  thread.loop().post([config, target, l, gate, lease, control] {
    stream_session::dial(config, target, l, gate, lease, control);
  });
  return handle;
}

}  // namespace ringmq::detail
