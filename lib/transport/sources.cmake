ringmq_layer(transport
  SOURCES
    transport/inproc/inproc_transport.cpp
    transport/ipc/ipc_policy.cpp transport/ipc/ipc_transport.cpp
    transport/stream/address.cpp transport/stream/dialer.cpp transport/stream/io_pool.cpp transport/stream/mechanism_factory.cpp
    transport/stream/read_lease.cpp
    transport/stream/session_gate.cpp transport/stream/stream_listener.cpp transport/stream/stream_session.cpp
    transport/stream/stream_socket.cpp transport/stream/stream_transport.cpp transport/stream/zap_client.cpp
    transport/tcp/tcp_policy.cpp transport/tcp/tcp_transport.cpp
  DEPS ringmq_security ringmq_zmtp ringmq_io ringmq_core)
