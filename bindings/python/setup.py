"""setuptools glue for `pip install ./bindings/python --no-build-isolation` (see pyproject.toml).

The pure-Python package is copied by setuptools as usual. The extension ringmq._core and
libringmq come from a CMake build of the whole repository, and are staged into the wheel as

    ringmq/_core.<abi>.so      RUNPATH $ORIGIN/lib
    ringmq/lib/libringmq.so.<major>
    ringmq/lib/libringmq.so    a GNU ld script naming the above (wheels cannot hold symlinks)
    ringmq/include/ringmq/*.hpp

so the wheel is self-contained apart from the system's liburing, libsodium and libstdc++.
A library bundled inside the package (rather than found installed) is what makes `pip install`
work on a machine where nobody ran `cmake --install`, and in a venv without root; the cost is one
private copy of libringmq per environment (~1 MB), never shared with a system one.

Environment knobs:
  RINGMQ_CMAKE_BUILD_DIR  an existing, already built CMake tree of this repository to take the
                          files from (its `ringmq_python` target must be built); nothing is
                          compiled and the tree is only read. Without it, setup.py configures
                          and builds a minimal tree (no tests/perf/C ABI) under build_temp.
  RINGMQ_CMAKE_ARGS       extra arguments for that configure step (e.g. a compiler launcher).
  CMAKE_BUILD_PARALLEL_LEVEL  build parallelism, as CMake reads it.
  RINGMQ_PIP_BUILD_DIR    where setuptools puts its build/ and egg-info (default: in this
                          directory, as pip's in-tree build does), so a test leaves the source
                          tree untouched.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
SOURCE_DIR = HERE.parent.parent  # the repository: its CMakeLists.txt builds everything
MANIFEST = Path("bindings", "python", "wheel_manifest.json")  # relative to a build tree


def project_version() -> str:
    """The version in the top-level project() call: one source of truth with libringmq."""
    text = (SOURCE_DIR / "CMakeLists.txt").read_text(encoding="utf-8")
    match = re.search(r"project\(\s*ringmq\s+VERSION\s+(\d+\.\d+\.\d+)", text)
    if match is None:
        raise RuntimeError(f"no project(ringmq VERSION x.y.z) in {SOURCE_DIR / 'CMakeLists.txt'}")
    return match.group(1)


def run(command: list) -> None:
    print("ringmq:", " ".join(shlex.quote(str(c)) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True)


class CMakeBuildExt(build_ext):
    """Builds ringmq._core with CMake (or takes it from a built tree) and stages the library."""

    def build_extension(self, ext: Extension) -> None:
        tree = self._cmake_tree()
        manifest = json.loads((tree / MANIFEST).read_text(encoding="utf-8"))
        if manifest["version"] != self.distribution.get_version():
            raise RuntimeError(f"{tree} builds ringmq {manifest['version']}, "
                               f"this source is {self.distribution.get_version()}")
        built_ext = Path(manifest["extension"])
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        if not built_ext.name.endswith(suffix):
            raise RuntimeError(f"{built_ext} was built for another Python (want *{suffix}): "
                               f"configure that tree with -DPython_EXECUTABLE={sys.executable}")

        target = Path(self.get_ext_fullpath(ext.name)).resolve()
        package_dir = target.parent
        libdir = package_dir / "lib"
        libdir.mkdir(parents=True, exist_ok=True)
        library = Path(manifest["library"])  # the soname file, what _core's DT_NEEDED names
        shutil.copyfile(library, libdir / library.name)
        (libdir / "libringmq.so").write_text(f"INPUT({library.name})\n", encoding="ascii")

        shutil.copyfile(built_ext, target)
        self._set_runpath(target, "$ORIGIN/lib")

        include = package_dir / "include" / "ringmq"
        if include.exists():
            shutil.rmtree(include)
        shutil.copytree(Path(manifest["include_dir"]) / "ringmq", include)

    def _cmake_tree(self) -> Path:
        given = os.environ.get("RINGMQ_CMAKE_BUILD_DIR")
        if given:
            tree = Path(given).resolve()
            if not (tree / MANIFEST).is_file():
                raise RuntimeError(f"{tree / MANIFEST} missing: RINGMQ_CMAKE_BUILD_DIR must be a "
                                   "configured build tree of this repository")
            return tree
        tree = Path(self.build_temp).resolve() / "cmake"
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        run(["cmake", "-S", SOURCE_DIR, "-B", tree, *generator,
             "-DCMAKE_BUILD_TYPE=Release",
             f"-DPython_EXECUTABLE={sys.executable}",
             # Only the library and the extension: a package build is not a test run, and a
             # newer compiler's new warnings must not make `pip install` fail.
             "-DRINGMQ_BUILD_TESTS=OFF", "-DRINGMQ_BUILD_PERF=OFF", "-DRINGMQ_BUILD_CAPI=OFF",
             "-DRINGMQ_BUILD_FUZZ=OFF", "-DRINGMQ_WERROR=OFF",
             *shlex.split(os.environ.get("RINGMQ_CMAKE_ARGS", ""))])
        run(["cmake", "--build", tree, "--target", "ringmq_python"])
        return tree

    def _set_runpath(self, path: Path, runpath: str) -> None:
        """Rewrites the ELF RUNPATH in place with CMake's own editor (no patchelf in Debian's
        build tools by default); the new value must not be longer than the build tree's."""
        script = Path(self.build_temp).resolve() / "set_runpath.cmake"
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text('file(RPATH_SET FILE "${FILE}" NEW_RPATH "${RUNPATH}")\n', encoding="ascii")
        run(["cmake", f"-DFILE={path}", f"-DRUNPATH={runpath}", "-P", script])

    def get_source_files(self) -> list:
        return []  # the sources are CMake's; an sdist of this directory alone is not supported


def scratch_options() -> dict:
    scratch = os.environ.get("RINGMQ_PIP_BUILD_DIR")
    if not scratch:
        return {}
    os.makedirs(scratch, exist_ok=True)
    return {"build": {"build_base": os.path.join(scratch, "build")}, "egg_info": {"egg_base": scratch}}


setup(
    version=project_version(),
    options=scratch_options(),
    packages=find_packages(where=str(HERE), include=["ringmq", "ringmq.*"]),
    package_dir={"": "."},
    package_data={"": ["*.pyi", "py.typed"]},
    ext_modules=[Extension("ringmq._core", sources=[])],
    cmdclass={"build_ext": CMakeBuildExt},
    zip_safe=False,
)
