# The wire layer: ZMTP 3.1 greeting, framing, commands, metadata and the connection state
# machine. Sans-I/O: bytes in, frames and events out; no fds, clocks or threads of its own.
ringmq_layer(zmtp
  SOURCES
    zmtp/command.cpp zmtp/connection.cpp zmtp/connection_handshake.cpp zmtp/frame_decoder.cpp
    zmtp/frame_encoder.cpp zmtp/greeting.cpp zmtp/heartbeat.cpp zmtp/metadata_codec.cpp
    zmtp/null_mechanism.cpp zmtp/output_batch.cpp zmtp/protocol_error.cpp zmtp/raw_connection.cpp
  DEPS ringmq_core)
