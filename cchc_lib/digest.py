"""Content digests: the one place where bytes, files and folders become fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def of_chunks(chunks: Iterable[bytes], length: int = 20) -> str:
    """Hex SHA-256 of byte chunks, each followed by a NUL (so ``ab|c`` differs from ``a|bc``).

    >>> of_chunks([b"ab", b"c"]) != of_chunks([b"a", b"bc"])
    True
    >>> len(of_chunks([b"x"]))
    20
    """
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()[:length]


def of_file(path: Path | str) -> str:
    """Full hex SHA-256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def of_files(paths: Iterable[Path], root: Path, length: int = 20) -> str:
    """Digest of files by their path relative to ``root`` and their bytes (order-independent)."""
    parts = []
    for path in sorted(Path(p) for p in paths):
        parts.append(path.relative_to(root).as_posix().encode())
        parts.append(path.read_bytes())
    return of_chunks(parts, length)
