ringmq_layer(transport
  SOURCES
    transport/inproc/inproc_transport.cpp
  DEPS ringmq_core)
