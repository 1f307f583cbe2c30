# Warnings applied to every ringmq target through ringmq_warnings.
add_library(ringmq_warnings INTERFACE)
target_compile_options(ringmq_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 reports false positives for std::variant and small-buffer copies at -O2.
  target_compile_options(ringmq_warnings INTERFACE -Wno-maybe-uninitialized -Wno-stringop-overflow
    -Wno-array-bounds -Wno-restrict)
endif()
if(RINGMQ_WERROR)
  target_compile_options(ringmq_warnings INTERFACE -Werror)
endif()
