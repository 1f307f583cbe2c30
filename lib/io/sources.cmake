ringmq_layer(io
  SOURCES
    io/backend.cpp io/buffer_ring.cpp io/epoll_loop.cpp io/io_thread.cpp
    io/io_uring_loop.cpp io/loop_base.cpp io/post_queue.cpp io/send_cursor.cpp io/thread_setup.cpp
    io/timer_heap.cpp io/uring_setup.cpp
  DEPS Threads::Threads PkgConfig::URING)
