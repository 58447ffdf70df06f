"""The shape of the package: stages as folders, no import circles, small modules.

Imports are read from the source with `ast` (imports inside functions count too:
a lazy import is still a dependency), so a circle fails here before it confuses a
reader or an import order.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "derivations"
MAX_TOP_LEVEL = 8
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
STAGES = {"library", "sheet", "solver", "present", "render", "read", "grade", "variants",
          "lms", "work"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every derivations module `path` imports, at any depth of the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in known}
    if path.is_relative_to(ROOT):
        found.discard(module_name(path))
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    # importing a package runs its __init__, so `derivations.x.y` depends on it too;
    # the root package's __init__ is the version string only and is left out.
    return {name: {m for m in imports_of(path, known) if m != "derivations"}
            for name, path in mods.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A shortest circle through any module, or None (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(edges):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_find_cycle_detects_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_imports_inside_functions_count(tmp_path):
    module = PACKAGE / "solver" / "claims.py"
    assert "derivations.solver.algebra" in imports_of(module, set(modules()))
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from derivations.solver import engine\n")
    assert imports_of(lazy, {"derivations.solver.engine"}) == {"derivations.solver.engine"}


def test_no_import_circles():
    cycle = find_cycle(graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_stages_do_not_reach_back():
    """The library knows nothing of sheets; the solver knows nothing of output or grading."""
    forbidden = {
        "derivations.library": ("sheet", "solver", "present", "render", "grade", "cli"),
        "derivations.sheet": ("solver", "present", "render", "grade", "cli"),
        "derivations.solver": ("present", "render", "grade", "cli"),
        "derivations.present": ("render", "grade", "variants", "lms", "cli"),
        "derivations.read": ("solver", "present", "render", "grade", "variants", "lms",
                             "work", "cli"),
        "derivations.grade": ("variants", "lms", "work", "cli"),
        "derivations.variants": ("lms", "cli"),
    }
    for module, targets in graph().items():
        for stage, banned in forbidden.items():
            if module.startswith(stage + "."):
                bad = [t for t in targets if t.split(".")[1] in banned]
                assert not bad, f"{module} imports {bad}"


def test_top_level_is_small_and_stages_are_folders():
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= MAX_TOP_LEVEL, top
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert STAGES <= folders


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_module_and_function_sizes(path: Path):
    lines = path.read_text().splitlines()
    assert len(lines) <= MAX_MODULE_LINES, f"{path.name} has {len(lines)} lines"
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            reason = any("long:" in lines[i] for i in range(node.lineno - 1, node.lineno + 1))
            assert length <= MAX_FUNCTION_LINES or reason, \
                f"{path.name}:{node.lineno} {node.name} has {length} lines and no '# long:' reason"


def test_wheel_lists_every_subpackage():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    present = {module_name(p / "__init__.py") for p in PACKAGE.rglob("*")
               if (p / "__init__.py").exists()} | {"derivations"}
    assert present | {"derivations.templates"} == listed
    assert config["package-dir"]["derivations.templates"] == "templates"


def test_tests_mirror_the_stages():
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir()}
    assert STAGES <= folders
