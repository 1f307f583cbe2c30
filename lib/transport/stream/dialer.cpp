#include "transport/stream/dialer.hpp"

#include "transport/stream/stream_socket.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <optional>
#include <random>
#include <utility>

namespace ringmq::detail {

namespace {

using std::chrono::milliseconds;

// Spreads the peers of a restarted server over the interval instead of all at once.
milliseconds jitter_up_to(milliseconds limit) {
  if (limit.count() <= 0) return milliseconds(0);
  thread_local std::minstd_rand rng(std::random_device{}());
  return milliseconds(static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(limit.count())));
}

}  // namespace

dialer::dialer(io::io_loop& loop, const socket_options& options, std::shared_ptr<monitor_hub> events,
               std::string endpoint, std::shared_ptr<const dial_target> target, connected_fn connected)
    : loop_(loop),
      options_(options),
      events_(std::move(events)),
      endpoint_(std::move(endpoint)),
      target_(std::move(target)),
      connected_(std::move(connected)),
      backoff_(options.reconnect_ivl) {}

dialer::~dialer() { cancel(); }

void dialer::cancel() noexcept {
  if (redial_timer_ != 0) loop_.cancel_timer(std::exchange(redial_timer_, 0));
  if (timeout_timer_ != 0) loop_.cancel_timer(std::exchange(timeout_timer_, 0));
  if (connect_op_ != 0) loop_.cancel_connect(std::exchange(connect_op_, 0));
  if (connect_fd_ >= 0) ::close(std::exchange(connect_fd_, -1));
}

void dialer::dial() {
  if (candidate_ >= candidates_.size()) {
    candidates_.clear();
    candidate_ = 0;
    if (target_->resolve(options_, candidates_) || candidates_.empty()) {
      redial_later();  // the name does not resolve (yet)
      return;
    }
  }
  const socket_address peer = candidates_[candidate_++];
  const int fd = open_stream_socket(peer.family(), options_);
  if (fd < 0) {
    redial_later();
    return;
  }
  // The transport's settings, then the source address (tcp's "source;peer"). As libzmq: a
  // failure fails the attempt and the next round comes after the back-off (bind and connect
  // already refused what is wrong at once, such as a device that does not exist).
  if (target_->policy().prepare(fd, options_) || !bind_source(fd, peer)) {
    ::close(fd);
    redial_later();
    return;
  }
  connect_fd_ = fd;
  events_->emit(monitor_event::connect_delayed, 0, endpoint_);
  connect_op_ = loop_.connect(fd, peer.get(), peer.length,
                              [this, fd, peer](int error) { on_connect_done(fd, error, peer); });
  if (options_.connect_timeout.count() > 0) {
    timeout_timer_ =
        loop_.set_timer(std::chrono::steady_clock::now() + options_.connect_timeout, [this, fd, peer] {
          timeout_timer_ = 0;
          loop_.cancel_connect(std::exchange(connect_op_, 0));
          on_connect_done(fd, ETIMEDOUT, peer);
        });
  }
}

bool dialer::bind_source(int fd, const socket_address& peer) const {
  std::error_code ec;
  const std::optional<socket_address> source = target_->source_for(peer, ec);
  if (ec) return false;
  if (!source) return true;
  // As libzmq: SO_REUSEADDR first, so that one source port may reach several peers.
  const int one = 1;
  return ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
         ::bind(fd, source->get(), source->length) == 0;
}

void dialer::on_connect_done(int fd, int error, const socket_address& peer) {
  connect_op_ = 0;
  connect_fd_ = -1;
  if (timeout_timer_ != 0) loop_.cancel_timer(std::exchange(timeout_timer_, 0));
  if (error == 0) {
    if (const std::error_code ec = target_->policy().tune(fd, options_))
      error = ec.value();  // libzmq: try again
  }
  if (error != 0) {
    ::close(fd);
    if (candidate_ < candidates_.size())
      dial();
    else
      redial_later();
    return;
  }
  std::string peer_address = format_endpoint(peer);
  events_->emit(monitor_event::connected, fd, endpoint_, peer_address);
  connected_(fd, std::move(peer_address));
}

void dialer::redial_later() {
  if (options_.reconnect_ivl.count() < 0) return;  // libzmq: -1 means never reconnect
  candidate_ = candidates_.size();                 // resolve again next time
  const milliseconds ivl = backoff_ + jitter_up_to(options_.reconnect_ivl);
  events_->emit(monitor_event::connect_retried, ivl.count(), endpoint_);
  redial_timer_ = loop_.set_timer(std::chrono::steady_clock::now() + ivl, [this] {
    redial_timer_ = 0;
    dial();
  });
  // Exponential back-off up to RECONNECT_IVL_MAX (when it is above RECONNECT_IVL).
  if (options_.reconnect_ivl_max > options_.reconnect_ivl)
    backoff_ = std::min(backoff_ * 2, options_.reconnect_ivl_max);
}

}  // namespace ringmq::detail
