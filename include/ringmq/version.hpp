// Library version: compile-time macros for the headers in use and a run-time query for the
// shared library actually loaded.
#pragma once

#include <ringmq/export.hpp>

#define RINGMQ_VERSION_MAJOR 0
#define RINGMQ_VERSION_MINOR 1
#define RINGMQ_VERSION_PATCH 0

namespace ringmq {

struct version_info {
  int major;
  int minor;
  int patch;
};

// The version of the loaded libringmq.so (may differ from the RINGMQ_VERSION_* macros if the
// program was built against other headers).
RINGMQ_API version_info version() noexcept;

}  // namespace ringmq
