// The CLI's failures, each ending the program with one line on stderr and its exit status:
//   usage_error   2  the command line is wrong (unknown option, missing value, bad number)
//   failure       1  the command could not do its work (bad endpoint, unreadable key file)
//   timeout_error 3  --timeout passed with nothing sent or received
// ringmq::error and other std::exceptions thrown by the library are failures too (main.cpp).
#pragma once

#include <stdexcept>
#include <string>

namespace ringmq_cli {

inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_timeout = 3;

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct timeout_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace ringmq_cli
