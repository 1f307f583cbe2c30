// The out-of-line parts of ringmq::message: allocation, sharing and release of bodies.
#include "core/large_block_pool.hpp"
#include "core/message_access.hpp"

#include <cstdlib>
#include <new>

namespace ringmq {

using detail::message_content;

namespace detail {

message_content* allocate_owned_content(std::size_t size, std::byte*& data) {
  const std::size_t needed = sizeof(message_content) + size;
  std::size_t capacity = needed;
  void* block = pool_large_bodies ? large_block_pool::process_wide().allocate(needed, capacity) : nullptr;
  if (block == nullptr) block = std::malloc(needed);
  if (block == nullptr) throw std::bad_alloc();
  auto* content = new (block) message_content{{1}, nullptr, nullptr, capacity};
  data = static_cast<std::byte*>(block) + sizeof(message_content);
  return content;
}

void release_content(message_content* content, std::byte* data, std::uint32_t count) noexcept {
  // acq_rel: the last owner must observe all writes made through other copies.
  if (content->refs.fetch_sub(count, std::memory_order_acq_rel) != count) return;
  if (content->ffn != nullptr) {
    content->ffn(data, content->hint);
    delete content;
  } else if (content->hint != nullptr) {
    // A slice: its header lives in the shared block, which this releases in turn.
    release_content(static_cast<message_content*>(content->hint), nullptr);
  } else {
    const std::size_t capacity = content->capacity;
    content->~message_content();
    if (!pool_large_bodies || !large_block_pool::process_wide().deallocate(content, capacity))
      std::free(content);
  }
}

}  // namespace detail

void message::allocate(std::size_t size) {
  std::byte* bytes = nullptr;
  u_.ext.content = detail::allocate_owned_content(size, bytes);
  u_.ext.data = bytes;
  u_.ext.size = size;
  kind_ = kind_shared;
}

// clear_fields() and the assignments below set every field; u_'s inline bytes are not used.
// NOLINTNEXTLINE(cppcoreguidelines-pro-type-member-init)
message::message(void* data, std::size_t size, free_fn ffn, void* hint) {
  clear_fields();
  // No free function: the caller keeps the bytes alive and frees them (as with libzmq).
  if (ffn == nullptr) ffn = [](void*, void*) noexcept {};
  u_.ext.content = new message_content{{1}, ffn, hint, 0};
  u_.ext.data = static_cast<std::byte*>(data);
  u_.ext.size = size;
  kind_ = kind_shared;
}

message message::constant(const void* data, std::size_t size) {
  message m;
  m.u_.ext.content = nullptr;
  m.u_.ext.data = static_cast<std::byte*>(const_cast<void*>(data));
  m.u_.ext.size = size;
  m.kind_ = kind_constant;
  return m;
}

// Field by field, not a memcpy of the object (message is not trivially copyable).
message::message(const message& other) noexcept
    : u_(other.u_),
      meta_(other.meta_),
      kind_(other.kind_),
      inline_size_(other.inline_size_),
      flags_(other.flags_),
      routing_id_(other.routing_id_) {
  if (kind_ == kind_shared) u_.ext.content->refs.fetch_add(1, std::memory_order_relaxed);
  if (meta_ != nullptr) meta_->add_ref();
}

message& message::operator=(const message& other) noexcept {
  if (this != &other) {
    message copy(other);
    *this = std::move(copy);
  }
  return *this;
}

bool message::shared() const noexcept {
  return kind_ == kind_shared && u_.ext.content->refs.load(std::memory_order_relaxed) > 1;
}

std::optional<std::string_view> message::property(std::string_view name) const {
  if (meta_ == nullptr) return std::nullopt;
  return meta_->find(name);
}

void message::release() noexcept {
  if (kind_ == kind_shared) detail::release_content(u_.ext.content, u_.ext.data);
  if (meta_ != nullptr) meta_->release();
}

}  // namespace ringmq
