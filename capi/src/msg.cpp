// The zmq_msg_* family. A zmq_msg_t holds a ringmq::message: both are 64 bytes, and the
// C type is aligned like a pointer, as the message is. Copies share large bodies (reference
// counts), moves leave the source empty, as libzmq's do.
#include "message_cast.hpp"

#include <cctype>
#include <new>

namespace ringmq::capi {

namespace {

// A zero-copy body's C free function and hint, called through ringmq's noexcept free_fn.
struct c_release {
  zmq_free_fn* ffn;
  void* hint;
};

void release_c_buffer(void* data, void* hint) noexcept {
  auto* r = static_cast<c_release*>(hint);
  r->ffn(data, r->hint);
  delete r;
}

// libzmq 4.3's property names, and the name a ringmq or older peer may have used instead.
std::optional<std::string_view> find_property(const ringmq::message& m, std::string_view name) {
  if (auto v = m.property(name)) return v;
  const auto same = [](std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
        return false;
    return true;
  };
  if (same(name, "Routing-Id")) return m.property("Identity");
  if (same(name, "Identity")) return m.property("Routing-Id");
  return std::nullopt;
}

}  // namespace

}  // namespace ringmq::capi

using ringmq::capi::as_message;
using ringmq::capi::fail;

extern "C" {

int zmq_msg_init(zmq_msg_t* msg) {
  new (msg) ringmq::message();
  return 0;
}

int zmq_msg_init_size(zmq_msg_t* msg, size_t size) {
  return ringmq::capi::guarded(-1, [&] {
    new (msg) ringmq::message(size);
    return 0;
  });
}

int zmq_msg_init_buffer(zmq_msg_t* msg, const void* buf, size_t size) {
  if (buf == nullptr && size != 0) return fail(EINVAL);
  return ringmq::capi::guarded(-1, [&] {
    new (msg) ringmq::message(buf, size);
    return 0;
  });
}

int zmq_msg_init_data(zmq_msg_t* msg, void* data, size_t size, zmq_free_fn* ffn, void* hint) {
  if (data == nullptr && size != 0) return fail(EINVAL);
  if (ffn == nullptr) {
    // No free function: the caller keeps the bytes alive for as long as any copy lives.
    new (msg) ringmq::message(ringmq::message::constant(data, size));
    return 0;
  }
  return ringmq::capi::guarded(-1, [&] {
    auto* release = new ringmq::capi::c_release{ffn, hint};
    try {
      new (msg) ringmq::message(data, size, &ringmq::capi::release_c_buffer, release);
    } catch (...) {
      delete release;
      throw;
    }
    return 0;
  });
}

int zmq_msg_close(zmq_msg_t* msg) {
  // The message stays a valid empty one: closing twice, or re-initialising, is harmless.
  as_message(msg).reset();
  return 0;
}

int zmq_msg_move(zmq_msg_t* dest, zmq_msg_t* src) {
  as_message(dest) = std::move(as_message(src));
  return 0;
}

int zmq_msg_copy(zmq_msg_t* dest, zmq_msg_t* src) {
  as_message(dest) = as_message(src);
  return 0;
}

void* zmq_msg_data(zmq_msg_t* msg) { return as_message(msg).data(); }

size_t zmq_msg_size(const zmq_msg_t* msg) { return as_message(msg).size(); }

int zmq_msg_more(const zmq_msg_t* msg) { return as_message(msg).more() ? 1 : 0; }

int zmq_msg_get(const zmq_msg_t* msg, int property) {
  const ringmq::message& m = as_message(msg);
  switch (property) {
    case ZMQ_MORE: return m.more() ? 1 : 0;
    case ZMQ_SHARED: return m.shared() ? 1 : 0;
    case ZMQ_SRCFD: return -1;  // ringmq does not report a message's source descriptor
    default: return fail(EINVAL);
  }
}

// Draft (rfc 41): the CLIENT a SERVER's message came from or goes to; 0 is no client.
int zmq_msg_set_routing_id(zmq_msg_t* msg, uint32_t routing_id) {
  if (routing_id == 0) return fail(EINVAL);
  as_message(msg).set_routing_id(routing_id);
  return 0;
}

uint32_t zmq_msg_routing_id(zmq_msg_t* msg) { return as_message(msg).routing_id(); }

int zmq_msg_set(zmq_msg_t*, int, int) {
  // libzmq 4.3 has no settable message property either.
  return fail(EINVAL);
}

const char* zmq_msg_gets(const zmq_msg_t* msg, const char* property) {
  if (property != nullptr) {
    // The view is NUL-terminated (message::property) and lives as long as the message.
    if (auto value = ringmq::capi::find_property(as_message(msg), property)) return value->data();
  }
  errno = EINVAL;
  return nullptr;
}

}  // extern "C"
