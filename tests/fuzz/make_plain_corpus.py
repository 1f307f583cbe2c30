#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_plain (tests/fuzz/corpus/plain/), in the input layout
fuzz_plain.cpp documents:

    [0] options (bit 0 client, else server; bits 1-2 ZAP status 200/300/400/500;
        bit 3 ZAP answers late; bit 4 no ZAP user id)
    [1] our socket type (libzmq numbers)  [2..3] chunking seed (little endian)  [4..] peer bytes

Run it again after changing the layout:

    python3 tests/fuzz/make_plain_corpus.py
"""
import struct

import corpus_writer

PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB = range(11)
CLIENT, Z300, Z400, Z500, LATE, NO_USER = 1, 2, 4, 6, 8, 16


def greeting(mech=b"PLAIN", major=3, minor=1):
    return b"\xff" + b"\x00" * 8 + b"\x7f" + bytes([major, minor]) + mech.ljust(20, b"\x00") + b"\x00" * 32


def frame(body, flags=0):
    if len(body) <= 255:
        return bytes([flags, len(body)]) + body
    return bytes([flags | 2]) + struct.pack(">Q", len(body)) + body


def command(body):
    return frame(body, 4)


def prop(name, value):
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def hello(user=b"admin", password=b"secret"):
    return command(b"\x05HELLO" + bytes([len(user)]) + user + bytes([len(password)]) + password)


def initiate(*props):
    return command(b"\x08INITIATE" + b"".join(props))


def ready(*props):
    return command(b"\x05READY" + b"".join(props))


def st(name):
    return prop(b"Socket-Type", name)


def seed(options, sock, split, stream):
    return bytes([options, sock]) + struct.pack("<H", split) + stream


G = greeting()
WELCOME = command(b"\x07WELCOME")
SEEDS = {
    # Server: the whole exchange, whole and cut small, with each ZAP answer.
    "server_rep_req": seed(0, REP, 0, G + hello() + initiate(st(b"REQ"), prop(b"Identity", b""))
                           + frame(b"", 1) + frame(b"hello")),
    "server_router_split": seed(0, ROUTER, 3, G + hello(b"u", b"p") + initiate(st(b"DEALER"), prop(b"Identity", b"c1"),
                                                                                prop(b"X-App", b"v")) + frame(b"m")),
    "server_pull_late_zap": seed(LATE | NO_USER, PULL, 5, G + hello() + initiate(st(b"PUSH")) + frame(b"x" * 300)),
    "server_zap_300": seed(Z300, REP, 0, G + hello() + initiate(st(b"REQ"))),
    "server_zap_400": seed(Z400, REP, 0, G + hello()),
    "server_zap_500": seed(Z500 | LATE, DEALER, 1, G + hello() + initiate(st(b"ROUTER"))),
    "server_empty_credentials": seed(0, PAIR, 0, G + hello(b"", b"") + initiate(st(b"PAIR"))),
    "server_long_credentials": seed(0, PAIR, 0, G + hello(b"u" * 255, b"p" * 255) + initiate(st(b"PAIR"))),
    "server_hello_short_password": seed(0, REP, 0, G + command(b"\x05HELLO\x05admin\x07secret")),
    "server_hello_long_password": seed(0, REP, 0, G + command(b"\x05HELLO\x05admin\x05secret")),
    "server_hello_no_password": seed(0, REP, 0, G + command(b"\x05HELLO\x05admin")),
    "server_hello_empty": seed(0, REP, 0, G + command(b"\x05HELLO")),
    "server_initiate_first": seed(0, REP, 0, G + initiate(st(b"REQ"))),
    "server_initiate_before_zap": seed(LATE, REP, 0, G + hello() + initiate(st(b"REQ"))),
    "server_bad_metadata": seed(0, REP, 0, G + hello() + initiate(st(b"REQ")[:-1])),
    "server_incompatible": seed(0, PUSH, 0, G + hello() + initiate(st(b"PUSH"))),
    "server_peer_error": seed(0, REP, 0, G + command(b"\x05ERROR\x03400")),
    "server_data_before_initiate": seed(0, REP, 0, G + hello() + frame(b"early")),
    "server_pub_subscribe": seed(0, PUB, 0, G + hello() + initiate(st(b"SUB")) + command(b"\x09SUBSCRIBEab")),
    "server_ping_after": seed(0, PULL, 0, G + hello() + initiate(st(b"PUSH")) + command(b"\x04PING\x00\x0actx")
                              + frame(b"a", 1) + frame(b"b")),
    # 20 PINGs at once fill the PONG queue (16): the rest waits for on_timer().
    "server_ping_flood": seed(0, PULL, 0, G + hello() + initiate(st(b"PUSH"))
                              + command(b"\x04PING\x00\x00abc") * 20 + frame(b"a", 1) + frame(b"b")),
    "server_null_greeting": seed(0, REP, 0, greeting(b"NULL") + hello()),
    "server_zmtp30": seed(0, XPUB, 2, greeting(minor=0) + hello() + initiate(st(b"XSUB")) + frame(b"\x01topic")),
    "server_initiate_129_properties": seed(0, REP, 0, G + hello() + initiate(st(b"REQ"),
                                                                            *[prop(b"X-%d" % i, b"") for i in range(128)])),
    # Client.
    "client_req_rep": seed(CLIENT, REQ, 0, G + WELCOME + ready(st(b"REP")) + frame(b"", 1) + frame(b"world")),
    "client_dealer_split": seed(CLIENT, DEALER, 1, G + WELCOME + ready(st(b"ROUTER"), prop(b"X-Srv", b"1"))
                                + frame(b"reply")),
    "client_welcome_with_data": seed(CLIENT, REQ, 0, G + command(b"\x07WELCOMEx")),
    "client_ready_first": seed(CLIENT, REQ, 0, G + ready(st(b"REP"))),
    "client_peer_error": seed(CLIENT, REQ, 0, G + command(b"\x05ERROR\x03400")),
    "client_error_after_welcome": seed(CLIENT, DEALER, 0, G + WELCOME + command(b"\x05ERROR\x0abad secret")),
    "client_libzmq_error_quirk": seed(CLIENT, REQ, 0, G + WELCOME + command(b"\x5eRROR\x03400")),
    "client_bad_metadata": seed(CLIENT, SUB, 0, G + WELCOME + ready(b"\x03X-A\x00\x00\x00\x05ab")),
    "client_incompatible": seed(CLIENT, SUB, 0, G + WELCOME + ready(st(b"SUB"))),
    "client_curve_greeting": seed(CLIENT, REQ, 0, greeting(b"CURVE") + WELCOME),
    "client_truncated_greeting": seed(CLIENT, REQ, 7, G[:40]),
    "client_version_2": seed(CLIENT, REQ, 0, greeting(major=2) + WELCOME),
    "client_second_welcome": seed(CLIENT, REQ, 0, G + WELCOME + WELCOME),
    "client_data_before_ready": seed(CLIENT, PULL, 0, G + WELCOME + frame(b"early")),
    "client_ping_flood": seed(CLIENT, DEALER, 0, G + WELCOME + ready(st(b"ROUTER"))
                              + (command(b"\x04PING\x00\x00ctx") + frame(b"m")) * 40),
    "client_ready_129_properties": seed(CLIENT, REQ, 0, G + WELCOME + ready(st(b"REP"),
                                                                         *[prop(b"X-%d" % i, b"") for i in range(128)])),
    # A PONG echoes the PING context, here the password itself (fuzz_plain.cpp's password count).
    "client_ping_with_the_password": seed(CLIENT, DEALER, 0, G + WELCOME + ready(st(b"ROUTER"))
                                          + command(b"\x04PING\x00\x00pw-S3cr3t!")),
}


def main():
    corpus_writer.write_seeds("plain", SEEDS)


if __name__ == "__main__":
    main()
