#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_z85 (tests/fuzz/corpus/z85/), in the input layout
fuzz_z85.cpp documents:

    [0] options (bit 0: map the text onto the alphabet; bit 1: NUL after the key text)  [1..] bytes

Run it again after changing the layout:

    python3 tests/fuzz/make_z85_corpus.py
"""
import corpus_writer

ALPHABET = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#"
RAW, MAP, NUL = 0, 1, 2


def z85(data):
    out = bytearray()
    for i in range(0, len(data), 4):
        value = int.from_bytes(data[i:i + 4], "big")
        digits = []
        for _ in range(5):
            digits.append(ALPHABET[value % 85])
            value //= 85
        out += bytes(reversed(digits))
    return bytes(out)


KEY = bytes(range(32))
# rfc 32's test vector.
HELLO = bytes([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
assert z85(HELLO) == b"HelloWorld"

SEEDS = {
    "empty": bytes([RAW]),
    "rfc32_hello_world": bytes([RAW]) + b"HelloWorld",
    "binary_for_encode": bytes([RAW]) + bytes(range(256)),
    "odd_size_binary": bytes([RAW]) + b"\x00\x01\x02\x03\x04\x05\x06",
    "key_binary": bytes([RAW]) + KEY,
    "key_text": bytes([RAW]) + z85(KEY),
    "key_text_nul": bytes([RAW | NUL]) + z85(KEY) + b"\x00",
    "key_text_bad_char": bytes([RAW]) + z85(KEY)[:20] + b"~" + z85(KEY)[21:],
    "all_ones": bytes([RAW]) + z85(b"\xff" * 32),
    "overflow_group": bytes([RAW]) + b"%%%%%",
    "overflow_max_plus_one": bytes([RAW]) + b"%nSc1",
    "short_group": bytes([RAW]) + b"Hell",
    "mapped_long": bytes([MAP]) + bytes(range(1, 201)),
    "mapped_key_nul": bytes([MAP | NUL]) + bytes(range(100, 145)),
    "high_octets": bytes([RAW]) + bytes(range(128, 256, 3))[:40],
}
# "%nSc1" is 2^32: the smallest 5-character group above the 32-bit range.
assert sum(ALPHABET.index(c) * 85 ** (4 - i) for i, c in enumerate(b"%nSc1")) == 2 ** 32


def main():
    corpus_writer.write_seeds("z85", SEEDS)


if __name__ == "__main__":
    main()
