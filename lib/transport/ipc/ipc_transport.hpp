// ipc: Unix domain stream sockets. "ipc:///abs/path" or "ipc://relative/path" in the
// filesystem, "ipc://@name" in Linux's abstract namespace, "ipc://*" for a fresh unique
// path (readable back through last_endpoint).
#pragma once

#include "core/transport.hpp"

#include <memory>

namespace ringmq::detail {

std::unique_ptr<transport> make_ipc_transport();

}  // namespace ringmq::detail
