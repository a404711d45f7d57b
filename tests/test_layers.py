"""The house's layers: imports run one way, downwards, and no app imports another app's views.

toolkit_site (settings, urls, wsgi)
operations (staff commands: backup, restore, demo data)
networks (what networks' coordinators see of their members' figures)
reporting (summary, PDF, exports, review)
peers (snapshots of closed rounds' figures, peer comparison)
surveys | practices (siblings: neither imports the other)
assessments
accounts
content
core (imports no app)
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    {"toolkit_site"},
    {"operations"},
    {"networks"},
    {"reporting"},
    {"peers"},
    {"surveys", "practices"},
    {"assessments"},
    {"accounts"},
    {"content"},
    {"core"},
]
LEVEL = {package: level for level, packages in enumerate(LAYERS) for package in packages}
SKIP = {"migrations", "__pycache__"}


def _imports(path: Path):
    """(line, module) for every absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _modules():
    for package in LEVEL:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not SKIP & set(path.relative_to(ROOT).parts):
                yield package, path


def test_every_top_level_package_has_a_layer():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages == set(LEVEL)


@pytest.mark.parametrize("package", sorted(LEVEL))
def test_imports_run_downwards(package):
    upward = []
    for owner, path in _modules():
        if owner != package:
            continue
        for line, module in _imports(path):
            target = module.split(".")[0]
            if target in LEVEL and target != package and LEVEL[target] <= LEVEL[package]:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert upward == []


def test_no_app_imports_another_apps_views():
    crossing = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for owner, path in _modules()
        if owner != "toolkit_site"
        for line, module in _imports(path)
        if module.split(".")[0] != owner
        and ".views" in f".{module}"
        and module.split(".")[0] in LEVEL
    ]
    assert crossing == []


def test_no_module_is_over_700_lines():
    long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for _owner, path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 700
    ]
    assert long == []
