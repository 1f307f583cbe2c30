"""Constants under pyzmq's names with libzmq's numbers.

Everything is declared once, in the tables below, and published two ways: as enum classes
(``ringmq.SocketOption.LINGER``, ``ringmq.Event.CONNECTED``) and, as in pyzmq, as module-level
names for the same members (``ringmq.LINGER is ringmq.SocketOption.LINGER``). The package's
own per-message code uses ringmq._int_constants instead: plain ints, since a bit operation
with an enum member runs Python code. Names libzmq has but ringmq does not implement
are defined too, so code written for pyzmq imports; using them raises ZMQError(EINVAL), as
libzmq does for an option it does not know.
"""

import errno as _os_errno
from enum import Enum, IntEnum, IntFlag
from typing import Dict, FrozenSet, List, Tuple

_ZMQ_ERRNO_BASE = 156384712  # libzmq's "HAUSNUMERO": its own errors start here

# (name, number) tables. Aliases follow the name they alias.
_SOCKET_TYPES: List[Tuple[str, int]] = [
    ("PAIR", 0), ("PUB", 1), ("SUB", 2), ("REQ", 3), ("REP", 4), ("DEALER", 5), ("ROUTER", 6),
    ("PULL", 7), ("PUSH", 8), ("XPUB", 9), ("XSUB", 10), ("STREAM", 11),
    ("XREQ", 5), ("XREP", 6),
    # libzmq's draft types: CLIENT, SERVER, GATHER and SCATTER (thread-safe) are implemented,
    # the rest not yet
    ("SERVER", 12), ("CLIENT", 13), ("RADIO", 14), ("DISH", 15), ("GATHER", 16), ("SCATTER", 17),
    ("DGRAM", 18), ("PEER", 19), ("CHANNEL", 20),
]

# Socket options; the ones in _BYTES_OPTIONS take and return bytes, the rest ints.
_SOCKET_OPTIONS: List[Tuple[str, int]] = [
    ("HWM", 1), ("AFFINITY", 4), ("ROUTING_ID", 5), ("SUBSCRIBE", 6), ("UNSUBSCRIBE", 7), ("RATE", 8),
    ("RECOVERY_IVL", 9), ("SNDBUF", 11), ("RCVBUF", 12), ("RCVMORE", 13), ("FD", 14), ("EVENTS", 15),
    ("TYPE", 16), ("LINGER", 17), ("RECONNECT_IVL", 18), ("BACKLOG", 19), ("RECONNECT_IVL_MAX", 21),
    ("MAXMSGSIZE", 22), ("SNDHWM", 23), ("RCVHWM", 24), ("MULTICAST_HOPS", 25), ("RCVTIMEO", 27),
    ("SNDTIMEO", 28), ("IPV4ONLY", 31), ("LAST_ENDPOINT", 32), ("ROUTER_MANDATORY", 33),
    ("TCP_KEEPALIVE", 34), ("TCP_KEEPALIVE_CNT", 35), ("TCP_KEEPALIVE_IDLE", 36), ("TCP_KEEPALIVE_INTVL", 37),
    ("TCP_ACCEPT_FILTER", 38), ("IMMEDIATE", 39), ("XPUB_VERBOSE", 40), ("ROUTER_RAW", 41), ("IPV6", 42),
    ("MECHANISM", 43), ("PLAIN_SERVER", 44), ("PLAIN_USERNAME", 45), ("PLAIN_PASSWORD", 46),
    ("CURVE_SERVER", 47), ("CURVE_PUBLICKEY", 48), ("CURVE_SECRETKEY", 49), ("CURVE_SERVERKEY", 50),
    ("PROBE_ROUTER", 51), ("REQ_CORRELATE", 52), ("REQ_RELAXED", 53), ("CONFLATE", 54), ("ZAP_DOMAIN", 55),
    ("ROUTER_HANDOVER", 56), ("TOS", 57), ("IPC_FILTER_PID", 58), ("IPC_FILTER_UID", 59),
    ("IPC_FILTER_GID", 60), ("CONNECT_ROUTING_ID", 61), ("GSSAPI_SERVER", 62), ("GSSAPI_PRINCIPAL", 63),
    ("GSSAPI_SERVICE_PRINCIPAL", 64), ("GSSAPI_PLAINTEXT", 65), ("HANDSHAKE_IVL", 66), ("SOCKS_PROXY", 68),
    ("XPUB_NODROP", 69), ("BLOCKY", 70), ("XPUB_MANUAL", 71), ("XPUB_WELCOME_MSG", 72),
    ("STREAM_NOTIFY", 73), ("INVERT_MATCHING", 74), ("HEARTBEAT_IVL", 75), ("HEARTBEAT_TTL", 76),
    ("HEARTBEAT_TIMEOUT", 77), ("XPUB_VERBOSER", 78), ("CONNECT_TIMEOUT", 79), ("TCP_MAXRT", 80),
    ("THREAD_SAFE", 81), ("MULTICAST_MAXTPDU", 84), ("VMCI_BUFFER_SIZE", 85), ("VMCI_BUFFER_MIN_SIZE", 86),
    ("VMCI_BUFFER_MAX_SIZE", 87), ("VMCI_CONNECT_TIMEOUT", 88), ("USE_FD", 89),
    ("GSSAPI_PRINCIPAL_NAMETYPE", 90), ("GSSAPI_SERVICE_PRINCIPAL_NAMETYPE", 91), ("BINDTODEVICE", 92),
    ("ZAP_ENFORCE_DOMAIN", 93), ("LOOPBACK_FASTPATH", 94), ("METADATA", 95), ("MULTICAST_LOOP", 96),
    ("ROUTER_NOTIFY", 97), ("XPUB_MANUAL_LAST_VALUE", 98), ("SOCKS_USERNAME", 99), ("SOCKS_PASSWORD", 100),
    ("IN_BATCH_SIZE", 101), ("OUT_BATCH_SIZE", 102), ("WSS_KEY_PEM", 103), ("WSS_CERT_PEM", 104),
    ("WSS_TRUST_PEM", 105), ("WSS_HOSTNAME", 106), ("WSS_TRUST_SYSTEM", 107), ("ONLY_FIRST_SUBSCRIBE", 108),
    ("RECONNECT_STOP", 109), ("HELLO_MSG", 110), ("DISCONNECT_MSG", 111), ("PRIORITY", 112),
    ("XPUB_MAX_SUBSCRIPTIONS", 1000),  # ringmq: topics one peer of a PUB/XPUB may hold (-1: no limit)
    ("IDENTITY", 5), ("CONNECT_RID", 61), ("DELAY_ATTACH_ON_CONNECT", 39), ("FAIL_UNROUTABLE", 33),
    ("ROUTER_BEHAVIOR", 33),
]
_BYTES_OPTIONS: FrozenSet[int] = frozenset(
    {5, 6, 7, 32, 38, 45, 46, 48, 49, 50, 55, 61, 63, 64, 68, 72, 92, 95, 99, 100, 103, 104, 105, 106, 110, 111})

_CONTEXT_OPTIONS: List[Tuple[str, int]] = [
    ("IO_THREADS", 1), ("MAX_SOCKETS", 2), ("SOCKET_LIMIT", 3), ("THREAD_PRIORITY", 3),
    ("THREAD_SCHED_POLICY", 4), ("MAX_MSGSZ", 5), ("MSG_T_SIZE", 6), ("THREAD_AFFINITY_CPU_ADD", 7),
    ("THREAD_AFFINITY_CPU_REMOVE", 8), ("THREAD_NAME_PREFIX", 9),
    ("BUSY_POLL", 1000),  # ringmq: spin this many microseconds before sleeping
]

# Monitor events; module level names get the EVENT_ prefix.
_EVENTS: List[Tuple[str, int]] = [
    ("CONNECTED", 0x0001), ("CONNECT_DELAYED", 0x0002), ("CONNECT_RETRIED", 0x0004), ("LISTENING", 0x0008),
    ("BIND_FAILED", 0x0010), ("ACCEPTED", 0x0020), ("ACCEPT_FAILED", 0x0040), ("CLOSED", 0x0080),
    ("CLOSE_FAILED", 0x0100), ("DISCONNECTED", 0x0200), ("MONITOR_STOPPED", 0x0400),
    ("HANDSHAKE_FAILED_NO_DETAIL", 0x0800), ("HANDSHAKE_SUCCEEDED", 0x1000),
    ("HANDSHAKE_FAILED_PROTOCOL", 0x2000), ("HANDSHAKE_FAILED_AUTH", 0x4000),
    ("LIMIT_EXCEEDED", 0x8000),  # ringmq: a peer went over a per-peer limit and is disconnected
    ("ALL_V1", 0xFFFF), ("ALL", 0xFFFF), ("PIPES_STATS", 0x10000), ("ALL_V2", 0x1FFFF),
]

# Values of HANDSHAKE_FAILED_PROTOCOL events (module level, unprefixed).
_PROTOCOL_ERRORS: List[Tuple[str, int]] = [
    ("PROTOCOL_ERROR_ZMTP_UNSPECIFIED", 0x10000000), ("PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND", 0x10000001),
    ("PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE", 0x10000002), ("PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE", 0x10000003),
    ("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED", 0x10000011),
    ("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE", 0x10000012),
    ("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO", 0x10000013),
    ("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE", 0x10000014),
    ("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR", 0x10000015),
    ("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY", 0x10000016),
    ("PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME", 0x10000017),
    ("PROTOCOL_ERROR_ZMTP_INVALID_METADATA", 0x10000018), ("PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC", 0x11000001),
    ("PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH", 0x11000002), ("PROTOCOL_ERROR_ZAP_UNSPECIFIED", 0x20000000),
    ("PROTOCOL_ERROR_ZAP_MALFORMED_REPLY", 0x20000001), ("PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID", 0x20000002),
    ("PROTOCOL_ERROR_ZAP_BAD_VERSION", 0x20000003), ("PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE", 0x20000004),
    ("PROTOCOL_ERROR_ZAP_INVALID_METADATA", 0x20000005), ("PROTOCOL_ERROR_WS_UNSPECIFIED", 0x30000000),
]

_POSIX_ERRNOS = ("EAGAIN", "EFAULT", "EINVAL", "ENOTSUP", "EPROTONOSUPPORT", "ENOBUFS", "ENETDOWN",
                 "EADDRINUSE", "EADDRNOTAVAIL", "ECONNREFUSED", "EINPROGRESS", "ENOTSOCK", "EMSGSIZE",
                 "EAFNOSUPPORT", "ENETUNREACH", "ECONNABORTED", "ECONNRESET", "ENOTCONN", "ETIMEDOUT",
                 "EHOSTUNREACH", "ENETRESET", "ENOENT", "EINTR", "EBUSY")
_ERRNOS: List[Tuple[str, int]] = [(name, getattr(_os_errno, name)) for name in _POSIX_ERRNOS] + [
    ("EFSM", _ZMQ_ERRNO_BASE + 51), ("ENOCOMPATPROTO", _ZMQ_ERRNO_BASE + 52), ("ETERM", _ZMQ_ERRNO_BASE + 53),
    ("EMTHREAD", _ZMQ_ERRNO_BASE + 54),
]

SocketType = IntEnum("SocketType", _SOCKET_TYPES, module=__name__)  # type: ignore[misc]
SocketType.__doc__ = "Socket types. ringmq implements PAIR to STREAM (0-11), SERVER and CLIENT (12, 13), GATHER and SCATTER (16, 17)."
SocketOption = IntEnum("SocketOption", _SOCKET_OPTIONS, module=__name__)  # type: ignore[misc]
SocketOption.__doc__ = "Socket options (also attributes: s.linger)."
ContextOption = IntEnum("ContextOption", _CONTEXT_OPTIONS, module=__name__)  # type: ignore[misc]
ContextOption.__doc__ = (
    "Context options (libzmq 4.3's meaning; set the thread options before the first tcp/ipc use). "
    "MSG_T_SIZE (the C ABI's zmq_msg_t) is not one of ringmq's: EINVAL.")
Event = IntFlag("Event", _EVENTS + [(n, v) for n, v in _PROTOCOL_ERRORS], module=__name__)  # type: ignore[misc]
Event.__doc__ = "Monitor events (EVENT_* at module level) and the protocol errors they carry."
Errno = IntEnum("Errno", _ERRNOS, module=__name__)  # type: ignore[misc]
Errno.__doc__ = "Error numbers: errno's where POSIX has one, libzmq's own above 156384712."
Flag = IntFlag("Flag", [("DONTWAIT", 1), ("SNDMORE", 2), ("NOBLOCK", 1)], module=__name__)  # type: ignore[misc]
Flag.__doc__ = "Send and receive flags."
PollEvent = IntFlag("PollEvent", [("POLLIN", 1), ("POLLOUT", 2), ("POLLERR", 4), ("POLLPRI", 8)],
                    module=__name__)  # type: ignore[misc]
PollEvent.__doc__ = "Readiness for poll() and Poller."
MessageOption = IntEnum("MessageOption", [("MORE", 1), ("SRCFD", 2), ("SHARED", 3)],
                        module=__name__)  # type: ignore[misc]
MessageOption.__doc__ = "Options of Frame.get()."
SecurityMechanism = IntEnum("SecurityMechanism", [("NULL", 0), ("PLAIN", 1), ("CURVE", 2), ("GSSAPI", 3)],
                            module=__name__)  # type: ignore[misc]
SecurityMechanism.__doc__ = "Values of the MECHANISM option."
RouterNotify = IntFlag("RouterNotify", [("NOTIFY_CONNECT", 1), ("NOTIFY_DISCONNECT", 2)],
                       module=__name__)  # type: ignore[misc]
RouterNotify.__doc__ = "Bits of the ROUTER_NOTIFY option."
DeviceType = IntEnum("DeviceType", [("STREAMER", 1), ("FORWARDER", 2), ("QUEUE", 3)],
                     module=__name__)  # type: ignore[misc]
DeviceType.__doc__ = "zmq.device types (defined for imports; ringmq offers proxy() instead)."


def is_bytes_option(option: int) -> bool:
    """Whether a socket option takes and returns bytes (else an int)."""
    return int(option) in _BYTES_OPTIONS


class _OptType(Enum):
    """What a socket option's value is (pyzmq's SocketOption._opt_type)."""

    int = "int"
    int64 = "int64"
    bytes = "bytes"
    fd = "fd"


_INT64_OPTIONS: FrozenSet[int] = frozenset({4, 22, 85, 86, 87})  # libzmq's uint64/int64 options
_FD_OPTIONS: FrozenSet[int] = frozenset({14})  # FD


def _opt_type(number: int) -> _OptType:
    if number in _BYTES_OPTIONS:
        return _OptType.bytes
    if number in _INT64_OPTIONS:
        return _OptType.int64
    if number in _FD_OPTIONS:
        return _OptType.fd
    return _OptType.int


for _member in SocketOption.__members__.values():
    _member._opt_type = _opt_type(int(_member))  # type: ignore[attr-defined]


def _module_level() -> Dict[str, int]:
    """The module-level names, each the member of its enum (``POLLIN is PollEvent.POLLIN``,
    as in pyzmq). An alias is its enum's canonical member (``IDENTITY is ROUTING_ID``)."""
    values: Dict[str, int] = {}
    tables = [(SocketType, _SOCKET_TYPES, ""), (SocketOption, _SOCKET_OPTIONS, ""),
              (ContextOption, _CONTEXT_OPTIONS, ""), (Errno, _ERRNOS, ""), (Event, _PROTOCOL_ERRORS, ""),
              (Flag, [("DONTWAIT", 1), ("NOBLOCK", 1), ("SNDMORE", 2)], ""),
              (PollEvent, [("POLLIN", 1), ("POLLOUT", 2), ("POLLERR", 4), ("POLLPRI", 8)], ""),
              (MessageOption, [("MORE", 1), ("SRCFD", 2), ("SHARED", 3)], ""),
              (SecurityMechanism, [("NULL", 0), ("PLAIN", 1), ("CURVE", 2), ("GSSAPI", 3)], ""),
              (DeviceType, [("STREAMER", 1), ("FORWARDER", 2), ("QUEUE", 3)], ""),
              (RouterNotify, [("NOTIFY_CONNECT", 1), ("NOTIFY_DISCONNECT", 2)], ""),
              (Event, _EVENTS, "EVENT_")]
    for enum, table, prefix in tables:
        for name, _ in table:
            # SOCKET_LIMIT/THREAD_PRIORITY share 3; first wins
            values.setdefault(prefix + name, enum.__members__[name])
    return values


_values = _module_level()
globals().update(_values)
# The longest ipc:// path (sockaddr_un's sun_path less its terminating NUL), as pyzmq's
# IPC_PATH_MAX_LEN; a longer path fails to bind with EINVAL.
IPC_PATH_MAX_LEN = 107

__all__: List[str] = ["ContextOption", "DeviceType", "Errno", "Event", "Flag", "MessageOption", "PollEvent",
                      "RouterNotify", "SecurityMechanism", "SocketOption", "SocketType", "is_bytes_option",
                      "IPC_PATH_MAX_LEN"] + sorted(_values)
