// `ringmq bench [ARGS...]`: runs perf/compare.py (ringmq vs libzmq vs raw, see the README's
// Performance section) with ARGS passed through, over the perf tools of the build tree this
// program was built in. An installed ringmq has no perf tools; it says so.
#include "cli_error.hpp"
#include "commands.hpp"

#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace ringmq_cli {

int run_bench(arg_reader& args) {
  const std::string script = RINGMQ_CLI_COMPARE_PY;
  const std::string perf_dir = RINGMQ_CLI_PERF_DIR;
  std::error_code ec;
  if (perf_dir.empty() || !std::filesystem::exists(script, ec) ||
      !std::filesystem::is_directory(perf_dir, ec))
    throw failure(
        "bench: needs the build tree's perf tools and perf/compare.py (configure with "
        "-DRINGMQ_BUILD_PERF=ON, "
        "build the ringmq_perf target, and run this build's ringmq)");
  std::vector<std::string> argv = {"/usr/bin/python3", script};
  const std::vector<std::string> rest = args.rest();  // all of it is compare.py's
  bool has_bin = false;
  for (const auto& a : rest)
    if (a == "--bin" || a.starts_with("--bin=")) has_bin = true;
  if (!has_bin) {
    argv.emplace_back("--bin");
    argv.push_back(perf_dir);
  }
  argv.insert(argv.end(), rest.begin(), rest.end());
  std::vector<char*> cargv;
  cargv.reserve(argv.size() + 1);
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  ::execv(cargv[0], cargv.data());
  throw failure("bench: cannot run " + argv[0] + ": " + std::generic_category().message(errno));
}

}  // namespace ringmq_cli
