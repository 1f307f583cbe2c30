#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_curve_client (tests/fuzz/corpus/curve_client/), in the input
layout fuzz_curve_client.cpp documents: [0] our socket type (0 DEALER, 1 REQ, 2 SUB, 3 PAIR),
then steps, each an op octet and its operands.

Run it again after changing the layout:

    python3 tests/fuzz/make_curve_client_corpus.py
"""
import struct

import corpus_writer

WELCOME, IMPOSTOR_WELCOME, READY, WRONG_READY, MESSAGE, ERROR, RAW, NONCE, REPLAY, SEND = range(10)
DEALER, REQ, SUB, PAIR = range(4)


def muts(mutations):
    return bytes([len(mutations)]) + b"".join(mutations)


def flip(offset, xor=1):
    return bytes([0]) + struct.pack("<H", offset) + bytes([xor])


def truncate(size):
    return bytes([1]) + struct.pack("<H", size)


def append(count, value=0):
    return bytes([2, count, value])


def welcome(*m):
    return bytes([WELCOME]) + muts(m)


def impostor_welcome(seed=1, *m):
    return bytes([IMPOSTOR_WELCOME, seed]) + muts(m)


def ready(x_fuzz=b"", *m):
    return bytes([READY, len(x_fuzz)]) + x_fuzz + muts(m)


def wrong_ready(seed=1, *m):
    return bytes([WRONG_READY, seed]) + muts(m)


def message(payload, flags=0, *m):
    return bytes([MESSAGE, len(payload)]) + payload + bytes([flags]) + muts(m)


def error(reason):
    return bytes([ERROR, len(reason)]) + reason


def raw(data):
    return bytes([RAW, len(data)]) + data


def send(payload, more=0):
    return bytes([SEND, len(payload)]) + payload + bytes([more])


HONEST = welcome() + ready(b"v") + message(b"hello") + message(b"part", 1) + message(b"end")
MORE, COMMAND, AS_COMMAND = 1, 2, 0x80

SEEDS = {
    "honest_dealer": bytes([DEALER]) + HONEST,
    "honest_req_send": bytes([REQ]) + HONEST + send(b"", 1) + send(b"question") + message(b"answer"),
    "honest_sub": bytes([SUB]) + welcome() + ready() + message(b"topic data"),
    "honest_pair_ping": bytes([PAIR]) + welcome() + ready() + message(b"\x04PING\x00\x0actx", COMMAND) + message(b"x"),
    "impostor_welcome": bytes([DEALER]) + impostor_welcome(1) + ready(),
    "impostor_welcome_then_honest": bytes([DEALER]) + impostor_welcome(2) + welcome() + ready(),
    "flipped_welcome_box": bytes([DEALER]) + welcome(flip(100)) + ready(),
    "flipped_welcome_nonce": bytes([DEALER]) + welcome(flip(10)) + ready(),
    "truncated_welcome": bytes([DEALER]) + welcome(truncate(167)),
    "oversized_welcome": bytes([DEALER]) + welcome(append(1)),
    "wrong_key_ready": bytes([DEALER]) + welcome() + wrong_ready(3),
    # 30 octets: name, nonce and a MAC, no metadata -- nothing to parse if the box were not checked.
    "wrong_key_ready_no_metadata": bytes([DEALER]) + welcome() + wrong_ready(3, truncate(30)),
    "flipped_ready_box": bytes([DEALER]) + welcome() + ready(b"abc", flip(20)),
    "flipped_ready_nonce": bytes([DEALER]) + welcome() + ready(b"abc", flip(8)),
    "short_ready": bytes([DEALER]) + welcome() + ready(b"", truncate(29)),
    "ready_before_welcome": bytes([DEALER]) + ready(),
    "two_welcomes": bytes([DEALER]) + welcome() + welcome() + ready(),
    "error_before_welcome": bytes([DEALER]) + error(b"400"),
    "error_after_welcome": bytes([REQ]) + welcome() + error(b"500"),
    "error_text": bytes([DEALER]) + welcome() + error(b"Invalid key"),
    "flipped_message": bytes([DEALER]) + HONEST + message(b"bad", 0, flip(20)),
    "flipped_message_nonce": bytes([DEALER]) + HONEST + message(b"bad", 0, flip(10)),
    "replayed_message": bytes([DEALER]) + HONEST + bytes([REPLAY]),
    "decreasing_nonce": bytes([DEALER]) + HONEST + bytes([NONCE, 1]) + message(b"old"),
    "message_nonce_below_ready": bytes([DEALER]) + bytes([NONCE, 50]) + welcome() + ready() + bytes([NONCE, 10])
    + message(b"old"),
    "message_as_command": bytes([DEALER]) + HONEST + message(b"cmd", AS_COMMAND) + message(b"after"),
    "message_before_ready": bytes([DEALER]) + welcome() + message(b"early"),
    "short_message": bytes([DEALER]) + HONEST + message(b"", 0, truncate(32)),
    "raw_junk": bytes([DEALER]) + raw(b"\x04\x0a\x07WELCOMExx") + welcome(),
    "unboxed_data_after_ready": bytes([DEALER]) + welcome() + ready() + raw(b"\x00\x05plain"),
    "huge_frame_header": bytes([DEALER]) + raw(b"\x06\x40\x00\x00\x00\x00\x00\x00\x00"),
}


def main():
    corpus_writer.write_seeds("curve_client", SEEDS)


if __name__ == "__main__":
    main()
