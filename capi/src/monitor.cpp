// zmq_socket_monitor and zmq_socket_monitor_versioned over ringmq::monitor (monitor.hpp).
#include "monitor.hpp"

#include <cstring>

namespace ringmq::capi {

namespace {

// Events queued between the monitored socket's I/O threads and the pump.
constexpr std::size_t queue_capacity = 4096;

ringmq::message u64_frame(std::uint64_t v) { return ringmq::message(&v, sizeof v); }

}  // namespace

monitor_pump::monitor_pump(socket_handle& target, const char* endpoint, std::uint64_t events, int version,
                           int type)
    : mask_(events), version_(version) {
  out_ = ringmq::socket(target.owner.cpp(), static_cast<ringmq::socket_type>(type));
  // Never hold up the context's termination for events nobody read (libzmq does the same).
  out_.set(ringmq::opt::linger, std::chrono::milliseconds(0));
  out_.bind(endpoint);
  events_ = target.sock.monitor(static_cast<ringmq::monitor_event>(events & 0xffffffffU), queue_capacity);
  thread_ = std::thread([this] { run(); });
}

monitor_pump::~monitor_pump() {
  events_.stop();
  thread_.join();
}

void monitor_pump::run() noexcept {
  // The queue ends with monitor_stopped once stopped; next() is empty after that.
  while (auto e = events_.next()) forward(*e);
  out_.close();
}

void monitor_pump::forward(const ringmq::socket_event& e) noexcept {
  const auto event = static_cast<std::uint32_t>(e.type);
  // ringmq's queue always ends with MONITOR_STOPPED; libzmq sends it only when asked.
  if ((event & mask_) == 0) return;
  try {
    std::vector<ringmq::message> frames;
    if (version_ == 1) {
      // libzmq: one frame of a 16-bit event and a 32-bit value, then the endpoint.
      unsigned char head[6];
      const auto id = static_cast<std::uint16_t>(event);
      const auto value = static_cast<std::uint32_t>(e.value);
      std::memcpy(head, &id, sizeof id);
      std::memcpy(head + sizeof id, &value, sizeof value);
      frames.emplace_back(head, sizeof head);
      frames.emplace_back(std::string_view(e.endpoint));
    } else {
      // libzmq's version 2: event, number of values, the values, local and remote address.
      // The endpoint given to bind is the local address of what happens on a listener; a
      // connect's endpoint is the remote address (ringmq then reports the same peer).
      const bool connected_side = !e.peer_address.empty() && e.peer_address == e.endpoint;
      frames.push_back(u64_frame(event));
      frames.push_back(u64_frame(1));
      frames.push_back(u64_frame(static_cast<std::uint64_t>(e.value)));
      frames.emplace_back(
          std::string_view(connected_side ? std::string_view() : std::string_view(e.endpoint)));
      frames.emplace_back(std::string_view(connected_side ? e.endpoint : e.peer_address));
    }
    std::error_code ec;
    for (std::size_t i = 0; i < frames.size(); ++i) {
      const bool last = i + 1 == frames.size();
      const auto flags =
          last ? ringmq::send_flags::dontwait : ringmq::send_flags::dontwait | ringmq::send_flags::sndmore;
      // Only the first part can be refused: a multipart message goes whole or not at all.
      if (!out_.send(std::move(frames[i]), flags, ec)) return;
    }
  } catch (...) {
    // Out of memory: this event is lost, like one dropped for a slow reader.
  }
}

}  // namespace ringmq::capi

using ringmq::capi::fail;
using ringmq::capi::socket_handle;

extern "C" {

int zmq_socket_monitor_versioned(void* socket, const char* endpoint, uint64_t events, int event_version,
                                 int type) {
  socket_handle* s = socket_handle::from(socket);
  if (s == nullptr) return -1;
  if (s->owner.is_shut_down()) return fail(ETERM);
  if (event_version != 1 && event_version != 2) return fail(EINVAL);
  // Version 1 carries 16-bit events.
  if (event_version == 1 && (events >> 16) != 0) return fail(EINVAL);
  if (endpoint == nullptr) {
    s->monitor.reset();
    return 0;
  }
  const std::string_view ep(endpoint);
  const auto scheme_end = ep.find("://");
  if (scheme_end == std::string_view::npos) return fail(EINVAL);
  // Events go out over inproc only; a transport ringmq has not got is EPROTONOSUPPORT too.
  if (ep.substr(0, scheme_end) != "inproc") return fail(EPROTONOSUPPORT);
  if (type != ZMQ_PAIR && type != ZMQ_PUB && type != ZMQ_PUSH) return fail(EINVAL);
  return ringmq::capi::guarded(-1, [&] {
    s->monitor.reset();  // a new monitor replaces the old one, which ends with MONITOR_STOPPED
    s->monitor = std::make_unique<ringmq::capi::monitor_pump>(*s, endpoint, events, event_version, type);
    return 0;
  });
}

int zmq_socket_monitor(void* socket, const char* endpoint, int events) {
  return zmq_socket_monitor_versioned(socket, endpoint, static_cast<std::uint32_t>(events), 1, ZMQ_PAIR);
}

}  // extern "C"
