#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_zmtp (tests/fuzz/corpus/zmtp/): our own ZMTP transcripts,
in the input layout fuzz_zmtp.cpp documents:

    [0] socket type  [1] options  [2..3] chunking seed (little endian)  [4..] peer bytes

Socket types use libzmq's numbers (PAIR 0, PUB 1, SUB 2, REQ 3, REP 4, DEALER 5, ROUTER 6,
PULL 7, PUSH 8, XPUB 9, XSUB 10). Run it again after changing the layout:

    python3 tests/fuzz/make_zmtp_corpus.py
"""
import pathlib
import struct

PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB = range(11)
ZAP, HEARTBEAT, SMALL_MAX, ZAP_REFUSE, PAUSE, SEND = 1, 2, 4, 8, 16, 32


def greeting(mech=b"NULL", major=3, minor=1, padding=b"\x00" * 7 + b"\x01"):
    return b"\xff" + padding + b"\x7f" + bytes([major, minor]) + mech.ljust(20, b"\x00") + b"\x00" * 32


def frame(body, flags=0):
    if len(body) <= 255:
        return bytes([flags]) + bytes([len(body)]) + body
    return bytes([flags | 2]) + struct.pack(">Q", len(body)) + body


def command(body):
    return frame(body, 4)


def prop(name, value):
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def ready(*props):
    return command(b"\x05READY" + b"".join(props))


def st(name):
    return prop(b"Socket-Type", name)


def seed(sock, options, split, stream):
    return bytes([sock, options]) + struct.pack("<H", split) + stream


G = greeting()
SEEDS = {
    # Handshakes for each pattern, whole and in small pieces.
    "dealer_router": seed(DEALER, 0, 0, G + ready(st(b"ROUTER"), prop(b"Identity", b"")) + frame(b"reply")),
    "router_dealer_identity": seed(ROUTER, SEND, 3, G + ready(st(b"DEALER"), prop(b"Identity", b"client-1"))
                                   + frame(b"", 1) + frame(b"hello")),
    "req_rep": seed(REQ, SEND, 0, G + ready(st(b"REP")) + frame(b"", 1) + frame(b"world")),
    "rep_req": seed(REP, 0, 1, G + ready(st(b"REQ"), prop(b"Identity", b"")) + frame(b"", 1) + frame(b"hi")),
    "pull_push_multipart": seed(PULL, 0, 5, G + ready(st(b"PUSH"))
                                + bytes.fromhex("01026869010002000000000000012c") + b"x" * 300),
    "push_pull_send": seed(PUSH, SEND, 0, G + ready(st(b"PULL"))),
    "pair_pair": seed(PAIR, PAUSE, 7, G + ready(st(b"PAIR")) + b"".join(frame(b"m%d" % i) for i in range(8))),
    # Subscriptions both ways, 3.1 and 3.0.
    "pub_sub_31": seed(PUB, 0, 0, G + ready(st(b"SUB")) + command(b"\x09SUBSCRIBEAB") + command(b"\x09SUBSCRIBE")
                       + command(b"\x06CANCELAB")),
    "xpub_sub_30": seed(XPUB, 0, 2, greeting(minor=0) + ready(st(b"XSUB")) + frame(b"\x01AB") + frame(b"\x00AB")),
    "sub_pub_31": seed(SUB, SEND, 0, G + ready(st(b"PUB")) + frame(b"news", 1) + frame(b"body")),
    "xsub_xpub_30": seed(XSUB, SEND, 4, greeting(minor=0) + ready(st(b"XPUB")) + frame(b"x")),
    # Heartbeats.
    "ping_pong": seed(DEALER, HEARTBEAT, 0, G + ready(st(b"ROUTER")) + command(b"\x04PING\x00\x19")
                      + command(b"\x04PING\x00\x0aLOL") + command(b"\x04PING\x00\x00" + b"c" * 20)
                      + command(b"\x04PONG") + frame(b"data")),
    # ZAP through NULL with a domain.
    "zap_accept": seed(ROUTER, ZAP, 0, G + ready(st(b"DEALER"), prop(b"Identity", b"id")) + frame(b"after")),
    "zap_refuse": seed(ROUTER, ZAP | ZAP_REFUSE, 0, G + ready(st(b"DEALER"))),
    # Metadata variety.
    "metadata_app": seed(PULL, 0, 0, G + ready(st(b"PUSH"), prop(b"X-App", b"v" * 300), prop(b"Resource", b"a/b"),
                                               prop(b"socket-type", b"PUSH"))),
    "metadata_truncated": seed(PULL, 0, 0, G + ready(st(b"PUSH")[:-2])),
    "metadata_long_ready": seed(PULL, 0, 0, G + ready(st(b"PUSH"), prop(b"X-Big", b"b" * 1000))),
    "socket_type_mismatch": seed(PUSH, 0, 0, G + ready(st(b"PUSH"))),
    # Errors and odd frames.
    "peer_error_400": seed(DEALER, 0, 0, G + command(b"\x05ERROR\x03400")),
    "unknown_commands": seed(PULL, 0, 0, G + ready(st(b"PUSH")) + command(b"\x04JOINgroup") + command(b"\x07UNKNOWN")
                             + frame(b"ok")),
    "command_with_more": seed(PULL, 0, 0, G + ready(st(b"PUSH")) + bytes([5, 5]) + b"\x04PING"),
    "data_before_ready": seed(PULL, 0, 0, G + frame(b"early")),
    "reserved_flags": seed(PULL, 0, 0, G + ready(st(b"PUSH")) + bytes([0xf8, 1]) + b"r"),
    "max_message_size": seed(PULL, SMALL_MAX, 0, G + ready(st(b"PUSH")) + frame(b"a" * 1000) + frame(b"b" * 1001)),
    "large_message": seed(PULL, 0, 11, G + ready(st(b"PUSH")) + frame(b"L" * 70000)),
    # Greeting variants.
    "greeting_mechanism_mismatch": seed(DEALER, 0, 0, greeting(b"CURVE")),
    "greeting_version_2": seed(DEALER, 0, 0, greeting(major=1)),
    "greeting_higher_version": seed(DEALER, 0, 0, greeting(major=4, minor=9) + ready(st(b"ROUTER"))),
    "greeting_random_padding": seed(DEALER, 0, 1, greeting(padding=b"\xde\xad\xbe\xef\x00\x01\x02\x03")
                                    + ready(st(b"ROUTER"))),
    "http_get": seed(ROUTER, 0, 0, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
    # CVE-shaped inputs (docs/wire-and-security.md, "Limits on peers").
    "cve_2019_6250_size_2_63": seed(PULL, 0, 0, G + ready(st(b"PUSH")) + b"\x02\x80" + b"\x00" * 7 + b"A" * 64),
    "cve_2019_6250_size_max": seed(PULL, 0, 0, G + ready(st(b"PUSH")) + b"\x02" + b"\xff" * 8 + b"A" * 64),
    "cve_3351_shape": seed(PULL, 0, 0, G + ready(st(b"PUSH")) + b"\x02" + bytes.fromhex("fffffffffffffff0") + b"B" * 200),
    "cve_2021_20235_v1": seed(PULL, 0, 0, b"\x01\x00" + b"\xff" + struct.pack(">Q", 9000) + b"\x00" + b"v" * 9000),
    "cve_2021_20236_long_topic": seed(PUB, 0, 9, G + ready(st(b"SUB")) + command(b"\x09SUBSCRIBE" + b"t" * 65536)
                                      + command(b"\x06CANCEL" + b"t" * 65536)),
    "cve_2021_20237_meta_into_pub": seed(PUB, 0, 0, G + ready(st(b"SUB"), prop(b"X-Meta", b"m" * 200))
                                         + frame(b"inbound data on a PUB")),
    "cve_2019_13132_big_handshake": seed(DEALER, 0, 0, G + command(b"\x08INITIATE" + b"i" * 400)),
    "handshake_cap": seed(DEALER, 0, 0, G + b"\x06" + struct.pack(">Q", 65537)),
}


def main():
    out = pathlib.Path(__file__).resolve().parent / "corpus" / "zmtp"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    for name, data in sorted(SEEDS.items()):
        (out / name).write_bytes(data)
    print(f"{len(SEEDS)} seeds written to {out}")


if __name__ == "__main__":
    main()
