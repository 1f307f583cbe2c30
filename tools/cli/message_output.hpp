// message_output: how received messages are written to stdout, one message at a time and
// flushed at once (so pipelines see each message as it arrives):
//   quoted  (default) printable ASCII as is; \\ \t \n \r and \xNN for other bytes; parts
//           joined by the separator (a tab unless --separator), then a newline
//   raw     the bytes as they are, parts joined by the separator, then a newline
//   hex     each part in lower-case hex, parts joined by the separator, then a newline
//   json    one object per line: {"parts":[...]} where a part is a string when it is valid
//           UTF-8 and {"base64":"..."} otherwise; "user_id" when the connection has one
//           (CURVE key, PLAIN user name)
//   length  length-framed as message_source reads it (binary-safe; see message_source.hpp)
#pragma once

#include <ringmq/message.hpp>

#include <cstdio>
#include <span>
#include <string>
#include <string_view>

namespace ringmq_cli {

enum class output_format { quoted, raw, hex, json, length };

void write_message(std::FILE* out, output_format format, std::span<const ringmq::message> parts,
                   std::string_view separator);

// Pieces used by other commands' output.
std::string json_string(std::string_view text);  // a quoted JSON string; text must be UTF-8
bool is_utf8(std::string_view text);
std::string base64(std::string_view bytes);

}  // namespace ringmq_cli
