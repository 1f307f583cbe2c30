#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_zap_reply (tests/fuzz/corpus/zap_reply/), in the input layout
fuzz_zap_reply.cpp documents:

    [0] options (bit 0 PLAIN server, else NULL with a domain; bit 1 the NULL peer's READY
        after the ZAP reply; bit 2 a stale second answer)
    domain, username, password: each a length octet and its octets
    reply frames: flags (bit 0 MORE, bit 1 two length octets), length, body

Run it again after changing the layout:

    python3 tests/fuzz/make_zap_reply_corpus.py
"""
import struct

import corpus_writer

PLAIN, READY_LATE, STALE = 1, 2, 4


def s8(b):
    return bytes([len(b)]) + b


def prop(name, value):
    return bytes([len(name)]) + name + struct.pack(">I", len(value)) + value


def frame(body, more=True):
    if len(body) > 255:
        return bytes([int(more) | 2]) + struct.pack(">H", len(body)) + body
    return bytes([int(more), len(body)]) + body


def reply(status=b"200", text=b"OK", user=b"", meta=b"", version=b"1.0", request_id=b"1", delimiter=b""):
    return b"".join(frame(f) for f in (delimiter, version, request_id, status, text, user)) + frame(meta, False)


def seed(options, body, domain=b"global", user=b"admin", password=b"secret"):
    return bytes([options]) + s8(domain) + s8(user) + s8(password) + body


META = prop(b"X-Role", b"guest") + prop(b"Plan", b"gold")
SEEDS = {
    "null_200": seed(0, reply(user=b"alice", meta=META)),
    "null_200_ready_late": seed(READY_LATE, reply(user=b"alice", meta=META)),
    "null_200_stale": seed(STALE, reply()),
    "plain_200": seed(PLAIN, reply(user=b"admin", meta=META)),
    "plain_200_empty_credentials": seed(PLAIN, reply(), b"", b"", b""),
    "zap_overrides_peer_property": seed(0, reply(meta=prop(b"x-peer", b"from-zap"))),
    "status_300": seed(0, reply(b"300", b"Try later")),
    "status_400": seed(PLAIN | STALE, reply(b"400", b"No access")),
    "status_500": seed(READY_LATE, reply(b"500", b"Internal error")),
    "status_invalid": seed(0, reply(b"201")),
    "status_long": seed(0, reply(b"2000")),
    "metadata_truncated": seed(PLAIN, reply(meta=META[:-2])),
    "metadata_large": seed(0, reply(meta=prop(b"X-Big", b"b" * 400))),
    "refusal_with_bad_metadata": seed(0, reply(b"400", meta=b"\x00")),
    "bad_version": seed(0, reply(version=b"2.0")),
    "bad_request_id": seed(0, reply(request_id=b"2")),
    "no_delimiter": seed(0, reply(delimiter=b"x")),
    "six_frames": seed(0, b"".join(frame(f) for f in (b"", b"1.0", b"1", b"200", b"OK")) + frame(b"", False)),
    "eight_frames": seed(0, reply()[:-2] + frame(b"") + frame(b"extra", False)),
    "last_frame_more": seed(0, reply()[:-2] + frame(b"")),
    "middle_frame_no_more": seed(PLAIN, frame(b"") + frame(b"1.0", False) + frame(b"1")),
    "no_frames": seed(0, b""),
    "long_domain": seed(PLAIN, reply(), b"d" * 255, b"u" * 255, b"p" * 255),
}


def main():
    corpus_writer.write_seeds("zap_reply", SEEDS)


if __name__ == "__main__":
    main()
