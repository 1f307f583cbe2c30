"""Where this installation's C++ headers and libringmq are: pyzmq's get_includes()/get_library_dirs().

A wheel (bindings/python/setup.py) carries both inside the package, as ringmq/include and
ringmq/lib. Other layouts (`cmake --install`, the build tree) fall back to the directory of
the libringmq the extension actually loaded, and to an include/ directory beside that
library's prefix when one holds ringmq's headers.
"""

import os
from typing import List, Optional

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _loaded_library_dir() -> Optional[str]:
    """The directory of the libringmq mapped into this process (Linux: /proc/self/maps)."""
    from ringmq import _core  # noqa: F401 - loading the extension maps libringmq

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rstrip("\n").split(maxsplit=5)[-1]
                if os.path.basename(path).startswith("libringmq.so"):
                    return os.path.dirname(path)
    except OSError:
        pass
    return None


def get_includes() -> List[str]:
    """Directories to add to the include path to compile against ringmq's C++ API.

    Each returned directory holds ``ringmq/ringmq.hpp``; the list is empty when this
    installation has no headers (a plain build tree).
    """
    bundled = os.path.join(_PACKAGE_DIR, "include")
    if os.path.isfile(os.path.join(bundled, "ringmq", "ringmq.hpp")):
        return [bundled]
    libdir = _loaded_library_dir()
    if libdir is not None:
        # <prefix>/lib/include or <prefix>/lib/<multiarch>/include: try both prefixes.
        for prefix in (os.path.dirname(libdir), os.path.dirname(os.path.dirname(libdir))):
            candidate = os.path.join(prefix, "include")
            if os.path.isfile(os.path.join(candidate, "ringmq", "ringmq.hpp")):
                return [candidate]
    return []


def get_library_dirs() -> List[str]:
    """Directories to add to the library path to link against libringmq (``-lringmq``).

    In a wheel, which cannot carry symlinks, libringmq.so there is a one-line GNU ld script
    naming libringmq.so.<major>, so ``-lringmq`` links as usual.
    """
    bundled = os.path.join(_PACKAGE_DIR, "lib")
    if os.path.isdir(bundled):
        return [bundled]
    libdir = _loaded_library_dir()
    return [libdir] if libdir is not None else []
