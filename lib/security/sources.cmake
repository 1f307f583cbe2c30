# The security layer: CurveZMQ (rfc 26), PLAIN (rfc 24), Z85 (rfc 32), the ZAP (rfc 27)
# request/reply codec and the key helpers. The only code that includes <sodium.h>.
ringmq_layer(security
  SOURCES
    security/curve_client.cpp security/curve_keys.cpp security/curve_message_codec.cpp
    security/curve_server.cpp security/mechanisms.cpp security/message_box.cpp security/password_table.cpp
    security/plain_client.cpp security/plain_server.cpp security/secure_memory.cpp security/z85.cpp
    security/zap_codec.cpp
  DEPS ringmq_zmtp ringmq_core PkgConfig::SODIUM)
