// message: one frame of a (possibly multipart) message. Bodies up to inline_capacity bytes
// live inside the object; larger bodies are reference counted, so copying a message shares
// its bytes instead of duplicating them. A message is owned by one thread at a time.
#pragma once

#include <ringmq/export.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ringmq {

namespace detail {
struct message_content;
class metadata;
struct message_access;
}  // namespace detail

class RINGMQ_API message {
 public:
  // Called once when the last message sharing a zero-copy body is destroyed. It may run on
  // any thread (an I/O thread once the bytes reached the kernel) and may call back into the
  // library; it must not throw.
  using free_fn = void (*)(void* data, void* hint) noexcept;

  // Bodies up to this size are stored inline: no allocation, copied by value.
  static constexpr std::size_t inline_capacity = 48;

  // u_ stays uninitialised on purpose: clear_fields() sets every other field, and the inline
  // bytes are meaningless until written (zeroing 48 bytes per message costs on the hot path).
  message() noexcept { clear_fields(); }  // NOLINT(cppcoreguidelines-pro-type-member-init)
  // A body of `size` uninitialised bytes to fill through data().
  explicit message(std::size_t size) {  // NOLINT(cppcoreguidelines-pro-type-member-init): as above
    clear_fields();
    if (size <= inline_capacity)
      inline_size_ = static_cast<std::uint8_t>(size);
    else
      allocate(size);
  }
  // Copies `size` bytes from `data`.
  message(const void* data, std::size_t size) : message(size) {
    if (size != 0) std::memcpy(this->data(), data, size);
  }
  explicit message(std::string_view text) : message(text.data(), text.size()) {}
  explicit message(std::span<const std::byte> bytes) : message(bytes.data(), bytes.size()) {}
  // Zero-copy: the message refers to the caller's buffer and calls `ffn(data, hint)` when
  // the last copy is gone. The buffer must stay unchanged until then.
  message(void* data, std::size_t size, free_fn ffn, void* hint = nullptr);
  // Zero-copy over bytes that outlive every copy of the message (e.g. string literals).
  static message constant(const void* data, std::size_t size);

  message(const message& other) noexcept;
  message& operator=(const message& other) noexcept;
  // A move takes the fields as they are (the body's bytes, or its owner) and leaves `other`
  // empty. Field by field rather than a memcpy of the object: message is not trivially
  // copyable, so copying its bytes is undefined behaviour; the fields together are the same
  // 64 bytes.
  message(message&& other) noexcept
      : u_(other.u_),
        meta_(other.meta_),
        kind_(other.kind_),
        inline_size_(other.inline_size_),
        flags_(other.flags_),
        routing_id_(other.routing_id_) {
    other.clear_fields();
  }
  message& operator=(message&& other) noexcept {
    if (this != &other) {
      reset();
      u_ = other.u_;
      meta_ = other.meta_;
      kind_ = other.kind_;
      inline_size_ = other.inline_size_;
      flags_ = other.flags_;
      routing_id_ = other.routing_id_;
      other.clear_fields();
    }
    return *this;
  }
  ~message() { reset(); }

  [[nodiscard]] void* data() noexcept {
    return kind_ == kind_inline ? static_cast<void*>(u_.inline_bytes) : u_.ext.data;
  }
  [[nodiscard]] const void* data() const noexcept {
    return kind_ == kind_inline ? static_cast<const void*>(u_.inline_bytes) : u_.ext.data;
  }
  [[nodiscard]] std::size_t size() const noexcept {
    return kind_ == kind_inline ? inline_size_ : u_.ext.size;
  }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  [[nodiscard]] std::span<std::byte> bytes() noexcept { return {static_cast<std::byte*>(data()), size()}; }
  [[nodiscard]] std::span<const std::byte> bytes() const noexcept {
    return {static_cast<const std::byte*>(data()), size()};
  }
  [[nodiscard]] std::string_view view() const noexcept { return {static_cast<const char*>(data()), size()}; }
  [[nodiscard]] std::string to_string() const { return std::string(view()); }

  // True on a received part when another part of the same message follows.
  [[nodiscard]] bool more() const noexcept { return (flags_ & flag_more) != 0; }
  // rfc 41: on a message a SERVER received, the CLIENT it came from (never 0); to send from
  // a SERVER, set the CLIENT to send to. 0 on every other message.
  [[nodiscard]] std::uint32_t routing_id() const noexcept { return routing_id_; }
  void set_routing_id(std::uint32_t id) noexcept { routing_id_ = id; }

  // True when the body is shared with another message (copies share bodies).
  [[nodiscard]] bool shared() const noexcept;

  // Connection properties of a received message: "Socket-Type", "Identity", "User-Id",
  // "Peer-Address", "X-..." application metadata. Names compare case-insensitively as in
  // rfc 23. The view lives as long as this message and is NUL-terminated (a C string for
  // zmq_msg_gets; a value may hold NULs of its own before that one).
  [[nodiscard]] std::optional<std::string_view> property(std::string_view name) const;

  // Drops the body (and any properties); the message becomes empty.
  void reset() noexcept {
    if (kind_ != kind_inline || meta_ != nullptr) release();
    clear_fields();
  }

  friend bool operator==(const message& a, const message& b) noexcept { return a.view() == b.view(); }

 private:
  friend struct detail::message_access;
  static constexpr std::uint8_t kind_inline = 0;
  static constexpr std::uint8_t kind_shared = 1;
  static constexpr std::uint8_t kind_constant = 2;
  static constexpr std::uint8_t flag_more = 1;

  void clear_fields() noexcept {
    kind_ = kind_inline;
    inline_size_ = 0;
    flags_ = 0;
    routing_id_ = 0;
    meta_ = nullptr;
  }
  void release() noexcept;
  void allocate(std::size_t size);  // a shared body of `size` bytes

  union storage {
    std::byte inline_bytes[inline_capacity];
    struct external {
      std::byte* data;
      std::size_t size;
      detail::message_content* content;  // null for constant bodies
    } ext;
  } u_;
  detail::metadata* meta_;
  std::uint8_t kind_;
  std::uint8_t inline_size_;
  std::uint8_t flags_;
  std::uint32_t routing_id_;  // in the padding after flags_: the message stays 64 bytes
};

static_assert(sizeof(message) == 64, "message is one cache line");

}  // namespace ringmq
