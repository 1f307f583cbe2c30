#!/usr/bin/env python3
"""Fails when a file under lib/ includes a header of a layer it may not use (docs/architecture.md).

Layers and what they may include (besides themselves and the public include/ringmq/):
  core      -> nothing
  pattern   -> core
  zmtp      -> core
  security  -> zmtp, core
  io        -> nothing (OS only)
  transport -> io, zmtp, security, core
  api       -> everything
Also: <liburing.h> only in io, <sodium.h> only in security. Every layer may include
core/invariant.hpp, the one header-only invariant check (io included).
"""
import pathlib
import re
import sys

ALLOWED = {
    "core": set(),
    "pattern": {"core"},
    "zmtp": {"core"},
    "security": {"zmtp", "core"},
    "io": set(),
    "transport": {"io", "zmtp", "security", "core"},
    "api": {"core", "pattern", "zmtp", "security", "io", "transport"},
}
EXCLUSIVE = {"liburing.h": "io", "sodium.h": "security"}
SHARED = {"core/invariant.hpp"}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def main(root: pathlib.Path) -> int:
    errors = []
    for path in sorted((root / "lib").rglob("*")):
        if path.suffix not in {".hpp", ".cpp", ".h"}:
            continue
        layer = path.relative_to(root / "lib").parts[0]
        if layer not in ALLOWED:
            errors.append(f"{path}: unknown layer '{layer}'")
            continue
        for kind, target in INCLUDE.findall(path.read_text(errors="replace")):
            if kind == '"':
                other = target.split("/")[0]
                if target in SHARED:
                    continue
                if other in ALLOWED and other != layer and other not in ALLOWED[layer]:
                    errors.append(f"{path}: layer '{layer}' may not include \"{target}\"")
            elif target in EXCLUSIVE and EXCLUSIVE[target] != layer:
                errors.append(f"{path}: only layer '{EXCLUSIVE[target]}' may include <{target}>")
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
