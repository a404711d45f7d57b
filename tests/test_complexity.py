"""Readable functions: none in the apps above cyclomatic complexity 20, as radon measures it."""

from pathlib import Path

from radon.complexity import cc_visit
from radon.visitors import Class

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "core",
    "content",
    "accounts",
    "assessments",
    "practices",
    "surveys",
    "reporting",
    "operations",
    "toolkit_site",
)
LIMIT = 20


def _app_files() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts
    ]


def _functions(blocks):
    """Every function and method in radon's blocks, closures and nested classes included.

    `cc_visit` lists top-level functions, classes and those classes' methods; it leaves
    closures and the methods of nested classes inside their parents, and a class's own
    figure is the sum of its methods', so classes are not measured themselves.
    """
    for block in blocks:
        if isinstance(block, Class):
            for inner in block.inner_classes:
                yield from _functions([*inner.methods, *inner.inner_classes])
        else:
            yield block
            yield from _functions(block.closures)


def test_no_function_or_method_is_above_complexity_20():
    files = _app_files()
    assert len(files) > 20, "the apps' Python files were not found"
    too_complex = [
        f"{path.relative_to(ROOT)}:{function.lineno} {function.fullname} ({function.complexity})"
        for path in files
        for function in _functions(cc_visit(path.read_text(encoding="utf-8")))
        if function.complexity > LIMIT
    ]
    assert not too_complex, f"above cyclomatic complexity {LIMIT}:\n" + "\n".join(too_complex)
