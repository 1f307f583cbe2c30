#include "transport/ipc/ipc_policy.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace ringmq::detail {

namespace {

bool contains(const std::vector<std::int64_t>& values, std::int64_t v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// A buffer size for the getpw*_r / getgr*_r family.
std::size_t lookup_buffer_size(int name) {
  const long n = ::sysconf(name);
  return n > 0 ? static_cast<std::size_t>(n) : std::size_t{16384};
}

// Whether the user `uid` is listed as a member of one of `gids` (a supplementary group;
// the primary group was compared already). libzmq does the same with getpwuid/getgrgid.
// Runs on an I/O thread and may consult NSS; only when GID filters are set and nothing
// matched directly.
bool is_member_of_any(uid_t uid, const std::vector<std::int64_t>& gids) {
  passwd pw{};
  passwd* found_pw = nullptr;
  std::vector<char> pw_buf(lookup_buffer_size(_SC_GETPW_R_SIZE_MAX));
  if (::getpwuid_r(uid, &pw, pw_buf.data(), pw_buf.size(), &found_pw) != 0 || found_pw == nullptr)
    return false;
  std::vector<char> gr_buf(lookup_buffer_size(_SC_GETGR_R_SIZE_MAX));
  for (const std::int64_t gid : gids) {
    group gr{};
    group* found_gr = nullptr;
    int rc = 0;
    while ((rc = ::getgrgid_r(static_cast<gid_t>(gid), &gr, gr_buf.data(), gr_buf.size(), &found_gr)) ==
           ERANGE)
      gr_buf.resize(gr_buf.size() * 2);  // a large group's member list
    if (rc != 0 || found_gr == nullptr) continue;
    for (char** member = gr.gr_mem; member != nullptr && *member != nullptr; ++member)
      if (std::strcmp(*member, pw.pw_name) == 0) return true;
  }
  return false;
}

class ipc_connection_policy final : public connection_policy {
 public:
  std::error_code prepare(int, const socket_options&) const override { return {}; }
  std::error_code tune(int, const socket_options&) const override { return {}; }

  // libzmq (ipc_listener_t::filter): with any filter set, the peer is admitted if its pid,
  // uid or gid is listed, or its user is a member of a listed group.
  bool admits(int fd, const socket_options& options) const override {
    if (options.ipc_filter_pids.empty() && options.ipc_filter_uids.empty() && options.ipc_filter_gids.empty())
      return true;
    ucred cred{};
    socklen_t len = sizeof cred;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
    if (contains(options.ipc_filter_pids, cred.pid) || contains(options.ipc_filter_uids, cred.uid) ||
        contains(options.ipc_filter_gids, cred.gid))
      return true;
    return !options.ipc_filter_gids.empty() && is_member_of_any(cred.uid, options.ipc_filter_gids);
  }
};

}  // namespace

const connection_policy& ipc_policy() noexcept {
  static const ipc_connection_policy policy;
  return policy;
}

}  // namespace ringmq::detail
