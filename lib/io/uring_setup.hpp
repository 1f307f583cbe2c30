// uring_setup: creating a loop's ring and learning what the kernel offers — setup flags
// tried from most to least capable, required features and opcodes checked, optional ones
// (multishot receive) recorded — and the readable explanation when io_uring cannot start.
#pragma once

#include "io/io_uring_loop.hpp"

#include <liburing.h>

#include <string>
#include <string_view>

namespace ringmq::detail::io {

struct ring_features {
  unsigned setup_flags = 0;       // the IORING_SETUP_* set the kernel accepted
  bool taskrun_flag = false;      // IORING_SQ_TASKRUN tells when task work is pending
  bool multishot_recv = false;    // Linux 6.0
  bool multishot_accept = false;  // Linux 5.19
};

// Creates `ring` on the calling thread (it becomes the ring's only submitter). Returns 0,
// or a negative errno and sets `what` to the step that failed.
int open_ring(io_uring& ring, const uring_config& config, ring_features& features, std::string& what);

// "ringmq io: io_uring is unavailable: <what> failed with EPERM. Likely cause: ..."; the
// caller's std::system_error appends strerror.
std::string unavailable_message(int error, std::string_view what);

}  // namespace ringmq::detail::io
