ringmq_layer(api
  SOURCES api/context.cpp api/monitor.cpp api/poller.cpp api/socket.cpp
  DEPS ringmq_pattern ringmq_transport ringmq_zmtp ringmq_io ringmq_core)
