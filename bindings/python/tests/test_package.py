"""The package itself: the stubs describe what the modules define, the typing marker is
shipped, and the public names pyzmq users reach for exist."""

import ast
import os

import ringmq
import ringmq.asyncio
import ringmq.auth
import ringmq.constants
from ringmq import _core

PACKAGE = os.path.dirname(ringmq.__file__)


def _stub_names(path):
    tree = ast.parse(open(path).read())
    return {node.name for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))} | {
        node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)}


def test_py_typed_is_shipped():
    assert os.path.exists(os.path.join(PACKAGE, "py.typed"))


def test_core_stub_matches_extension():
    names = _stub_names(os.path.join(PACKAGE, "_core.pyi")) - {"Buffer"}
    assert sorted(n for n in names if not hasattr(_core, n)) == []
    public = {n for n in dir(_core) if not n.startswith("__")}
    assert sorted(public - names - {"Message"}) == []


def test_constants_stub_matches_module():
    names = _stub_names(os.path.join(PACKAGE, "constants.pyi"))
    assert sorted(n for n in names if not hasattr(ringmq.constants, n)) == []
    assert sorted(n for n in ringmq.constants.__all__ if n not in names) == []


def test_everyday_pyzmq_names_exist():
    for name in ("Context", "Socket", "Frame", "Message", "Poller", "ZMQError", "Again", "ContextTerminated",
                 "MessageTracker", "curve_keypair", "curve_public", "proxy", "proxy_steerable", "device", "select",
                 "zmq_version_info",
                 "pyzmq_version", "has", "strerror", "PUSH", "PULL", "NOBLOCK", "DONTWAIT", "SNDMORE", "POLLIN",
                 "POLLOUT", "EVENT_ALL"):
        assert hasattr(ringmq, name), name
    assert hasattr(ringmq.asyncio, "Context") and hasattr(ringmq.asyncio, "Poller")
    assert hasattr(ringmq.auth, "ThreadAuthenticator") and hasattr(ringmq.auth, "CURVE_ALLOW_ANY")
    assert ringmq.has("curve") and not ringmq.has("draft")
    assert ringmq.zmq_version_info() >= (4, 3, 0)


def test_install_paths_outside_a_wheel():
    # Run from the build tree (PYTHONPATH): no bundled ringmq/lib or ringmq/include, so the
    # library directory is the one libringmq was loaded from, and no headers lie beside it.
    assert not os.path.isdir(os.path.join(PACKAGE, "lib"))
    loaded = {line.split()[-1] for line in open("/proc/self/maps") if "libringmq.so" in line}
    assert len(loaded) == 1
    libdir = os.path.dirname(loaded.pop())
    assert ringmq.get_library_dirs() == [libdir]
    assert os.path.isfile(os.path.join(libdir, f"libringmq.so.{ringmq.version_info[0]}"))
    assert ringmq.get_includes() == []


def test_version_info_matches_version():
    assert ringmq.version_info == ringmq.ringmq_version_info() == _core.version()
    assert ringmq.__version__ == ".".join(map(str, ringmq.version_info))
