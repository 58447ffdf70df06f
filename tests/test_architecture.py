"""The shape of the package: stages as folders, no import circles, small modules.

Imports are read from the source with `ast` (imports inside functions count too:
a lazy import is still a dependency), so a circle fails here before it confuses a
reader or an import order.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "derivations"
MAX_TOP_LEVEL = 8
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_CLASS_LINES = 250
STAGES = {"library", "sheet", "solver", "present", "render", "read", "grade", "variants",
          "lms", "work", "analyse"}


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


#: The flow runs one way: library → sheet → solver → present → render, with read and
#: grade beside it, then variants, lms and work; `pipeline` drives the stages and the
#: CLI drives the pipeline. No stage imports `pipeline` or `cli` (that would run the
#: flow from inside a stage), and the foundation modules import no stage.
FOUNDATION = ("errors", "files", "numbers", "limits", "fingerprint")
STAGE_RULES = {
    "library": ("sheet", "solver", "present", "render", "read", "grade", "variants", "lms",
                "work"),
    "sheet": ("solver", "present", "render", "read", "grade", "variants", "lms", "work"),
    "solver": ("present", "render", "read", "grade", "variants", "lms", "work"),
    "present": ("render", "read", "grade", "variants", "lms", "work"),
    "render": ("read", "grade", "variants", "lms", "work"),
    "read": ("solver", "present", "render", "grade", "variants", "lms", "work"),
    "grade": ("render", "variants", "lms", "work"),
    "variants": ("lms", "work"),
    "lms": ("work",),
    "work": ("render", "variants", "lms"),
    "analyse": ("render", "lms", "work"),
}


def stage_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def reaching_back(edges: dict[str, set[str]]) -> list[str]:
    """Every import that runs against the flow, as `module -> imported`."""
    found = []
    for module, targets in edges.items():
        stage = stage_of(module)
        banned = set(STAGE_RULES.get(stage, ()))
        if stage in STAGES:
            banned |= {"cli", "pipeline"}
        if stage in FOUNDATION:
            banned |= STAGES | {"cli", "pipeline"}
        found += [f"{module} -> {t}" for t in sorted(targets) if stage_of(t) in banned]
    return found


def test_stages_do_not_reach_back():
    """The library knows nothing of sheets; the solver knows nothing of output or
    grading; reports are joined to rendering by the CLI, so render knows nothing of
    grade and work nothing of render."""
    assert reaching_back(graph()) == []


def test_the_stage_rules_catch_a_stage_reaching_up():
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert set(STAGE_RULES) <= folders
    assert all((PACKAGE / f"{name}.py").exists() for name in FOUNDATION)
    edges = {"derivations.render.html": {"derivations.grade.report"},
             "derivations.work.output": {"derivations.render.build"},
             "derivations.grade.runner": {"derivations.pipeline"},
             "derivations.numbers": {"derivations.present.view"},
             "derivations.lms.moodle": {"derivations.render.html"}}
    assert reaching_back(edges) == [
        "derivations.render.html -> derivations.grade.report",
        "derivations.work.output -> derivations.render.build",
        "derivations.grade.runner -> derivations.pipeline",
        "derivations.numbers -> derivations.present.view"]


def test_one_place_loads_sheets():
    """Every command and the API read sheets through `pipeline.read_sheet`."""
    callers = set()
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and (getattr(node.func, "id", "") == "load_sheet"
                                               or getattr(node.func, "attr", "") ==
                                               "load_sheet"):
                callers.add(name)
    assert callers == {"derivations.pipeline"}, callers


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


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_class_sizes(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            assert length <= MAX_CLASS_LINES, f"{path.name}:{node.lineno} {node.name} " \
                                              f"has {length} lines"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name.lstrip("_")).lower()


#: Parameter names that are data words as well as class names: a TOML value, a
#: student's given answer, a parsed answer, a sympy or MathML node are `Any` by nature.
DATA_WORDS = {"value", "given", "parsed", "node"}


def test_collaborators_are_typed():
    """A parameter named after one of the package's classes is typed, never `Any`: an
    object typed `Any` hides the import it stands for, and with it a circle (the walk
    that was handed its `WorkChecker` as `Any`)."""
    classes = {_snake(node.name) for path in modules().values()
               for node in ast.walk(ast.parse(path.read_text()))
               if isinstance(node, ast.ClassDef)}
    untyped = []
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in node.args.args + node.args.kwonlyargs:
                    if arg.arg in classes - DATA_WORDS and arg.annotation is not None \
                            and ast.unparse(arg.annotation) == "Any":
                        untyped.append(f"{name}:{node.lineno} {node.name}({arg.arg})")
    assert not untyped, untyped


def test_errors_live_in_errors_py_and_signals_are_not_user_errors():
    """Every user error is a `DerivationsError` defined in `errors.py`; an internal
    signal (`ReadError`, `NotDecided`, ...) is not one, so if it escaped it would be a
    bug with a traceback, never exit 2 as "bad input"."""
    import importlib
    import inspect

    from derivations.errors import DerivationsError

    misplaced = []
    for name in modules():
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == name and issubclass(value, BaseException) and \
                    name != "derivations.errors" and issubclass(value, DerivationsError):
                misplaced.append(f"{name}.{value.__name__}")
    assert not misplaced, misplaced
    from derivations.read.tokens import ReadError
    from derivations.work.judging.symbolic import NotDecided

    assert not issubclass(ReadError, DerivationsError)
    assert not issubclass(NotDecided, DerivationsError)


def test_wheel_lists_every_subpackage():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    present = {module_name(p / "__init__.py") for p in PACKAGE.rglob("*")
               if (p / "__init__.py").exists()} | {"derivations"}
    assert present | {"derivations.templates", "derivations.examples"} == listed
    assert config["package-dir"]["derivations.templates"] == "templates"
    assert config["package-dir"]["derivations.examples"] == "problems"


def test_tests_mirror_the_stages():
    folders = {p.name for p in (ROOT / "tests").iterdir() if p.is_dir()}
    assert STAGES <= folders


#: Modules no test imports, each with the test that drives it from outside (the CLI,
#: the grader over the labelled class, the library's registry). A new module with
#: logic gets a test of its own or a line here saying which test covers it.
THROUGH = {
    "derivations.__main__": "tests/test_cli.py",
    "derivations.analyse.text": "tests/analyse/test_cli.py",
    "derivations.cli.analyse": "tests/analyse/test_cli.py",
    "derivations.cli.handins": "tests/work/test_handins.py",
    "derivations.lms.handins": "tests/work/test_handins.py",
    "derivations.work.handins.checking": "tests/work/test_handins.py",
    "derivations.work.handins.layout": "tests/work/test_handins.py",
    "derivations.work.writeup.notebook": "tests/work/test_notebook.py",
    "derivations.cli.check": "tests/grade/test_check.py",
    "derivations.cli.common": "tests/test_bad_input.py",
    "derivations.cli.export": "tests/lms/test_moodle.py",
    "derivations.cli.model_sheet": "tests/sheet/test_from_config.py",
    "derivations.cli.sheets": "tests/render/test_render.py",
    "derivations.cli.variants": "tests/variants/test_assign_and_check.py",
    "derivations.cli.work": "tests/work/test_check_work_cli.py",
    "derivations.grade.carried": "tests/grade/test_labelled_class.py",
    "derivations.grade.gradebook": "tests/grade/test_check.py",
    "derivations.grade.reading": "tests/grade/test_reading.py",
    "derivations.grade.report": "tests/grade/test_check.py",
    "derivations.grade.rounding": "tests/grade/test_labelled_class.py",
    "derivations.library.compute": "tests/library/test_library.py",
    "derivations.library.core": "tests/library/test_library.py",
    "derivations.library.finetuning": "tests/library/test_library.py",
    "derivations.library.formats": "tests/library/test_library.py",
    "derivations.library.memory": "tests/library/test_library.py",
    "derivations.library.quantization": "tests/library/test_library.py",
    "derivations.library.scaling": "tests/library/test_library.py",
    "derivations.library.symbols": "tests/library/test_library.py",
    "derivations.library.systems": "tests/library/test_library.py",
    "derivations.library.training": "tests/library/test_library.py",
    "derivations.lms.canvas": "tests/lms/test_canvas.py",
    "derivations.lms.gradebooks": "tests/lms/test_gradebooks.py",
    "derivations.present.catalogue": "tests/render/test_render.py",
    "derivations.present.plots": "tests/render/test_html.py",
    "derivations.present.questions": "tests/render/test_questions.py",
    "derivations.read.cursor": "tests/read/test_reader.py",
    "derivations.render.notebook": "tests/render/test_notebook.py",
    "derivations.sheet.randomness": "tests/variants/test_bad_input.py",
    "derivations.solver.claims": "tests/solver/test_reference_values.py",
    "derivations.solver.numeric": "tests/test_redteam.py",
    "derivations.variants.assign": "tests/variants/test_assign_and_check.py",
    "derivations.variants.report": "tests/variants/test_pool.py",
    "derivations.work.judging.explain": "tests/work/test_planted.py",
    "derivations.work.judging.ranges": "tests/work/test_planted.py",
    "derivations.work.naming.quantities": "tests/work/test_planted.py",
    "derivations.work.naming.targets": "tests/work/test_seed.py",
    "derivations.sheet.grading": "tests/grade/test_credit.py",
    "derivations.work.writeup.spelling": "tests/work/test_reading.py",
}


def test_every_module_has_a_test_that_imports_it_or_names_the_one_that_drives_it():
    mods = modules()
    imported: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        if "corpus" not in path.parts:
            imported |= imports_of(path, set(mods))
    untested = {name for name, path in mods.items()
                if path.name != "__init__.py" and name not in imported}
    assert untested - set(THROUGH) == set(), "modules without a test"
    assert set(THROUGH) - untested == set(), "tested directly now: remove from THROUGH"
    assert all((ROOT / test).is_file() for test in THROUGH.values())


#: Where numbers are spelled: Digits as Unicode text and ASCII (`numbers`), as LaTeX and
#: prose markup (`present.printing`), as MathML (`present.mathml`). `limits` is below
#: `numbers` (numbers uses its time limit) and its messages quote bounds, not values.
SPELLERS = {"derivations.numbers", "derivations.present.printing",
            "derivations.present.mathml", "derivations.limits"}
_NUMERIC_SPEC = re.compile(r"[,_]|\.\d|[eEfFgGn%]$")


def number_formats(path: Path) -> list[str]:
    """Format specifications that spell a number (`:.3g`, `:,.0f`, `format(x, "e")`,
    `"%.2f" % x`), as `line: spec`; alignment of text (`:<18`) is not one."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        spec = None
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(v.value for v in node.format_spec.values  # type: ignore[attr-defined]
                           if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "format" \
                and len(node.args) == 2 and isinstance(node.args[1], ast.Constant):
            spec = str(node.args[1].value)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) \
                and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            spec = " ".join(re.findall(r"%[-+ #0]*\d*(?:\.\d+)?[dieEfFgG]", node.left.value))
        if spec and _NUMERIC_SPEC.search(spec):
            found.append(f"{node.lineno}: {spec}")
    return found


def test_numbers_are_spelled_only_by_the_spellers():
    """One place spells numbers per target: a format call on a number anywhere else
    would show different digits for one value (the answer key beside the solution)."""
    offenders = {name: number_formats(path) for name, path in modules().items()
                 if name not in SPELLERS}
    offenders = {name: found for name, found in offenders.items() if found}
    assert not offenders, offenders


def test_number_formats_are_found(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('a = f"{x:.3g} {y:<18} {z:,}"\nb = format(x, ".2f")\nc = "%.1f" % x\n')
    assert sorted(number_formats(sample)) == ["1: ,", "1: .3g", "2: .2f", "3: %.1f"]
