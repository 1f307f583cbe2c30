// inproc: sockets of one context connected directly through a link, with no I/O thread in
// the path. Bind and connect work in either order: a connect to a name nobody bound yet
// is kept pending (its messages queue) until the bind arrives.
#pragma once

#include "core/transport.hpp"

#include <memory>

namespace ringmq::detail {

std::unique_ptr<transport> make_inproc_transport();

}  // namespace ringmq::detail
