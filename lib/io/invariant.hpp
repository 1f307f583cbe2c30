// invariant: aborts with file and line when a broken invariant — a programming error in
// the caller or in this layer — is detected (the house rule: broken invariants abort). Never
// used for what a peer or the kernel reports: those become error values.
#pragma once

#include <source_location>

namespace ringmq::detail::io {

[[noreturn]] void invariant_failed(const char* what, std::source_location where) noexcept;

inline void invariant(bool ok, const char* what, std::source_location where = std::source_location::current()) noexcept {
  if (!ok) [[unlikely]]
    invariant_failed(what, where);
}

}  // namespace ringmq::detail::io
