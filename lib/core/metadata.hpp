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

  void add_ref() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept {
    // acq_rel: the last release must see every other owner's accesses before deleting.
    if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Case-insensitive lookup (rfc 23: property names are case-insensitive).
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const noexcept;
  [[nodiscard]] const std::vector<property>& properties() const noexcept { return props_; }

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

}  // namespace ringmq::detail
