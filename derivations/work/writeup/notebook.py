"""Reading a Jupyter notebook as a write-up: Markdown cells as Markdown, code as
relations where it computes, stored outputs as written values. Code is never run.

The notebook is parsed by nbformat (JSON, then its schema) and turned into the lines
of one Markdown write-up, each remembering where it came from ("cell 7, line 2"), so
that every check, mark and report of `check-work` applies unchanged:

- a Markdown cell is its lines, as written;
- in a code cell, an assignment of arithmetic (`C = 6 * N * D`, `L_t = 0.99 * L`,
  `x = math.log2(D / (2 * D - D_new))`) is read as that relation, between `$…$`, on the
  line it is written on: with N and D bound earlier it is a formula, with numbers a
  computation;
- the stored output of the cell (`Out[3]: 1.6482e+24`) after a last line that names a
  value (`C`) is the written value `C = 1.6482e+24`; a `print` of one name (`print(C)`)
  takes its line of the printed output the same way; a printed line that holds a
  relation (`print(f"C = {C:.3e}")` printed `C = 1.648e+24`) is read as written;
- any other code (a loop, a function, a call the checker does not know, a magic) is
  reported as unread with the reason; imports and comments claim nothing and are
  skipped. The code is parsed by Python's own parser (`ast.parse`, which never runs
  it) and only the node types listed here are read.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derivations.files import FileError, read_bytes
from derivations.work.writeup.document import Writeup, cut

MAX_BYTES = 20 * 2**20  # outputs (plots as base64) make notebooks larger than write-ups
MAX_CELL = 20_000       # characters of one code cell that are parsed

#: Functions a computation may call, by the name the reader knows them by
#: (`math.log2`, `np.log2` and `log2` alike); anything else is unread.
_FUNCTIONS = {"sqrt": "sqrt", "log": "ln", "log2": "log2", "log10": "log10", "exp": "exp",
              "ceil": "ceil", "floor": "floor"}
_MODULES = {"math", "np", "numpy", "sympy", "sp"}
_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)


@dataclass
class _Lines:
    """The write-up being built: its lines, where each came from, and the unread."""

    text: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # what the reports show: the source
    places: dict[int, str] = field(default_factory=dict)
    unread: list[tuple[int, str, str]] = field(default_factory=list)  # line, text, why

    def add(self, text: str, place: str, shown: str | None = None) -> int:
        self.text.append(text)
        self.shown.append(text if shown is None else shown)
        self.places[len(self.text)] = place
        return len(self.text)


def read_notebook(path: Path, problem_ids: list[str]) -> Writeup:
    """Read a `.ipynb` write-up; FileError (exit 2 alone, a warning in a class) when it
    is not a notebook."""
    return notebook_of(read_bytes(path, MAX_BYTES), path, problem_ids)


def notebook_of(data: bytes, path: Path, problem_ids: list[str]) -> Writeup:
    """A notebook write-up from its bytes (a file, or a member of a submissions zip)."""
    import nbformat

    if len(data) > MAX_BYTES:
        raise FileError(path, f"{len(data)} bytes (at most {MAX_BYTES}); not a write-up")
    try:
        notebook = nbformat.reads(data.decode("utf-8-sig"), as_version=4)
    except UnicodeDecodeError:
        raise FileError(path, "not UTF-8 text; not a notebook") from None
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on bad input
        raise FileError(path, f"not a Jupyter notebook ({type(exc).__name__})") from None
    lines = _Lines()
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        source = cell.get("source", "")
        if not isinstance(source, str):
            continue
        if cell.get("cell_type") == "markdown":
            for k, text in enumerate(source.split("\n"), start=1):
                lines.add(text, f"cell {number}, line {k}")
        elif cell.get("cell_type") == "code":
            _code(lines, number, source, _outputs(cell))
        lines.add("", f"cell {number}")  # cells are paragraphs apart
    writeup = cut("\n".join(lines.text), str(path), problem_ids, "markdown")
    writeup.kind = "notebook"
    writeup.lines = lines.shown  # the reports show the code as written, not as read
    writeup.places = lines.places
    writeup.unread = [(line, text, why) for line, text, why in lines.unread]
    return writeup


def _outputs(cell: Any) -> tuple[list[str], str]:
    """(the lines printed, the value displayed last) of a code cell."""
    printed: list[str] = []
    shown = ""
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            text = output.get("text", "")
            printed += str(text).rstrip("\n").split("\n") if text else []
        elif kind in ("execute_result", "display_data"):
            shown = str(output.get("data", {}).get("text/plain", "")).strip()
    return printed, shown


def _code(lines: _Lines, number: int, source: str, outputs: tuple[list[str], str]) -> None:
    printed, shown = outputs
    written = source.split("\n")
    if len(source) > MAX_CELL:
        line = lines.add("", f"cell {number}")
        lines.unread.append((line, f"cell {number}", f"a code cell of {len(source)} "
                             f"characters (at most {MAX_CELL} are read)"))
        return
    kept = ["" if text.lstrip().startswith(("%", "!")) else text for text in written]
    try:
        tree = ast.parse("\n".join(kept))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        line = lines.add("", f"cell {number}, line 1")
        lines.unread.append((line, written[0][:80], "not Python the checker can parse"))
        return
    at = {node.lineno: node for node in tree.body}
    last = tree.body[-1] if tree.body else None
    prints = [n for n in tree.body if _printed_name(n) is not None or _is_print(n)]
    paired = len(prints) == len(printed)
    for k, text in enumerate(written, start=1):
        place = f"cell {number}, line {k}"
        node = at.get(k)
        if text.lstrip().startswith(("%", "!")):
            lines.unread.append((lines.add("", place, text), text.strip()[:80],
                                 "a notebook magic or shell command, not arithmetic"))
        elif node is None:
            lines.add("", place, text)
        else:
            lines.add(_statement(node, "\n".join(kept), lines, place,
                                 shown if node is last else "",
                                 printed[prints.index(node)] if paired and node in prints
                                 else None), place, text)
    if printed and not paired:
        for k, text in enumerate(printed, start=1):
            lines.add(text if _relation(text) else "", f"cell {number}, output line {k}",
                      text)


def _statement(node: ast.stmt, source: str, lines: _Lines, place: str, shown: str,
               printed: str | None) -> str:
    """The write-up line a statement stands for ("" when it claims nothing)."""
    text = source.split("\n")[node.lineno - 1]
    if isinstance(node, ast.Import | ast.ImportFrom | ast.Pass):
        return ""
    if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            and isinstance(node.targets[0], ast.Name):
        target = node.targets[0].id
        if any(isinstance(n, ast.Name) and n.id == target for n in ast.walk(node.value)):
            lines.unread.append((len(lines.text) + 1, text.strip()[:80], f"an update of "
                                 f"{target} (it is on both sides), not an equation"))
            return ""
        expression = _arithmetic(node.value, source)
        if expression is not None:
            return f"${target} = {expression}$"
    elif isinstance(node, ast.Expr):
        name = _printed_name(node) or (node.value.id if isinstance(node.value, ast.Name)
                                       else None)
        value = printed if _printed_name(node) else shown
        if name and value and _number(value):
            return f"${name} = {value}$"
        if printed is not None and _relation(printed):
            return printed
        if _is_print(node) or isinstance(node.value, ast.Name | ast.Constant):
            return ""  # a print or a display the outputs do not pair with a value
    lines.unread.append((len(lines.text) + 1, text.strip()[:80],
                         f"code that is not arithmetic the checker reads "
                         f"({type(node).__name__.lower()}); code is never run"))
    return ""


def _arithmetic(node: ast.expr, source: str) -> str | None:
    """An expression of numbers, names, + - * / ** and known functions, spelled for
    the reader (`6 * N * D`, `ln(2)`, `N ^ 0.34`); None for anything else. Without
    calls it is the text as written (`67e9` stays `67e9`, its figures intact)."""
    readable = _readable(node)
    if readable is None:
        return None
    written = None if any(isinstance(n, ast.Call) for n in ast.walk(node)) \
        else ast.get_source_segment(source, node)
    return (written or ast.unparse(readable)).replace("**", "^")


def _readable(node: ast.expr) -> ast.expr | None:
    """The expression with its calls renamed as the reader knows them, or None when
    it holds anything but arithmetic."""
    if isinstance(node, ast.Constant):
        ok = isinstance(node.value, int | float) and not isinstance(node.value, bool)
        return node if ok else None
    if isinstance(node, ast.Name):
        return node
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _readable(node.operand)
        return None if inner is None else ast.UnaryOp(node.op, inner)
    if isinstance(node, ast.BinOp) and isinstance(node.op, _OPERATORS):
        left, right = _readable(node.left), _readable(node.right)
        return None if left is None or right is None else ast.BinOp(left, node.op, right)
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        function = node.func
        name = function.id if isinstance(function, ast.Name) else \
            function.attr if isinstance(function, ast.Attribute) and isinstance(
                function.value, ast.Name) and function.value.id in _MODULES else None
        inner = _readable(node.args[0])
        if name in _FUNCTIONS and inner is not None:
            return ast.Call(ast.Name(_FUNCTIONS[name]), [inner], [])
    return None


def _printed_name(node: ast.stmt) -> str | None:
    if _is_print(node) and isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
            and len(node.value.args) == 1 and isinstance(node.value.args[0], ast.Name):
        return node.value.args[0].id
    return None


def _is_print(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
        and isinstance(node.value.func, ast.Name) and node.value.func.id == "print"


def _number(text: str) -> bool:
    try:
        float(text.replace("_", ""))
    except ValueError:
        return False
    return True


def _relation(text: str) -> bool:
    return "=" in text or "≈" in text
