// SERVER (rfc 41): talks to CLIENTs; one-part messages. Each client is named by a 32-bit
// routing id, never 0, that a received message carries (message::routing_id) and a sent
// one names; a name nobody holds is EHOSTUNREACH, a client without room EAGAIN (libzmq's
// server.cpp does the same). Thread-safe (socket_type_table).
#include "core/pattern.hpp"
#include "pattern/errors.hpp"
#include "pattern/registry.hpp"
#include "pattern/strategy/fair_queue.hpp"
#include "pattern/strategy/single_part.hpp"

#include <cstdint>
#include <random>
#include <unordered_map>

namespace ringmq::detail {

namespace {

struct served_client final : peer_state {
  explicit served_client(std::uint32_t id) : routing_id(id) {}
  std::uint32_t routing_id;
};

class server final : public pattern {
 public:
  explicit server(pattern_host& host) : fq_(host) {
    // libzmq starts its counter at a random value too: ids of a restarted server are not
    // those of the last one.
    std::random_device rd;
    next_id_ = rd();
  }

  bool attach(peer& p) override {
    const std::uint32_t id = generate_id();
    p.pattern_state = std::make_unique<served_client>(id);
    by_id_.emplace(id, &p);
    fq_.attach(p);
    return true;
  }
  void detach(peer& p) override {
    fq_.detach(p);
    by_id_.erase(p.state<served_client>().routing_id);
  }
  void read_activated(peer& p) override { fq_.read_activated(p); }
  void write_activated(peer&) override {}

  std::error_code send(message& frame, bool more) override {
    if (std::error_code ec = refuse_more(more)) return ec;
    const auto it = by_id_.find(frame.routing_id());
    // A client that left is unreachable, whether or not the end of its pipe was read.
    if (it == by_id_.end() || it->second->end.peer_closed())
      return std::make_error_code(std::errc::host_unreachable);
    peer& to = *it->second;
    if (!to.end.can_write_or_drain()) return would_block();
    frame.set_routing_id(0);  // the id names the client here, not on the client's side
    to.end.write(std::move(frame), false);
    to.end.flush();
    return {};
  }

  std::error_code recv(message& frame) override {
    peer* from = nullptr;
    if (std::error_code ec = reader_.recv(fq_, frame, &from)) return ec;
    frame.set_routing_id(from->state<served_client>().routing_id);
    return {};
  }

  // As libzmq: whether a send goes through depends on the client it names.
  bool can_send() override { return true; }
  bool can_recv() override { return fq_.can_recv(); }

 private:
  std::uint32_t generate_id() {
    for (;;) {
      const std::uint32_t id = next_id_++;
      if (id != 0 && !by_id_.contains(id)) return id;
    }
  }

  fair_queue fq_;
  single_part_reader reader_;
  std::unordered_map<std::uint32_t, peer*> by_id_;
  std::uint32_t next_id_;
};

}  // namespace

std::unique_ptr<pattern> make_server(pattern_host& host) { return std::make_unique<server>(host); }

}  // namespace ringmq::detail
