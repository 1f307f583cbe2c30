// zap_client: one ZAP exchange (rfc 27) for a stream session, with the handler a socket of
// the same context bound at inproc://zeromq.zap.01 (REP or ROUTER, as libzmq accepts).
// The request and the reply's framing are libzmq's (security/zap_codec.hpp); the reply
// arrives on the handler's thread and is handed to the session's I/O thread through a post.
//
// No handler bound (libzmq session_base::zap_connect fails): NULL and CURVE go on as if the
// handler had said "200" (libzmq's "Stonehouse" behaviour) unless ZAP_ENFORCE_DOMAIN is set;
// PLAIN fails. Both fail with HANDSHAKE_FAILED_NO_DETAIL / EFAULT, as libzmq reports it.
//
// Threads: start() and cancel() on the session's I/O thread; `done` is called there, later,
// at most once, never after cancel(). The object stays alive while a post or the link holds it.
#pragma once

#include "core/context_impl.hpp"
#include "core/link.hpp"
#include "io/io_loop.hpp"
#include "zmtp/protocol_error.hpp"
#include "zmtp/zap.hpp"

#include <ringmq/message.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace ringmq::detail {

class zap_client final : public link_listener, public std::enable_shared_from_this<zap_client> {
 public:
  struct outcome {
    std::optional<zmtp::zap_reply> reply;  // the handler's answer (or the implicit "200")
    zmtp::error_info error;                // when there is no reply
  };
  using callback = std::function<void(const outcome&)>;

  // `inproc`: the context's inproc namespace (inproc_namespace_of). Never calls `done` from
  // inside start().
  static std::shared_ptr<zap_client> start(const std::shared_ptr<context_extension>& inproc,
                                           io::io_loop& loop, const zmtp::zap_request& request,
                                           bool enforce_domain, callback done);

  // No callback after this; the link to the handler is closed.
  void cancel() noexcept;

  zap_client(io::io_loop& loop, callback done) : loop_(loop), done_(std::move(done)) {}

 private:
  // link_listener, on the handler's thread.
  void on_readable(link& l, int side) noexcept override;
  void on_writable(link& l, int side) noexcept override;

  void post(outcome o);
  void read_reply();
  void finish(const outcome& o);

  io::io_loop& loop_;
  callback done_;
  link_end end_;
  std::vector<message> frames_;
  bool finished_ = false;
};

}  // namespace ringmq::detail
