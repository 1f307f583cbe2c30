// secret: a string that is wiped when it dies or is overwritten — for CURVE secret keys
// and PLAIN passwords held in socket options (copied into every session), so that freed
// heap memory does not keep them.
#pragma once

#include <string.h>

#include <string>
#include <string_view>

namespace ringmq::detail {

class secret {
 public:
  secret() = default;
  secret(const secret& other) : value_(other.value_) {}
  secret& operator=(const secret& other) {
    if (this != &other) assign(other.value_);
    return *this;
  }
  ~secret() { wipe(); }

  void assign(std::string_view value) {
    wipe();
    value_.assign(value);
  }
  secret& operator=(std::string_view value) {
    assign(value);
    return *this;
  }
  [[nodiscard]] const std::string& str() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return value_.size(); }
  operator std::string_view() const noexcept { return value_; }  // NOLINT: read like a string

 private:
  // explicit_bzero: the compiler may not drop the wipe of memory about to be freed.
  void wipe() noexcept { ::explicit_bzero(value_.data(), value_.capacity()); }

  std::string value_;
};

}  // namespace ringmq::detail
