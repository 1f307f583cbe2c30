#include "transport/stream/zap_client.hpp"

#include "security/zap_codec.hpp"
#include "transport/inproc/inproc_transport.hpp"

#include <cerrno>
#include <string>

namespace ringmq::detail {

namespace {

// libzmq's session_base::zap_connect accepts these handler socket types.
constexpr socket_type handler_types[] = {socket_type::rep, socket_type::router};

zap_client::outcome no_handler(const zmtp::zap_request& request, bool enforce_domain) {
  zap_client::outcome o;
  if (request.mechanism != "PLAIN" && !enforce_domain) {
    o.reply = zmtp::zap_reply{"200", "no ZAP handler", {}, {}};
    return o;
  }
  o.error = zmtp::make_errno_error(EFAULT, "no ZAP handler at inproc://zeromq.zap.01");
  return o;
}

}  // namespace

std::shared_ptr<zap_client> zap_client::start(const std::shared_ptr<context_extension>& inproc,
                                              io::io_loop& loop, const zmtp::zap_request& request,
                                              bool enforce_domain, callback done) {
  auto self = std::make_shared<zap_client>(loop, std::move(done));
  if (inproc) self->end_ = connect_internal(*inproc, security::zap_endpoint, handler_types, self);
  if (!self->end_) {
    self->post(no_handler(request, enforce_domain));
    return self;
  }
  // Asleep on our in-pipe before anything can arrive: the handler's first flush wakes us.
  static_cast<void>(self->end_.check_read());
  for (message& frame : security::build_zap_request(request)) {
    const bool more = frame.more();
    self->end_.write(std::move(frame), more);
  }
  self->end_.flush();
  return self;
}

void zap_client::cancel() noexcept {
  finished_ = true;
  done_ = nullptr;
  frames_.clear();
  end_.close();
}

void zap_client::on_readable(link&, int) noexcept {
  try {
    loop_.post([self = shared_from_this()] { self->read_reply(); });
  } catch (...) {
    // Out of memory: the handshake timeout ends the connection.
  }
}

void zap_client::on_writable(link&, int) noexcept {}  // no HWM on this link

void zap_client::post(outcome o) {
  loop_.post([self = shared_from_this(), o = std::move(o)] { self->finish(o); });
}

void zap_client::read_reply() {
  if (finished_ || !end_) return;
  for (;;) {
    message frame;
    switch (end_.read(frame)) {
      case link_end::read_status::empty: return;  // asleep again: the next flush wakes us
      case link_end::read_status::closed: {
        outcome o;
        o.error =
            zmtp::make_protocol_error(zmtp::protocol_code::zap_unspecified, "the ZAP handler went away");
        finish(o);
        return;
      }
      case link_end::read_status::ok: break;
    }
    const bool more = frame.more();
    frames_.push_back(std::move(frame));
    // libzmq reads exactly 7 frames; a shorter or longer reply is malformed.
    if (more && frames_.size() < security::zap_reply_frames) continue;
    outcome o;
    zmtp::zap_reply reply;
    if (auto error = security::parse_zap_reply(frames_, reply))
      o.error = *error;
    else
      o.reply = std::move(reply);
    finish(o);
    return;
  }
}

void zap_client::finish(const outcome& o) {
  if (finished_) return;
  finished_ = true;
  frames_.clear();
  end_.close();
  callback done = std::move(done_);
  done_ = nullptr;
  if (done) done(o);
}

}  // namespace ringmq::detail
