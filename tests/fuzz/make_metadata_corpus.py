#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_metadata (tests/fuzz/corpus/metadata/), in the input layout
fuzz_metadata.cpp documents:

    [0] our socket type (libzmq numbers, mod 11)  [1..] the property list (rfc 23)

Run it again after changing the layout:

    python3 tests/fuzz/make_metadata_corpus.py
"""
import struct

import corpus_writer

PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB = range(11)


def prop(name, value):
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def seed(our_type, *props):
    return bytes([our_type]) + b"".join(props)


SEEDS = {
    "empty": seed(DEALER),
    "router_dealer": seed(ROUTER, prop(b"Socket-Type", b"DEALER"), prop(b"Identity", b"client-1")),
    "req_rep": seed(REQ, prop(b"Socket-Type", b"REP")),
    "pull_push_app": seed(PULL, prop(b"Socket-Type", b"PUSH"), prop(b"X-App", b"v1"), prop(b"x-lower", b""),
                          prop(b"Resource", b"/a/b"), prop(b"X-Big", b"b" * 300)),
    "case_insensitive": seed(DEALER, prop(b"socket-type", b"ROUTER"), prop(b"IDENTITY", b"id"),
                             prop(b"X-Dup", b"1"), prop(b"x-dup", b"2")),
    "two_socket_types": seed(SUB, prop(b"Socket-Type", b"PUB"), prop(b"Socket-Type", b"XPUB")),
    "incompatible": seed(PUSH, prop(b"Socket-Type", b"PUSH")),
    "unknown_type": seed(PAIR, prop(b"Socket-Type", b"pair")),
    "identity_256": seed(ROUTER, prop(b"Socket-Type", b"DEALER"), prop(b"Identity", b"i" * 256)),
    "identity_255": seed(ROUTER, prop(b"Socket-Type", b"REQ"), prop(b"Identity", b"i" * 255)),
    "name_chars": seed(XSUB, prop(b"Socket-Type", b"XPUB"), prop(b"A-z_0.9+", b"ok")),
    "bad_name_char": seed(PAIR, prop(b"X-A b", b"x")),
    "empty_name": seed(PAIR, b"\x00" + struct.pack(">I", 0)),
    "truncated_name": seed(PAIR, b"\x10X-Short"),
    "truncated_length": seed(PAIR, b"\x03X-A\x00\x00"),
    "truncated_value": seed(PAIR, b"\x03X-A\x00\x00\x00\x10abc"),
    "value_2_31": seed(PAIR, b"\x03X-A\x80\x00\x00\x00"),
    "value_max": seed(PAIR, b"\x03X-A\xff\xff\xff\xff"),
    "many_empty": seed(PULL, *[prop(b"X-%d" % i, b"") for i in range(200)]),
    "long_name": seed(PAIR, prop(b"X-" + b"n" * 253, b"v")),
    "pub_gets_data": seed(PUB, prop(b"Socket-Type", b"SUB")),
    # The bounds on a peer's metadata (metadata_codec.hpp): 128 properties; a cost of
    # 64 KiB, each property charged its name and value plus 96 octets.
    "count_128": seed(PULL, prop(b"Socket-Type", b"PUSH"), *[prop(b"X-%d" % i, b"") for i in range(127)]),
    "count_129": seed(PULL, prop(b"Socket-Type", b"PUSH"), *[prop(b"X-%d" % i, b"") for i in range(128)]),
    "cost_at_bound": seed(PULL, prop(b"Socket-Type", b"PUSH"), prop(b"X-V", b"v" * (65536 - 111 - 99))),
    "cost_over_bound": seed(PULL, prop(b"Socket-Type", b"PUSH"), prop(b"X-V", b"v" * (65536 - 111 - 99 + 1))),
}


def main():
    corpus_writer.write_seeds("metadata", SEEDS)


if __name__ == "__main__":
    main()
