ringmq_layer(core
  SOURCES
    core/call_lock.cpp core/context_impl.cpp core/endpoint.cpp core/error.cpp core/futex.cpp core/address_mask.cpp core/key_decoder.cpp
    core/large_block_pool.cpp core/link.cpp core/mailbox.cpp core/message.cpp core/message_slab.cpp core/metadata.cpp core/monitor_queue.cpp core/options.cpp
    core/pattern.cpp core/pipe.cpp core/send_pacing.cpp core/socket_base.cpp core/socket_type.cpp
  DEPS Threads::Threads)
