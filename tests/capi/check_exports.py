"""The symbols ringmq's libzmq.so.5 exports: every function Debian's libzmq 4.3 exports, the
draft functions ringmq provides and ringmq_version, and nothing else (no C++ symbol leaks).
Also checks the SONAME.

usage: check_exports.py <ringmq's libzmq.so.5> <Debian's libzmq.so.5>
"""
import subprocess
import sys

EXTRAS = {
    "ringmq_version",
    "zmq_poller_new", "zmq_poller_destroy", "zmq_poller_size", "zmq_poller_add",
    "zmq_poller_modify", "zmq_poller_remove", "zmq_poller_wait", "zmq_poller_wait_all",
    "zmq_poller_fd", "zmq_poller_add_fd", "zmq_poller_modify_fd", "zmq_poller_remove_fd",
    "zmq_socket_monitor_versioned", "zmq_msg_init_buffer", "zmq_ctx_set_ext", "zmq_ctx_get_ext",
    "zmq_msg_set_routing_id", "zmq_msg_routing_id",
}


def exported(path):
    out = subprocess.run(["nm", "-D", "--defined-only", path], check=True, capture_output=True, text=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def soname(path):
    out = subprocess.run(["objdump", "-p", path], check=True, capture_output=True, text=True).stdout
    return [line.split()[-1] for line in out.splitlines() if "SONAME" in line]


ours, theirs = exported(sys.argv[1]), exported(sys.argv[2])
ok = True
if theirs - ours:
    print("missing libzmq functions:", sorted(theirs - ours))
    ok = False
if ours - theirs - EXTRAS:
    print("exported beyond libzmq's API:", sorted(ours - theirs - EXTRAS))
    ok = False
if EXTRAS - ours:
    print("draft functions missing:", sorted(EXTRAS - ours))
    ok = False
if soname(sys.argv[1]) != ["libzmq.so.5"]:
    print("SONAME:", soname(sys.argv[1]))
    ok = False
print(f"{len(ours)} symbols: {len(theirs)} of libzmq 4.3 and {len(ours - theirs)} more")
sys.exit(0 if ok else 1)
