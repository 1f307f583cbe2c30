#include "core/context_impl.hpp"

#include <ringmq/error.hpp>

#include <algorithm>

namespace ringmq::detail {

context_impl::~context_impl() {
  // Extensions go first (they join I/O threads that may still reference transports).
  std::unordered_map<const void*, std::shared_ptr<context_extension>> extensions;
  {
    std::lock_guard lock(mutex_);
    extensions.swap(extensions_);
  }
  for (auto& [key, ext] : extensions) ext->shutdown();
  extensions.clear();
}

void context_impl::set_io_threads(int n) {
  std::lock_guard lock(mutex_);
  if (n < 1 || n > 64) throw error(make_error_code(errc::invalid_option_value), "io_threads");
  if (io_threads_fixed_)
    throw error(make_error_code(errc::invalid_state), "io_threads: I/O threads already started");
  io_threads_ = n;
}

int context_impl::io_threads() const {
  std::lock_guard lock(mutex_);
  return io_threads_;
}

void context_impl::set_busy_poll_us(int us) {
  if (us < 0 || us > 1000000) throw error(make_error_code(errc::invalid_option_value), "busy_poll_us");
  busy_poll_us_.store(us, std::memory_order_relaxed);
}

socket_options context_impl::socket_defaults() const {
  std::lock_guard lock(mutex_);
  return defaults_;
}

std::error_code context_impl::set_socket_default(option id, std::int64_t value) {
  std::lock_guard lock(mutex_);
  return defaults_.set(id, value);
}

std::error_code context_impl::set_socket_default(option id, std::string_view value) {
  std::lock_guard lock(mutex_);
  return defaults_.set(id, value);
}

void context_impl::shutdown() noexcept {
  if (terminated_.exchange(true, std::memory_order_acq_rel)) return;
  std::vector<std::shared_ptr<mailbox>> boxes;
  std::vector<std::shared_ptr<context_extension>> extensions;
  {
    std::lock_guard lock(mutex_);
    for (auto& weak : sockets_)
      if (auto box = weak.lock()) boxes.push_back(std::move(box));
    for (auto& [key, ext] : extensions_) extensions.push_back(ext);
  }
  for (auto& box : boxes) box->post(command{});  // wake blocked calls: they see terminated()
  for (auto& ext : extensions) ext->shutdown();
}

void context_impl::drain() noexcept {
  std::vector<std::shared_ptr<context_extension>> extensions;
  {
    std::lock_guard lock(mutex_);
    for (auto& [key, ext] : extensions_) extensions.push_back(ext);
  }
  for (auto& ext : extensions) ext->drain();
}

void context_impl::register_socket(const std::shared_ptr<mailbox>& box) {
  std::lock_guard lock(mutex_);
  std::erase_if(sockets_, [](const std::weak_ptr<mailbox>& w) { return w.expired(); });
  sockets_.push_back(box);
}

void context_impl::unregister_socket(const mailbox* box) noexcept {
  std::lock_guard lock(mutex_);
  std::erase_if(sockets_, [box](const std::weak_ptr<mailbox>& w) {
    auto p = w.lock();
    return !p || p.get() == box;
  });
}

void context_impl::add_transport(std::unique_ptr<transport> t) {
  std::lock_guard lock(mutex_);
  transports_.push_back(std::move(t));
}

transport* context_impl::find_transport(std::string_view scheme) const noexcept {
  std::lock_guard lock(mutex_);
  for (const auto& t : transports_)
    if (t->scheme() == scheme) return t.get();
  return nullptr;
}

std::shared_ptr<context_extension> context_impl::extension(
    const void* key, const std::function<std::shared_ptr<context_extension>()>& make) {
  {
    std::lock_guard lock(mutex_);
    auto it = extensions_.find(key);
    if (it != extensions_.end()) return it->second;
  }
  // Constructed outside the lock: extensions read the context's options. Two threads may
  // race to create one; the first inserted wins.
  auto ext = make();
  std::lock_guard lock(mutex_);
  return extensions_.emplace(key, std::move(ext)).first->second;
}

int context_impl::freeze_io_threads() {
  std::lock_guard lock(mutex_);
  io_threads_fixed_ = true;
  return io_threads_;
}

}  // namespace ringmq::detail
