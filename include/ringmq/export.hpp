// Symbol export control: the library is built with hidden visibility and only what is
// marked RINGMQ_API is part of the shared library's ABI.
#pragma once

#if defined(RINGMQ_BUILDING_LIBRARY)
#define RINGMQ_API __attribute__((visibility("default")))
#else
#define RINGMQ_API
#endif
