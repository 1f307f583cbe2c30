"""The install route of ringmq's libzmq: opt-in, and enough for libzmq programs to build.

usage: install_test.py <cmake> <build dir> <C compiler> <C++ compiler> <RINGMQ_INSTALL_LIBZMQ>

Into a fresh prefix: a plain `cmake --install` must install ringmq and, unless the build
asked for it (RINGMQ_INSTALL_LIBZMQ), no libzmq (it never shadows a system libzmq by
accident); `--component libzmq` then adds libzmq.so.5, zmq.h, libzmq.pc and the ZeroMQ CMake
package. Against that prefix a C program builds with
`pkg-config libzmq` and a cppzmq program with CMake's find_package(cppzmq) (which finds
libzmq through find_package(ZeroMQ)); both must run on ringmq's library.
"""
import glob
import os
import subprocess
import sys
import tempfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "install")


def run(*args, env=None):
    print("$", " ".join(args), flush=True)
    return subprocess.run(args, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout


def main():
    cmake, build, cc, cxx, with_libzmq = sys.argv[1:6]
    with_libzmq = with_libzmq.upper() in ("ON", "1", "TRUE", "YES")
    with tempfile.TemporaryDirectory(prefix="ringmq-install-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        run(cmake, "--install", build, "--prefix", prefix)
        shadowing = glob.glob(f"{prefix}/**/libzmq*", recursive=True) + glob.glob(f"{prefix}/**/zmq.h", recursive=True)
        if not glob.glob(f"{prefix}/**/libringmq.so.0", recursive=True):
            print("FAIL: a plain install must hold libringmq")
            return 1
        if bool(shadowing) != with_libzmq:
            print(f"FAIL: with RINGMQ_INSTALL_LIBZMQ={'ON' if with_libzmq else 'OFF'} a plain install holds {shadowing}")
            return 1
        run(cmake, "--install", build, "--prefix", prefix, "--component", "libzmq")
        pcs = glob.glob(f"{prefix}/**/pkgconfig/libzmq.pc", recursive=True)
        if len(pcs) != 1:
            print(f"FAIL: libzmq.pc not installed once: {pcs}")
            return 1
        libdir = os.path.dirname(os.path.dirname(pcs[0]))
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.dirname(pcs[0]), LD_LIBRARY_PATH=libdir)

        flags = run("pkg-config", "--cflags", "--libs", "libzmq", env=env).split()
        exe = os.path.join(tmp, "consumer_c")
        run(cc, "-o", exe, os.path.join(HERE, "consumer.c"), *flags, "-ldl", env=env)
        print(run(exe, env=env), end="")

        project = os.path.join(tmp, "consumer")
        run(cmake, "-S", HERE, "-B", project, f"-DCMAKE_PREFIX_PATH={prefix}", f"-DEXPECTED_PREFIX={prefix}",
            f"-DCMAKE_CXX_COMPILER={cxx}")
        run(cmake, "--build", project)
        # No LD_LIBRARY_PATH: CMake's build tree RPATH must lead to the installed library.
        print(run(os.path.join(project, "consumer_cppzmq")), end="")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as e:
        print(f"FAIL: {e}\n{e.stdout or ''}")
        sys.exit(1)
