// The one-part rule of the draft types (rfc 41 CLIENT/SERVER, rfc 49 SCATTER/GATHER): their
// messages have one part. What a peer sends in several parts (a raw ZMTP peer may) is
// dropped whole, as libzmq does, and a send with more parts to follow is refused (EINVAL).
#pragma once

#include "pattern/strategy/fair_queue.hpp"

#include <ringmq/message.hpp>

#include <system_error>

namespace ringmq::detail {

class single_part_reader {
 public:
  // The next one-part message from `fq`; `from`, if given, receives its peer.
  std::error_code recv(fair_queue& fq, message& frame, peer** from = nullptr) {
    for (;;) {
      if (std::error_code ec = fq.recv(frame, from)) return ec;
      const bool dropped = dropping_ || frame.more();
      dropping_ = frame.more();  // until the last part of a multipart message
      if (!dropped) return {};
      frame.reset();
    }
  }

 private:
  bool dropping_ = false;
};

inline std::error_code refuse_more(bool more) {
  return more ? std::make_error_code(std::errc::invalid_argument) : std::error_code{};
}

}  // namespace ringmq::detail
