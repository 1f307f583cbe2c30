// inproc: sockets of one context connected directly through a link, with no I/O thread in
// the path. Bind and connect work in either order: a connect to a name nobody bound yet
// is kept pending (its messages queue) until the bind arrives.
#pragma once

#include "core/context_impl.hpp"
#include "core/link.hpp"
#include "core/transport.hpp"

#include <ringmq/socket_type.hpp>

#include <memory>
#include <span>
#include <string_view>

namespace ringmq::detail {

std::unique_ptr<transport> make_inproc_transport();

// ---- Internal clients that are not sockets (the stream sessions' ZAP client) ----

// The context's inproc namespace. Take it on a thread that owns a socket of the context (at
// bind or connect), where the context is known to be alive, and keep it: it stays usable
// from any thread for as long as it is held.
std::shared_ptr<context_extension> inproc_namespace_of(context_impl& ctx);

// Connects an internal client to the socket bound at inproc://`name`, if one is bound and
// its type is among `accepted`. The link has no HWM either way (libzmq's ZAP pipe); the
// client holds side 0 and is presented to the socket as a DEALER without routing id;
// `listener` is told when the socket wrote to or closed the link (on the socket's thread:
// post the work to your own). Returns an empty link_end when nothing suitable is bound;
// connects made before a bind are not queued. Any thread.
link_end connect_internal(context_extension& ns, std::string_view name, std::span<const socket_type> accepted,
                          std::shared_ptr<link_listener> listener);

}  // namespace ringmq::detail
