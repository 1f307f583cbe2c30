"""ctest python_pip_install: `pip install` of bindings/python into a fresh venv, offline.

Runs what the README tells users to run, with Debian's pip/setuptools/wheel and no index:
builds a wheel (checking what it carries), pip-installs the package directory into a
`--system-site-packages` venv, then, in that venv with the source and build trees off
sys.path, imports ringmq, checks it and libringmq were loaded from the venv, sends a message
PUSH->PULL over tcp loopback, and checks get_includes()/get_library_dirs() and the version.

To stay cheap in CI (ctest python_pip_install) the wheel is staged from the already built tree
(--build-dir, passed as RINGMQ_CMAKE_BUILD_DIR, only read). Without --build-dir, setup.py
configures and compiles its own tree, as on a user's machine (minutes: run it once, e.g.
`CMAKE_BUILD_PARALLEL_LEVEL=2 check_pip_install.py --package-dir bindings/python`); the pip
install after the pip wheel then reuses that tree. Not a pytest file on purpose: it must not run
with the build tree's PYTHONPATH.

Usage: check_pip_install.py [--build-dir <cmake build dir>] --package-dir <bindings/python>
"""

import argparse
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

# Runs inside the venv (python -I: no PYTHONPATH, no cwd on sys.path).
IN_VENV = r"""
import os, sys
venv = os.path.realpath(sys.argv[1])
def inside(path):
    return os.path.realpath(path).startswith(venv + os.sep)

import ringmq
from importlib import metadata
assert inside(ringmq.__file__), ringmq.__file__
assert inside(ringmq._core.__file__), ringmq._core.__file__
loaded = sorted({line.split()[-1] for line in open("/proc/self/maps") if "libringmq.so" in line})
assert len(loaded) == 1 and inside(loaded[0]), f"libringmq loaded from {loaded}"

assert ringmq.__version__ == metadata.version("ringmq"), (ringmq.__version__, metadata.version("ringmq"))
assert ringmq.version_info == tuple(int(p) for p in ringmq.__version__.split(".")), ringmq.version_info

includes, libdirs = ringmq.get_includes(), ringmq.get_library_dirs()
assert includes and all(inside(d) and os.path.isfile(os.path.join(d, "ringmq", "ringmq.hpp")) for d in includes), includes
major = ringmq.version_info[0]
assert libdirs and all(inside(d) and os.path.isfile(os.path.join(d, f"libringmq.so.{major}"))
                       and os.path.isfile(os.path.join(d, "libringmq.so")) for d in libdirs), libdirs

with ringmq.Context() as ctx:
    pull = ctx.socket(ringmq.PULL)
    pull.rcvtimeo = 10000  # a deadline, not a wait: recv returns as soon as the message is in
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    push = ctx.socket(ringmq.PUSH)
    push.connect(f"tcp://127.0.0.1:{port}")
    push.send(b"from the wheel")
    assert pull.recv() == b"from the wheel"
    push.close(linger=0)
    pull.close(linger=0)
print("ok:", ringmq.__file__, includes, libdirs)
"""


def run(command, **kwargs):
    print("+", " ".join(str(c) for c in command), flush=True)
    if subprocess.run([str(c) for c in command], check=False, **kwargs).returncode != 0:
        raise SystemExit(f"FAILED: {' '.join(str(c) for c in command)}")


def check_wheel(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = ["ringmq/__init__.py", "ringmq/py.typed", "ringmq/_core.pyi", "ringmq/lib/libringmq.so",
              "ringmq/include/ringmq/ringmq.hpp", "ringmq/asyncio.py", "ringmq/eventloop/zmqstream.py"]
    missing = [n for n in wanted if n not in names]
    if not any(n.startswith("ringmq/_core.") and n.endswith(".so") for n in names):
        missing.append("ringmq/_core.*.so")
    if not any(n.startswith("ringmq/lib/libringmq.so.") for n in names):
        missing.append("ringmq/lib/libringmq.so.<major>")
    if missing:
        raise SystemExit(f"{wheel.name} lacks {missing}")
    print(f"wheel {wheel.name}: {len(names)} files, {wheel.stat().st_size} bytes", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", type=Path, help="a built tree to stage from (else compile)")
    parser.add_argument("--package-dir", required=True, type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ringmq-pip-") as tmp:
        tmp_path = Path(tmp)
        venv = tmp_path / "venv"
        run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", venv])
        python = venv / "bin" / "python"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
        if args.build_dir is not None:
            env["RINGMQ_CMAKE_BUILD_DIR"] = str(args.build_dir.resolve())
        env["RINGMQ_PIP_BUILD_DIR"] = str(tmp_path / "scratch")
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        offline = ["--no-build-isolation", "--no-index", "--no-deps", "--no-cache-dir"]

        dist = tmp_path / "dist"
        run([python, "-m", "pip", "wheel", *offline, "-w", dist, args.package_dir.resolve()], env=env, cwd=tmp)
        wheels = list(dist.glob("ringmq-*.whl"))
        if len(wheels) != 1:
            raise SystemExit(f"pip wheel made {wheels}")
        check_wheel(wheels[0])

        run([python, "-m", "pip", "install", *offline, args.package_dir.resolve()], env=env, cwd=tmp)
        check = tmp_path / "in_venv.py"
        check.write_text(IN_VENV, encoding="utf-8")
        run([python, "-I", check, venv], env=env, cwd=tmp)


if __name__ == "__main__":
    main()
