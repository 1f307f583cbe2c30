// heap_counter: what this test program holds on the heap, as the heap charges it
// (heap_block_bytes of every size asked for), counted by a replacement of the global
// operator new and delete linked into the program. Differences taken around code that
// runs on one thread measure what that code keeps allocated.
#pragma once

#include <cstddef>

namespace ringmq::detail {

[[nodiscard]] std::size_t heap_in_use() noexcept;

}  // namespace ringmq::detail
