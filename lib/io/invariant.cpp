#include "io/invariant.hpp"

#include <cstdio>
#include <cstdlib>

namespace ringmq::detail::io {

void invariant_failed(const char* what, std::source_location where) noexcept {
  std::fprintf(stderr, "ringmq io: invariant broken at %s:%u (%s): %s\n", where.file_name(),
               static_cast<unsigned>(where.line()), where.function_name(), what);
  std::abort();
}

}  // namespace ringmq::detail::io
