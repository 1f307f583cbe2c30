// The `ringmq` program: picks the subcommand, shows --help, and turns every failure into one
// line on stderr and an exit status (0 ok, 1 failure, 2 usage, 3 timeout; cli_error.hpp).
#include "cli_error.hpp"
#include "commands.hpp"
#include "help_text.hpp"

#include <ringmq/error.hpp>
#include <ringmq/version.hpp>

#include <cstdio>
#include <exception>
#include <span>
#include <string>
#include <string_view>

namespace {

using namespace ringmq_cli;

int dispatch(std::string_view command, arg_reader& args) {
  if (command == "cat") return run_cat(cat_mode::cat, args);
  if (command == "send") return run_cat(cat_mode::send, args);
  if (command == "recv") return run_cat(cat_mode::recv, args);
  if (command == "keygen") return run_keygen(args);
  if (command == "monitor") return run_monitor(args);
  if (command == "proxy") return run_proxy(args);
  if (command == "bench") return run_bench(args);
  throw usage_error("unknown command '" + std::string(command) +
                    "' (cat, send, recv, keygen, monitor, proxy, bench)");
}

bool asks_for_help(std::span<char* const> args, std::string_view command) {
  if (command == "bench")
    return !args.empty() && std::string_view(args[0]) == "--help";  // the rest is compare.py's
  for (const char* a : args) {
    const std::string_view s(a);
    if (s == "--") return false;
    if (s == "--help" || s == "-h") return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char* const> all(argv, static_cast<std::size_t>(argc));
  if (all.size() < 2) {
    std::fputs("usage: ringmq <cat|send|recv|keygen|monitor|proxy|bench> [OPTIONS]  (see ringmq --help)\n",
               stderr);
    return exit_usage;
  }
  const std::string_view command = all[1];
  if (command == "--help" || command == "-h" || command == "help") {
    const std::string_view topic = all.size() > 2 && command == "help" ? std::string_view(all[2]) : "";
    const std::string_view text = help_text(topic);
    if (text.empty()) {
      std::fprintf(stderr, "ringmq: no help for '%.*s'\n", static_cast<int>(topic.size()), topic.data());
      return exit_usage;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  if (command == "--version") {
    const auto v = ringmq::version();
    std::printf("ringmq %d.%d.%d\n", v.major, v.minor, v.patch);
    return 0;
  }
  const auto args_span = all.subspan(2);
  const std::string prefix = "ringmq " + std::string(command);
  try {
    if (asks_for_help(args_span, command) && !help_text(command).empty()) {
      const std::string_view text = help_text(command);
      std::fwrite(text.data(), 1, text.size(), stdout);
      return 0;
    }
    arg_reader args(args_span);
    return dispatch(command, args);
  } catch (const usage_error& e) {
    const bool known = !help_text(command).empty();
    std::fprintf(stderr, "%s: %s (see '%s --help')\n", known ? prefix.c_str() : "ringmq", e.what(),
                 known ? prefix.c_str() : "ringmq");
    return exit_usage;
  } catch (const timeout_error& e) {
    std::fprintf(stderr, "%s: %s\n", prefix.c_str(), e.what());
    return exit_timeout;
  } catch (const std::exception& e) {
    // failure, ringmq::error ("bind tcp://...: Address already in use"), std::system_error.
    std::fprintf(stderr, "%s: %s\n", prefix.c_str(), e.what());
    return exit_failure;
  }
}
