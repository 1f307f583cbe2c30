ringmq_layer(transport
  SOURCES
    transport/inproc/inproc_transport.cpp
    transport/stream/address.cpp
  DEPS ringmq_core)
