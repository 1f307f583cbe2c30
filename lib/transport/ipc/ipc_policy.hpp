// ipc_policy: the ipc listener's peer filters of libzmq 4.3 (IPC_FILTER_PID / _UID / _GID,
// checked against the connecting process's SO_PEERCRED). ipc sockets take no other
// transport-specific option.
#pragma once

#include "transport/stream/connection_policy.hpp"

namespace ringmq::detail {

// Process-wide and stateless.
const connection_policy& ipc_policy() noexcept;

}  // namespace ringmq::detail
