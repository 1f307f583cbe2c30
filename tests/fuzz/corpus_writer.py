"""What every make_*_corpus.py script ends with: writing its named seeds into
tests/fuzz/corpus/<target>/."""
import pathlib
import re


def write_seeds(target, seeds):
    out = pathlib.Path(__file__).resolve().parent / "corpus" / target
    out.mkdir(parents=True, exist_ok=True)
    # Named seeds are rewritten; inputs merged in from fuzzing keep their sha1 names.
    for old in out.iterdir():
        if not re.fullmatch(r"[0-9a-f]{40}", old.name):
            old.unlink()
    for name, data in sorted(seeds.items()):
        (out / name).write_bytes(data)
    print(f"{len(seeds)} seeds written to {out}")
