ringmq_layer(api
  SOURCES api/authenticator.cpp api/context.cpp api/monitor.cpp api/poller.cpp api/proxy.cpp api/security.cpp api/socket.cpp
  DEPS ringmq_pattern ringmq_transport ringmq_security ringmq_zmtp ringmq_io ringmq_core)
