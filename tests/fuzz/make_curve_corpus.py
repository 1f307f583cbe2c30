#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_curve_server (see the input layout in fuzz_curve_server.cpp).

Usage: tests/fuzz/make_curve_corpus.py [directory]   (default: tests/fuzz/corpus/curve_server)
"""
import os
import struct
import sys

HELLO, INITIATE, FORGED, MESSAGE, RAW, NONCE, REPLAY, NEW_KEY = range(8)


def hello(*mutations):
    return bytes([HELLO]) + muts(mutations)


def initiate(meta=b"", *mutations):
    return bytes([INITIATE, len(meta)]) + meta + muts(mutations)


def forged(variant, seed=1, *mutations):
    return bytes([FORGED, seed, variant]) + muts(mutations)


def message(payload, flags=0, *mutations):
    return bytes([MESSAGE, len(payload)]) + payload + bytes([flags]) + muts(mutations)


def flip(offset, xor=1):
    return bytes([0]) + struct.pack("<H", offset) + bytes([xor])


def truncate(size):
    return bytes([1]) + struct.pack("<H", size)


def append(count, value=0):
    return bytes([2, count, value])


def muts(mutations):
    return bytes([len(mutations)]) + b"".join(mutations)


HONEST = hello() + initiate(b"abc") + message(b"hello") + message(b"world", 1) + message(b"x")

SEEDS = {
    "honest": bytes([0]) + HONEST,
    "zap_300": bytes([1]) + HONEST,
    "zap_400": bytes([2]) + HONEST,
    "zap_500": bytes([3]) + HONEST,
    "forged_transient": bytes([0]) + hello() + forged(0),
    "forged_server": bytes([0]) + hello() + forged(1),
    "forged_signer": bytes([0]) + hello() + forged(2),
    "flipped_hello": bytes([0]) + hello(flip(150)) + initiate(),
    "hello_padding": bytes([0]) + hello(flip(20)) + initiate() + message(b"ok"),
    "truncated_hello": bytes([0]) + hello(truncate(199)),
    "oversized_hello": bytes([0]) + hello(append(1)),
    "flipped_cookie": bytes([0]) + hello() + initiate(b"", flip(30)),
    "flipped_initiate_box": bytes([0]) + hello() + initiate(b"meta", flip(140)),
    "truncated_initiate": bytes([0]) + hello() + initiate(b"", truncate(256)),
    "flipped_message": bytes([0]) + HONEST + message(b"bad", 0, flip(20)),
    "flipped_message_nonce": bytes([0]) + HONEST + message(b"bad", 0, flip(10)),
    "replayed_message": bytes([0]) + HONEST + bytes([REPLAY]),
    "decreasing_nonce": bytes([0]) + HONEST + bytes([NONCE, 1]) + message(b"old"),
    "message_as_command": bytes([0]) + HONEST + message(b"cmd", 0x80) + message(b"after"),
    "message_before_ready": bytes([0]) + hello() + message(b"early"),
    "second_hello": bytes([0]) + hello() + bytes([NEW_KEY]) + hello(),
    "raw_junk": bytes([0]) + bytes([RAW, 12]) + b"\x04\x0a\x05HELLOxxxx" + hello(),
    "huge_frame_header": bytes([0]) + hello() + bytes([RAW, 9]) + b"\x06\x40\x00\x00\x00\x00\x00\x00\x00",
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus", "curve_server")
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds in {out}")


if __name__ == "__main__":
    main()
