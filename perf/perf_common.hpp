// perf_common: what every perf tool shares, whichever library it measures (ringmq, libzmq or
// none): command-line parsing, the clock, a latency histogram, the libzmq-compatible output
// lines, the --json form and the header line. Internal to perf/; header-only so each tool
// stays one translation unit.
//
// Output contract: without flags a tool prints exactly what libzmq's tool of the same name
// prints on stdout, so scripts written for libzmq's perf tools read ours. Everything extra
// (the header line, notes, warnings) goes to stderr, or into the one JSON object --json prints.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace perf {

// ---------------------------------------------------------------------------------------
// Errors: a tool that cannot run prints one line on stderr and exits 1 (libzmq's tools
// print "error in zmq_...: <strerror>" and return -1; the harness only needs "non-zero").

// Ends the process at once (from any thread: no destructor may wait for a peer that is gone).
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "error: %s\n", what.c_str());
  std::fflush(nullptr);
  std::_Exit(1);
}

// Runs a tool's body, turning an escaping exception into "error: ..." and exit code 1.
template <class Body>
int run_tool(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

// A helper thread's body: a failure there ends the whole tool with exit code 1.
template <class Body>
void run_or_exit(Body&& body) noexcept {
  if (run_tool(std::forward<Body>(body)) != 0) {
    std::fflush(nullptr);
    std::_Exit(1);
  }
}

// ---------------------------------------------------------------------------------------
// Command line: libzmq's positional arguments, then optional flags anywhere after the tool
// name. Flags never change the default output; they add to it.

struct options {
  std::vector<std::string> positional;
  bool percentiles = false;  // --percentiles: p50/p90/p99/p99.9/max of per-round-trip times
  std::int64_t warmup = 0;   // --warmup N: the first N round trips / messages are not timed
  bool json = false;         // --json: one JSON object on stdout instead of the text lines
  int busy_poll_us = 0;      // --busy-poll US: spin this long before sleeping
  bool quiet = false;        // --quiet: no header line on stderr
  bool hold = false;         // --hold (senders): after the last message, keep the connection
                             // open until stdin reaches end-of-file
};

struct tool_spec {
  const char* name = "";     // "remote_lat"
  const char* usage = "";    // "<connect-to> <message-size> <roundtrip-count>"
  std::size_t required = 0;  // positional arguments that must be present
  std::size_t optional = 0;  // positional arguments that may follow
  bool sender = false;       // accepts --hold
};

inline void print_usage(const tool_spec& spec) {
  std::fprintf(stderr,
               "usage: %s %s [--percentiles] [--warmup N] [--json] [--busy-poll US] [--quiet]\n"
               "  --percentiles  also print p50, p90, p99, p99.9 and max latency (half round trip)\n"
               "  --warmup N     leave the first N round trips / messages out of the timing; they still\n"
               "                 count towards the total, so the peer's arguments do not change\n"
               "  --json         print one JSON object (results and header) instead of the text lines\n"
               "  --busy-poll US spin up to US microseconds before sleeping (ringmq: context busy_poll_us)\n"
               "  --quiet        no header line on stderr\n",
               spec.name, spec.usage);
  if (spec.sender)
    std::fprintf(stderr,
                 "  --hold         after the last message, keep the connection open until standard input\n"
                 "                 reaches end-of-file (libzmq 4.3 can lose the tail of an ipc stream when\n"
                 "                 the sender exits at once, LINGER notwithstanding: libzmq#4660)\n");
}

inline std::int64_t parse_int(std::string_view text, const char* what, std::int64_t min_value) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min_value)
    fail(std::string("invalid ") + what + ": '" + std::string(text) +
         "' (want an integer >= " + std::to_string(min_value) + ")");
  return value;
}

inline options parse_options(int argc, char** argv, const tool_spec& spec) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg(argv[i]);
    auto value = [&](const char* flag) -> std::string_view {
      if (i + 1 >= argc) fail(std::string(flag) + " needs a value");
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      print_usage(spec);
      std::exit(0);
    } else if (arg == "--percentiles") {
      o.percentiles = true;
    } else if (arg == "--warmup") {
      o.warmup = parse_int(value("--warmup"), "--warmup", 0);
    } else if (arg == "--json") {
      o.json = true;
    } else if (arg == "--busy-poll") {
      o.busy_poll_us = static_cast<int>(parse_int(value("--busy-poll"), "--busy-poll", 0));
    } else if (arg == "--quiet") {
      o.quiet = true;
    } else if (arg == "--hold" && spec.sender) {
      o.hold = true;
    } else if (arg.size() > 2 && arg.substr(0, 2) == "--") {
      print_usage(spec);
      fail("unknown flag " + std::string(arg));
    } else {
      o.positional.emplace_back(arg);
    }
  }
  if (o.positional.size() < spec.required || o.positional.size() > spec.required + spec.optional) {
    print_usage(spec);
    std::exit(1);
  }
  return o;
}

// "tcp://127.0.0.1:5555" -> "tcp".
inline std::string transport_of(std::string_view endpoint) {
  const auto pos = endpoint.find("://");
  return pos == std::string_view::npos ? std::string("?") : std::string(endpoint.substr(0, pos));
}

// The checked warm-up count: it must leave at least one timed round / message.
inline std::int64_t checked_warmup(const options& o, std::int64_t count) {
  if (o.warmup >= count) fail("--warmup must be smaller than the count");
  return o.warmup;
}

// ---------------------------------------------------------------------------------------
// Clock: CLOCK_MONOTONIC through steady_clock, in nanoseconds.

inline std::int64_t now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// ---------------------------------------------------------------------------------------
// Histogram of durations in nanoseconds, log-linear (HdrHistogram's layout): values below
// 2^sub_bits are exact; above, each power of two is split into 2^(sub_bits-1) buckets, so a
// reported percentile is within 1/64 (1.6 %) of the true value. Fixed size, no allocation
// while recording.

class histogram {
 public:
  static constexpr unsigned sub_bits = 7;   // 128 linear buckets per power of two / 2
  static constexpr unsigned max_bits = 40;  // values up to ~18 minutes

  void record(std::int64_t ns) noexcept {
    const auto v = static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0));
    ++counts_[index_of(v)];
    ++total_;
    max_ = std::max(max_, v);
  }
  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }

  // The smallest recorded value v such that at least q (0..1) of the samples are <= v
  // (reported as the upper edge of its bucket, clamped to the maximum).
  [[nodiscard]] std::uint64_t quantile(double q) const noexcept {
    if (total_ == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total_)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= std::max<std::uint64_t>(rank, 1)) return std::min(upper_edge(i), max_);
    }
    return max_;
  }

 private:
  static constexpr std::uint64_t linear = std::uint64_t{1} << sub_bits;
  static constexpr std::size_t half = linear / 2;

  static std::size_t index_of(std::uint64_t v) noexcept {
    if (v < linear) return static_cast<std::size_t>(v);
    const unsigned msb = static_cast<unsigned>(std::bit_width(v)) - 1;  // >= sub_bits
    const unsigned shift = msb - (sub_bits - 1);
    const std::size_t top = static_cast<std::size_t>(v >> shift);  // in [half, linear)
    const std::size_t i = linear + (msb - sub_bits) * half + (top - half);
    return std::min(i, buckets - 1);
  }
  static std::uint64_t upper_edge(std::size_t i) noexcept {
    if (i < linear) return i;
    const std::size_t group = (i - linear) / half;
    const std::size_t top = half + (i - linear) % half;
    const unsigned shift = static_cast<unsigned>(group) + 1;
    return ((static_cast<std::uint64_t>(top) + 1) << shift) - 1;
  }
  static constexpr std::size_t buckets = linear + (max_bits - sub_bits) * half;

  std::array<std::uint64_t, buckets> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

// ---------------------------------------------------------------------------------------
// JSON: a flat object written field by field. Keys and string values are ASCII names chosen
// here or library/version strings; escape what JSON requires anyway.

class json_object {
 public:
  json_object& add(std::string_view key, std::string_view value) {
    std::string quoted = "\"";
    for (const char c : value) {
      if (c == '"' || c == '\\') {
        quoted += '\\';
        quoted += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
        quoted += buf;
      } else {
        quoted += c;
      }
    }
    quoted += '"';
    return raw(key, quoted);
  }
  json_object& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  json_object& add(std::string_view key, bool value) { return raw(key, value ? "true" : "false"); }
  json_object& add(std::string_view key, std::int64_t value) { return raw(key, std::to_string(value)); }
  json_object& add(std::string_view key, int value) { return add(key, std::int64_t{value}); }
  json_object& add(std::string_view key, double value) {
    if (!std::isfinite(value)) return raw(key, "null");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", value);
    return raw(key, buf);
  }
  [[nodiscard]] std::string str() const { return "{" + body_ + "}"; }

 private:
  json_object& raw(std::string_view key, std::string_view value) {
    if (!body_.empty()) body_ += ", ";
    body_ += '"';
    body_ += key;
    body_ += "\": ";
    body_ += value;
    return *this;
  }
  std::string body_;
};

// ---------------------------------------------------------------------------------------
// Header: which library, build and conditions produced a result, so numbers are comparable.

struct header {
  std::string tool;
  std::string library;  // "ringmq", "libzmq", "raw"
  std::string version;
  std::string transport;   // "tcp", "ipc", "inproc", "unix", "futex"
  std::string io_backend;  // "io_uring", "epoll", "none" (no I/O thread involved), ...
  bool curve = false;
  int busy_poll_us = 0;
  int io_threads = 1;

  void print(const options& o) const {
    if (o.quiet || o.json) return;
    std::fprintf(stderr,
                 "# %s: %s %s, transport %s, io backend %s, io threads %d, curve %s, busy-poll %d us\n",
                 tool.c_str(), library.c_str(), version.c_str(), transport.c_str(), io_backend.c_str(),
                 io_threads, curve ? "on" : "off", busy_poll_us);
  }
  void add_to(json_object& j) const {
    j.add("tool", tool)
        .add("library", library)
        .add("version", version)
        .add("transport", transport)
        .add("io_backend", io_backend)
        .add("io_threads", io_threads)
        .add("curve", curve)
        .add("busy_poll_us", busy_poll_us);
  }
};

// A note for the reader (stderr), kept out of the JSON and the libzmq-format stdout.
inline void note(const options& o, const char* text) {
  if (!o.quiet && !o.json) std::fprintf(stderr, "# %s\n", text);
}

// ---------------------------------------------------------------------------------------
// Results, printed in libzmq's format (or as JSON).

struct latency_result {
  std::int64_t message_size = 0;
  std::int64_t roundtrip_count = 0;  // as given on the command line (warm-up included)
  std::int64_t warmup = 0;
  std::int64_t elapsed_ns = 0;               // over the timed round trips only
  std::unique_ptr<histogram> per_roundtrip;  // round-trip times, when --percentiles

  // libzmq: elapsed / (2 * roundtrips): the mean one-way time, half a round trip.
  [[nodiscard]] double average_us() const {
    const auto timed = roundtrip_count - warmup;
    return static_cast<double>(elapsed_ns) / 1e3 / (2.0 * static_cast<double>(timed));
  }
};

// Runs `roundtrip()` `count` times, the first `warmup` untimed; with --percentiles, each timed
// round trip is also recorded (two clock reads, ~40 ns, outside nothing the library does).
template <class Roundtrip>
latency_result measure_roundtrips(const options& o, std::int64_t size, std::int64_t count,
                                  Roundtrip&& roundtrip) {
  latency_result r;
  r.message_size = size;
  r.roundtrip_count = count;
  r.warmup = checked_warmup(o, count);
  for (std::int64_t i = 0; i < r.warmup; ++i) roundtrip();
  if (o.percentiles) r.per_roundtrip = std::make_unique<histogram>();
  const auto start = now_ns();
  if (r.per_roundtrip) {
    for (std::int64_t i = r.warmup; i < count; ++i) {
      const auto t = now_ns();
      roundtrip();
      r.per_roundtrip->record(now_ns() - t);
    }
  } else {
    for (std::int64_t i = r.warmup; i < count; ++i) roundtrip();
  }
  r.elapsed_ns = now_ns() - start;
  return r;
}

inline void report_latency(const options& o, const header& h, const latency_result& r) {
  struct pct {
    const char* text;
    const char* key;
    double q;
  };
  static constexpr std::array<pct, 4> pcts{{{"p50", "p50_us", 0.50},
                                            {"p90", "p90_us", 0.90},
                                            {"p99", "p99_us", 0.99},
                                            {"p99.9", "p999_us", 0.999}}};
  // Percentiles are of half round trips, to read next to "average latency".
  auto half_us = [](std::uint64_t ns) { return static_cast<double>(ns) / 2e3; };
  if (o.json) {
    json_object j;
    h.add_to(j);
    j.add("message_size", r.message_size)
        .add("roundtrip_count", r.roundtrip_count)
        .add("warmup", r.warmup)
        .add("elapsed_s", static_cast<double>(r.elapsed_ns) / 1e9)
        .add("average_latency_us", r.average_us());
    if (r.per_roundtrip != nullptr) {
      for (const auto& p : pcts) j.add(p.key, half_us(r.per_roundtrip->quantile(p.q)));
      j.add("max_us", half_us(r.per_roundtrip->max()));
    }
    std::printf("%s\n", j.str().c_str());
    return;
  }
  std::printf("message size: %d [B]\n", static_cast<int>(r.message_size));
  std::printf("roundtrip count: %d\n", static_cast<int>(r.roundtrip_count));
  std::printf("average latency: %.3f [us]\n", r.average_us());
  if (r.per_roundtrip != nullptr) {
    for (const auto& p : pcts)
      std::printf("latency %s: %.3f [us]\n", p.text, half_us(r.per_roundtrip->quantile(p.q)));
    std::printf("latency max: %.3f [us]\n", half_us(r.per_roundtrip->max()));
  }
  if (r.warmup > 0 && !o.quiet)
    std::fprintf(stderr, "# the first %" PRId64 " round trips were warm-up, not timed\n", r.warmup);
}

struct throughput_result {
  std::int64_t message_size = 0;
  std::int64_t message_count = 0;  // as given (warm-up included)
  std::int64_t warmup = 0;
  std::int64_t elapsed_ns = 0;  // from the first timed message to the last

  // libzmq starts the clock on the first message received and divides the whole count by
  // the time the others took (slightly optimistic); with warm-up, the clock starts on the
  // first message after it and the warm-up messages are left out of the count.
  [[nodiscard]] double msg_per_s() const {
    const auto timed = message_count - warmup;
    const double seconds = static_cast<double>(std::max<std::int64_t>(elapsed_ns, 1)) / 1e9;
    return static_cast<double>(timed) / seconds;
  }
  [[nodiscard]] double megabit_per_s() const {
    return msg_per_s() * static_cast<double>(message_size) * 8.0 / 1e6;
  }
};

// Receives `count` messages through `receive()` (which returns the size of the message it
// got), the first `warmup` untimed; the clock starts when the first timed message arrives.
template <class Receive>
throughput_result measure_stream(const options& o, std::int64_t size, std::int64_t count, Receive&& receive) {
  throughput_result r;
  r.message_size = size;
  r.message_count = count;
  r.warmup = checked_warmup(o, count);
  auto next = [&] {
    if (static_cast<std::int64_t>(receive()) != size) fail("message of incorrect size received");
  };
  for (std::int64_t i = 0; i < r.warmup; ++i) next();
  next();
  const auto start = now_ns();
  for (std::int64_t i = r.warmup + 1; i < count; ++i) next();
  r.elapsed_ns = now_ns() - start;
  return r;
}

inline void report_throughput(const options& o, const header& h, const throughput_result& r) {
  if (o.percentiles) note(o, "--percentiles applies to the latency tools; ignored");
  if (o.json) {
    json_object j;
    h.add_to(j);
    j.add("message_size", r.message_size)
        .add("message_count", r.message_count)
        .add("warmup", r.warmup)
        .add("elapsed_s", static_cast<double>(r.elapsed_ns) / 1e9)
        .add("throughput_msg_s", r.msg_per_s())
        .add("throughput_mb_s", r.megabit_per_s());
    std::printf("%s\n", j.str().c_str());
    return;
  }
  std::printf("message size: %d [B]\n", static_cast<int>(r.message_size));
  std::printf("message count: %d\n", static_cast<int>(r.message_count));
  std::printf("mean throughput: %d [msg/s]\n", static_cast<int>(r.msg_per_s()));
  std::printf("mean throughput: %.3f [Mb/s]\n", r.megabit_per_s());
  if (r.warmup > 0 && !o.quiet)
    std::fprintf(stderr, "# the first %" PRId64 " messages were warm-up, not timed\n", r.warmup);
}

// --hold: blocks until standard input reaches end-of-file (or fails).
inline void hold_until_stdin_closes() {
  char buf[256];
  while (std::fread(buf, 1, sizeof buf, stdin) > 0) {
  }
}

// ---------------------------------------------------------------------------------------
// Process resources, for the many-connections tools.

// Raises the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit.
inline std::uint64_t raise_nofile_limit() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 0;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl);
    (void)getrlimit(RLIMIT_NOFILE, &rl);
  }
  return rl.rlim_cur;
}

// Resident set size of this process in KiB (VmRSS), or -1 when /proc is unavailable.
inline std::int64_t rss_kib(const char* field = "VmRSS:") {
  std::ifstream status("/proc/self/status");
  std::string line;
  const std::string_view want(field);
  while (std::getline(status, line)) {
    if (std::string_view(line).substr(0, want.size()) == want)
      return std::strtoll(line.c_str() + want.size(), nullptr, 10);
  }
  return -1;
}

// CURVE test keys of libzmq's perf tools (Z85), so a ringmq local_thr ... 1 and a libzmq
// remote_thr ... 1 complete a handshake.
namespace curve_test_keys {
inline constexpr const char* server_public = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
inline constexpr const char* server_secret = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";
inline constexpr const char* client_public = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
inline constexpr const char* client_secret = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";
}  // namespace curve_test_keys

// libzmq reads <enable_curve> with atoi and treats non-zero as "on".
inline bool curve_flag(const options& o, std::size_t index) {
  return o.positional.size() > index && parse_int(o.positional[index], "enable_curve", 0) != 0;
}

}  // namespace perf
