#!/usr/bin/env python3
"""Fails (exit 1) when a file of kafkalite's layered code includes a header from
a layer above its own, or from a sibling folder of the same layer. The build
runs this before it compiles the broker (broker/CMakeLists.txt).

Layers, lowest first; a folder may include its own headers and any lower
layer's. The folders of one rank are siblings and may not include each other.
"""
import pathlib
import re
import sys

LAYERS = [
    ["common"],
    ["broker/config", "broker/storage"],
    ["broker/log"],
    ["broker/cluster", "broker/group", "broker/fetch", "broker/security"],
    ["broker/txn"],
    ["broker/api", "broker/net"],
    ["broker"],  # the composition root: broker.h, embedded_broker
]
# Outside the broker: the client library sits on common only; the command
# line (the top) on everything: the broker for `serve`, the storage layer for
# `inspect`, the client library for the tools.
# The console sits on the client library (it talks Kafka to any broker) and
# never on the broker.
EXTRA = {"client": ["common", "client"], "console": ["common", "client", "console"],
         "cli": ["common", "client", "broker", "console", "cli"]}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def folder_of(path):
    """The layer folder a project path belongs to (the longest match)."""
    best = None
    for rank, folders in enumerate(LAYERS):
        for folder in folders:
            if path == folder or path.startswith(folder + "/"):
                if best is None or len(folder) > len(best[1]):
                    best = (rank, folder)
    for top in EXTRA:
        if path.startswith(top + "/"):
            return (None, top)
    return best


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = []
    for top in ["common", "broker", "client", "console", "cli"]:
        for f in sorted((root / top).rglob("*")):
            if f.suffix not in (".h", ".cpp"):
                continue
            rel = f.relative_to(root).as_posix()
            rank, folder = folder_of(rel)
            for included in INCLUDE.findall(f.read_text(encoding="utf-8")):
                if not included.split("/")[0] in ("common", "broker", "client", "console", "cli"):
                    continue
                if folder in EXTRA:
                    allowed = any(included.startswith(a + "/") for a in EXTRA[folder])
                else:
                    irank, ifolder = folder_of(included) or (None, None)
                    allowed = ifolder == folder or (irank is not None and irank < rank)
                if not allowed:
                    problems.append(f"{rel}: includes {included}, which is not below {folder}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check_layers: {len(problems)} include(s) go up or sideways across the layers "
              "(see tools/check_layers.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
