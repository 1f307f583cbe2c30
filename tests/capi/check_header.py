"""capi/include/zmq.h against the zmq.h Debian's libzmq3-dev installs: the same macros with the
same values, and the same sizes and layouts of the public structs, with and without the draft
API. Binaries built against libzmq's header run on ringmq's library and the other way round,
so a number or a layout that differs is a silent ABI break.

usage: check_header.py <C compiler> <ringmq's include dir> <libzmq's zmq.h>

Each header is compiled into a small program that prints every object-like macro it defines
(integers as numbers, strings as text) and sizeof/offsetof of zmq_msg_t, zmq_pollitem_t and
zmq_poller_event_t; the two programs' outputs must be equal, but for the allowances below.
"""
import os
import re
import subprocess
import sys
import tempfile

# libzmq's header defines it while deciding whether to include <stdint.h>; not part of the API.
ONLY_IN_LIBZMQ = {"ZMQ_DEFINED_STDINT"}

LAYOUTS = """
  printf("sizeof zmq_msg_t %zu\\n", sizeof(zmq_msg_t));
  printf("alignof zmq_msg_t %zu\\n", _Alignof(zmq_msg_t));
  printf("sizeof zmq_pollitem_t %zu\\n", sizeof(zmq_pollitem_t));
  printf("zmq_pollitem_t.socket %zu\\n", offsetof(zmq_pollitem_t, socket));
  printf("zmq_pollitem_t.fd %zu\\n", offsetof(zmq_pollitem_t, fd));
  printf("zmq_pollitem_t.events %zu\\n", offsetof(zmq_pollitem_t, events));
  printf("zmq_pollitem_t.revents %zu\\n", offsetof(zmq_pollitem_t, revents));
"""
DRAFT_LAYOUTS = """
  printf("sizeof zmq_poller_event_t %zu\\n", sizeof(zmq_poller_event_t));
  printf("zmq_poller_event_t.socket %zu\\n", offsetof(zmq_poller_event_t, socket));
  printf("zmq_poller_event_t.fd %zu\\n", offsetof(zmq_poller_event_t, fd));
  printf("zmq_poller_event_t.user_data %zu\\n", offsetof(zmq_poller_event_t, user_data));
  printf("zmq_poller_event_t.events %zu\\n", offsetof(zmq_poller_event_t, events));
"""


def macros(cc, include_flags, draft):
    """Object-like ZMQ_* and E* macros the header leaves defined: name -> replacement text."""
    defines = ["-DZMQ_BUILD_DRAFT_API"] if draft else []
    out = subprocess.run([cc, "-dM", "-E", *defines, *include_flags, "-"], input="#include <zmq.h>\n",
                         text=True, capture_output=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        # Object-like only: a function-like macro's name is followed by "(", not a space.
        m = re.match(r"#define ((?:ZMQ_|E)[A-Z0-9_]*) (.*)$", line)
        if m:
            found[m.group(1)] = m.group(2).strip()  # empty for feature macros (ZMQ_HAVE_POLLER)
    return found


def dump(cc, include_flags, draft, names, strings, tmp):
    lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <zmq.h>", "int main(void) {"]
    for name in sorted(names):
        if name in strings:
            lines.append(f'  printf("{name} %s\\n", {name});')
        else:
            lines.append(f'  printf("{name} %lld\\n", (long long)({name}));')
    lines.append(LAYOUTS + (DRAFT_LAYOUTS if draft else "") + "  return 0;\n}\n")
    src, exe = os.path.join(tmp, "dump.c"), os.path.join(tmp, "dump")
    with open(src, "w") as f:
        f.write("\n".join(lines))
    defines = ["-DZMQ_BUILD_DRAFT_API"] if draft else []
    subprocess.run([cc, "-std=c11", *defines, *include_flags, "-o", exe, src], check=True)
    return subprocess.run([exe], text=True, capture_output=True, check=True).stdout.splitlines()


def main():
    cc, ours_dir, theirs_h = sys.argv[1:4]
    ours = ["-I", ours_dir]
    # libzmq's header alone: a directory holding only it, so no other zmq.h is found first.
    with tempfile.TemporaryDirectory(prefix="ringmq-zmq-h-") as tmp:
        theirs_dir = os.path.join(tmp, "libzmq")
        os.mkdir(theirs_dir)
        os.symlink(os.path.realpath(theirs_h), os.path.join(theirs_dir, "zmq.h"))
        theirs = ["-I", theirs_dir]
        failures = 0
        for draft in (False, True):
            mode = "draft" if draft else "stable"
            ours_m, theirs_m = macros(cc, ours, draft), macros(cc, theirs, draft)
            missing = set(theirs_m) - set(ours_m) - ONLY_IN_LIBZMQ
            extra = set(ours_m) - set(theirs_m)
            for name in sorted(missing):
                print(f"{mode}: libzmq's zmq.h defines {name} ({theirs_m[name]}), ringmq's does not")
            for name in sorted(extra):
                print(f"{mode}: ringmq's zmq.h defines {name}, libzmq's does not")
            failures += len(missing) + len(extra)
            common = {n for n in set(ours_m) & set(theirs_m) if theirs_m[n]}
            strings = {n for n in common if theirs_m[n].startswith('"')}
            a = dump(cc, ours, draft, common, strings, tmp)
            b = dump(cc, theirs, draft, common, strings, tmp)
            for x, y in zip(a, b):
                if x != y:
                    print(f"{mode}: ringmq's {x!r} vs libzmq's {y!r}")
                    failures += 1
            print(f"{mode}: {len(common)} macros and {len(a) - len(common)} layout facts compared")
        if failures:
            print(f"FAIL: {failures} difference(s)")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
