// The pattern layer's half of a socket type's row: its factory. Everything else a socket
// type is (name, peers, traits) is its row in core/socket_type_table.hpp; registry.cpp
// lists the factories in that table's order, checked at compile time.
#pragma once

#include "core/pattern.hpp"

#include <ringmq/socket_type.hpp>

#include <memory>

namespace ringmq::detail {

// Null for a type without an implementation.
pattern_factory find_pattern(socket_type type) noexcept;

std::unique_ptr<pattern> make_pair(pattern_host& host);
std::unique_ptr<pattern> make_pub(pattern_host& host);
std::unique_ptr<pattern> make_sub(pattern_host& host);
std::unique_ptr<pattern> make_xpub(pattern_host& host);
std::unique_ptr<pattern> make_xsub(pattern_host& host);
std::unique_ptr<pattern> make_push(pattern_host& host);
std::unique_ptr<pattern> make_pull(pattern_host& host);
std::unique_ptr<pattern> make_req(pattern_host& host);
std::unique_ptr<pattern> make_rep(pattern_host& host);
std::unique_ptr<pattern> make_dealer(pattern_host& host);
std::unique_ptr<pattern> make_router(pattern_host& host);
std::unique_ptr<pattern> make_stream(pattern_host& host);
std::unique_ptr<pattern> make_server(pattern_host& host);
std::unique_ptr<pattern> make_client(pattern_host& host);
std::unique_ptr<pattern> make_gather(pattern_host& host);
std::unique_ptr<pattern> make_scatter(pattern_host& host);

}  // namespace ringmq::detail
