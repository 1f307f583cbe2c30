// The --help texts, written as short man pages (NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXIT
// STATUS, EXAMPLES). docs/ringmq.1 is the installed man page with the same content.
#pragma once

#include <string_view>

namespace ringmq_cli {

// The text for `ringmq <command> --help` ("" for `ringmq --help`); empty for an unknown
// command.
std::string_view help_text(std::string_view command) noexcept;

}  // namespace ringmq_cli
