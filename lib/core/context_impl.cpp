#include "core/context_impl.hpp"

#include <ringmq/error.hpp>

#include <algorithm>
#include <cerrno>
#include <string>

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

namespace {
void check_not_started(bool started, const char* what) {
  if (started)
    throw error(make_error_code(errc::invalid_state), std::string(what) + ": I/O threads already started");
}
}  // namespace

void context_impl::set_io_threads(int n) {
  std::lock_guard lock(mutex_);
  if (n < 1 || n > 64) throw error(make_error_code(errc::invalid_option_value), "io_threads");
  check_not_started(io_threads_fixed_, "io_threads");
  threads_.count = n;
}

int context_impl::io_threads() const {
  std::lock_guard lock(mutex_);
  return threads_.count;
}

// The ranges are libzmq's (any non-negative value; the OS judges it when the threads start).
void context_impl::set_thread_sched_policy(int policy) {
  std::lock_guard lock(mutex_);
  if (policy < 0) throw error(make_error_code(errc::invalid_option_value), "thread_sched_policy");
  check_not_started(io_threads_fixed_, "thread_sched_policy");
  threads_.sched_policy = policy;
}

void context_impl::set_thread_priority(int priority) {
  std::lock_guard lock(mutex_);
  if (priority < 0) throw error(make_error_code(errc::invalid_option_value), "thread_priority");
  check_not_started(io_threads_fixed_, "thread_priority");
  threads_.priority = priority;
}

void context_impl::add_thread_affinity_cpu(int cpu) {
  std::lock_guard lock(mutex_);
  if (cpu < 0) throw error(make_error_code(errc::invalid_option_value), "thread_affinity_cpu_add");
  check_not_started(io_threads_fixed_, "thread_affinity_cpu_add");
  threads_.affinity_cpus.insert(cpu);
}

void context_impl::remove_thread_affinity_cpu(int cpu) {
  std::lock_guard lock(mutex_);
  if (cpu < 0) throw error(make_error_code(errc::invalid_option_value), "thread_affinity_cpu_remove");
  check_not_started(io_threads_fixed_, "thread_affinity_cpu_remove");
  if (threads_.affinity_cpus.erase(cpu) == 0)
    throw error(std::make_error_code(std::errc::invalid_argument),
                "thread_affinity_cpu_remove: CPU not added");
}

void context_impl::set_thread_name_prefix(std::string_view prefix) {
  std::lock_guard lock(mutex_);
  // libzmq takes up to 16 bytes; the thread name keeps 15 characters in all.
  if (prefix.size() > 16 || prefix.find('\0') != std::string_view::npos)
    throw error(make_error_code(errc::invalid_option_value), "thread_name_prefix");
  check_not_started(io_threads_fixed_, "thread_name_prefix");
  threads_.name_prefix = prefix;
}

io_thread_options context_impl::thread_options() const {
  std::lock_guard lock(mutex_);
  return threads_;
}

void context_impl::set_max_sockets(int n) {
  std::lock_guard lock(mutex_);
  if (n < 1) throw error(make_error_code(errc::invalid_option_value), "max_sockets");
  if (sockets_started_)
    throw error(make_error_code(errc::invalid_state), "max_sockets: sockets were created already");
  max_sockets_ = n;
}

int context_impl::max_sockets() const {
  std::lock_guard lock(mutex_);
  return max_sockets_;
}

void context_impl::set_max_msgsz(int n) {
  std::lock_guard lock(mutex_);
  if (n < 0) throw error(make_error_code(errc::invalid_option_value), "max_msgsz");
  max_msgsz_ = n;
}

int context_impl::max_msgsz() const {
  std::lock_guard lock(mutex_);
  return max_msgsz_;
}

void context_impl::set_zero_copy_recv(bool on) {
  std::lock_guard lock(mutex_);
  zero_copy_recv_ = on;
}

bool context_impl::zero_copy_recv() const {
  std::lock_guard lock(mutex_);
  return zero_copy_recv_;
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
  sockets_started_ = true;
  std::erase_if(sockets_, [](const std::weak_ptr<mailbox>& w) { return w.expired(); });
  // libzmq's "too many open files" for a context out of socket slots.
  if (sockets_.size() >= static_cast<std::size_t>(max_sockets_))
    throw error(std::error_code(EMFILE, std::generic_category()), "socket: MAX_SOCKETS sockets are open");
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

io_thread_options context_impl::freeze_io_threads() {
  std::lock_guard lock(mutex_);
  io_threads_fixed_ = true;
  return threads_;
}

void context_impl::thaw_io_threads() {
  std::lock_guard lock(mutex_);
  io_threads_fixed_ = false;
}

}  // namespace ringmq::detail
