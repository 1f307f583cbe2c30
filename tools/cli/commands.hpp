// The CLI's subcommands. Each takes the arguments after its name and returns the exit status
// (0 on success); failures are thrown (cli_error.hpp) and reported by main().
#pragma once

#include "arg_reader.hpp"

namespace ringmq_cli {

// cat: send and/or receive, as the socket type allows; send: only send; recv: only receive.
enum class cat_mode { cat, send, recv };

int run_cat(cat_mode mode, arg_reader& args);
int run_keygen(arg_reader& args);
int run_monitor(arg_reader& args);
int run_proxy(arg_reader& args);
int run_bench(arg_reader& args);

}  // namespace ringmq_cli
