"""Content digests: the one place where bytes, files, folders and code become fingerprints."""

from __future__ import annotations

import ast
import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent

# Package data a module reads when it runs (globs relative to the package folder): part of that module's code.
# Templates are not listed: a module that imports cchc_lib.pages renders the templates of its own stage
# (``templates/<stage>/**`` and the shared ``templates/*.j2``), and reads the stylesheet only if it calls
# ``pages.stylesheet()`` (so a stylesheet edit re-renders pages, never re-executes a notebook).
MODULE_DATA: dict[str, tuple[str, ...]] = {
    "domain.catalog": ("domain/catalog.yaml",),
    "reporting.fonts": ("reporting/fonts/*.ttf",),
    "reporting.prose": ("reporting/prose.yaml",),
    "reporting.render": ("templates/nbconvert/**/*",),
}
PAGES = "pages"
STYLESHEET = "templates/cchc.css"


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


def of_text(*parts: str, length: int = 20) -> str:
    """Digest of text parts (UTF-8), as :func:`of_chunks`."""
    return of_chunks((p.encode("utf-8") for p in parts), length)


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
    for path in sorted(set(Path(p) for p in paths)):
        parts.append(path.relative_to(root).as_posix().encode())
        parts.append(path.read_bytes())
    return of_chunks(parts, length)


def tree_files(folder: Path, pattern: str = "**/*") -> list[Path]:
    """The files under ``folder`` matching ``pattern``, sorted (no ``__pycache__``; none when it is absent)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def of_tree(folder: Path, pattern: str = "**/*", length: int = 20) -> str:
    """Digest of the files under ``folder`` (names relative to it, and bytes)."""
    return of_files(tree_files(folder, pattern), Path(folder), length)


# ---------------------------------------------------------------------------- code


@dataclass(frozen=True)
class Code:
    """The code a set of modules runs: the package's modules imported transitively, and third-party imports."""

    package_dir: Path
    modules: frozenset[str]
    external: frozenset[str]
    imports: dict[str, frozenset[str]]
    styled: frozenset[str]  # the modules that call pages.stylesheet()

    def files(self) -> list[Path]:
        """The closure's module files, the data they read and the templates they render, sorted."""
        pkg = self.package_dir
        out = {p for m in self.modules if (p := module_path(m, pkg))}
        for m in self.modules:
            short = m.partition(".")[2]
            out.update(f for pattern in MODULE_DATA.get(short, ()) for f in tree_files(pkg, pattern))
            parts = short.split(".")
            if len(parts) > 1 and f"{pkg.name}.{PAGES}" in self.imports.get(m, ()):
                out.update(tree_files(pkg / "templates" / parts[0]) + tree_files(pkg / "templates", "*.j2"))
            if m in self.styled and (pkg / STYLESHEET).is_file():
                out.add(pkg / STYLESHEET)
        return sorted(out)

    def digest(self, length: int = 20) -> str:
        """Digest of :meth:`files` (paths relative to the package folder, and bytes)."""
        return of_files(self.files(), self.package_dir, length)


def module_path(module: str, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The file of a module of the package (``pkg.a.b`` -> ``a/b.py`` or ``a/b/__init__.py``), or None."""
    parts = module.split(".")
    if parts[0] != package_dir.name:
        return None
    base = package_dir.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py") if len(parts) > 1 else None):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=512)
def _scan(source: bytes, module: str, is_package: bool, package: str) -> tuple[frozenset[str], frozenset[str], bool]:
    """What ``source`` imports and calls.

    (modules of ``package`` named by its imports, top-level names of the other imports, whether it calls a
    function named ``stylesheet``).
    """
    names: set[str] = set()
    styled = False
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            styled = styled or getattr(func, "attr", getattr(func, "id", "")) == "stylesheet"
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    own = {n for n in names if n == package or n.startswith(package + ".")}
    return frozenset(own), frozenset(n.split(".")[0] for n in names - own if n), styled


def source_imports(source: str | bytes, package_dir: Path = PACKAGE_DIR) -> tuple[frozenset[str], frozenset[str]]:
    """Imports of a piece of code outside the package (a notebook cell): (package modules, third-party names)."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    own, external, _ = _scan(data, "__main__", False, package_dir.name)
    return frozenset(m for m in own if module_path(m, package_dir)), external


def closure(roots: Iterable[str], package_dir: Path = PACKAGE_DIR) -> Code:
    """The modules ``roots`` run.

    Their imports, transitively (lazy ones inside functions too), and every parent package (Python runs its
    ``__init__``); found by reading the sources (ast), never by importing, so it works on a copied package tree.
    """
    package = package_dir.name
    todo, modules, external, imports, styled = list(roots), set(), set(), {}, set()
    while todo:
        module = todo.pop()
        path = module_path(module, package_dir)
        if module in modules or path is None:
            continue
        modules.add(module)
        own, ext, calls_stylesheet = _scan(path.read_bytes(), module, path.name == "__init__.py", package)
        if calls_stylesheet:
            styled.add(module)
        found = {m for m in own if module_path(m, package_dir)}
        parts = module.split(".")
        found.update(".".join(parts[:i]) for i in range(1, len(parts)))
        imports[module] = frozenset(found)
        external.update(ext)
        todo.extend(found - modules)
    return Code(package_dir, frozenset(modules), frozenset(external), imports, frozenset(styled))


def of_code(roots: Iterable[str], package_dir: Path = PACKAGE_DIR, length: int = 20) -> str:
    """Digest of the code ``roots`` run: see :func:`closure` and :meth:`Code.files`."""
    return closure(roots, package_dir).digest(length)
