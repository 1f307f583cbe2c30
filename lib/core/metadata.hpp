// metadata: the immutable, reference-counted property set of one connection (Socket-Type,
// Identity, User-Id, Peer-Address, X-*) shared by every message received on it.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringmq::detail {

class metadata {
 public:
  using property = std::pair<std::string, std::string>;

  // Creates a set with one reference held by the caller.
  static metadata* create(std::vector<property> properties);

  void add_ref(std::uint32_t n = 1) noexcept { refs_.fetch_add(n, std::memory_order_relaxed); }
  void release(std::uint32_t n = 1) noexcept {
    // acq_rel: the last release must see every other owner's accesses before deleting.
    if (refs_.fetch_sub(n, std::memory_order_acq_rel) == n) delete this;
  }

  // Case-insensitive lookup (rfc 23: property names are case-insensitive).
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept;
  [[nodiscard]] const std::vector<property>& properties() const noexcept { return props_; }
  // The current count (for tests: it changes under concurrent owners).
  [[nodiscard]] std::uint32_t references() const noexcept { return refs_.load(std::memory_order_relaxed); }

 private:
  explicit metadata(std::vector<property> props) : props_(std::move(props)) {}
  std::atomic<std::uint32_t> refs_{1};
  std::vector<property> props_;
};

// Owning handle for code that keeps metadata beyond a message's life.
class metadata_ptr {
 public:
  metadata_ptr() = default;
  explicit metadata_ptr(metadata* adopted) noexcept : p_(adopted) {}
  metadata_ptr(const metadata_ptr& o) noexcept : p_(o.p_) {
    if (p_ != nullptr) p_->add_ref();
  }
  metadata_ptr(metadata_ptr&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  metadata_ptr& operator=(metadata_ptr o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~metadata_ptr() {
    if (p_ != nullptr) p_->release();
  }
  [[nodiscard]] metadata* get() const noexcept { return p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  metadata* operator->() const noexcept { return p_; }

 private:
  metadata* p_ = nullptr;
};

// Hands out references to one set for the messages a connection receives. They are taken
// from the shared count a block at a time: the messages are released on the socket's
// thread, and an increment per message from the decoding thread would pull the count's
// cache line across cores twice per message.
class metadata_source {
 public:
  metadata_source() = default;
  explicit metadata_source(metadata_ptr set) noexcept : set_(std::move(set)) {}
  metadata_source(const metadata_source&) = delete;
  metadata_source& operator=(const metadata_source&) = delete;
  metadata_source& operator=(metadata_source&& o) noexcept {
    give_back();
    set_ = std::move(o.set_);
    spare_ = std::exchange(o.spare_, 0);
    return *this;
  }
  ~metadata_source() { give_back(); }

  // The set with one reference for the caller to own (null when there is no set).
  [[nodiscard]] metadata* take() noexcept {
    if (!set_) return nullptr;
    if (spare_ == 0) {
      set_->add_ref(block);
      spare_ = block;
    }
    --spare_;
    return set_.get();
  }
  [[nodiscard]] const metadata_ptr& set() const noexcept { return set_; }

  static constexpr std::uint32_t block = 1024;

 private:
  void give_back() noexcept {
    if (spare_ != 0) set_->release(std::exchange(spare_, 0));
  }

  metadata_ptr set_;
  std::uint32_t spare_ = 0;  // references taken from the count and not handed out yet
};

}  // namespace ringmq::detail
