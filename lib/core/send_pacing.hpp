// send_pacing: whether the message an application thread sends now is a lone one, worth a
// system call of its own on that thread, or part of a stream the I/O thread should batch.
//
// A direct write saves the hop to the I/O thread (latency) but pays one system call per
// message; a stream written that way loses the batching that makes throughput. A message is
// lone when the thread has been quiet for a while, or when it is an answer: the thread
// received something since it last sent (a request-reply or ping-pong peer waits for every
// answer, a streaming sender does not receive) and either had to wait for what it received
// or took a round trip's time since its last send. The state is per application thread, not
// per connection, so a PUB fanning one message out to many connections writes to at most
// one of them itself and lets the I/O thread batch the rest.
#pragma once

namespace ringmq::detail::send_pacing {

// The thread received a message (any socket); `waited`: none was there when it asked (it is
// no backlog the thread works through).
void note_received(bool waited) noexcept;
// The thread sends a message (any socket).
void note_sent() noexcept;
// Whether the thread sent since it last received: a receive now most likely awaits an
// answer, not the next message of a stream (it decides how a blocked reader watches).
[[nodiscard]] bool awaiting_answer() noexcept;

// Called when the thread could write a message directly; true if it should. Each call
// counts as a send attempt for the next decision.
[[nodiscard]] bool lone_message() noexcept;

}  // namespace ringmq::detail::send_pacing
