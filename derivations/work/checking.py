"""Walking a write-up: every relation judged, values carried, final answers graded.

The sheet is solved once per `WorkChecker` (a class of write-ups shares it, and the
symbolic checks are cached by expression pair). For each write-up the walk keeps the
*student's* values: what each quantity was last given in the write-up (as written,
and as computed before rounding) and the line it came from. A substitution is
checked with the student's own values, so a line that is right given an earlier
wrong value holds and is marked as following from that line, not as a new error.
Formulas (`C ≈ 6ND`, `M = d_model r 96 × 2`) are checked at the sheet's values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from derivations.grade.grader import Grader
from derivations.grade.verdicts import StudentResult
from derivations.solver.solution import Solution
from derivations.work.judging.ledger import CarriedForm, SheetFacts
from derivations.work.judging.walk import Walk
from derivations.work.naming.quantities import SheetQuantities
from derivations.work.writeup.document import Writeup, read_writeup
from derivations.work.writeup.marks import FALSE, Relation


@dataclass
class WorkResult:
    sheet: str
    file: str
    writeup: Writeup
    relations: list[Relation]
    answers: StudentResult
    found: dict[str, tuple[int, str]] = field(default_factory=dict)  # answer -> line, text

    @property
    def first_error(self) -> Relation | None:
        return next((r for r in self.relations if r.mark == FALSE), None)

    @property
    def all_hold(self) -> bool:
        return self.first_error is None


def unsupported(finals: dict[str, tuple[int, str]], relations: list[Relation],
                where: Callable[[int], str] = lambda line: f"line {line}") -> dict[str, str]:
    """Answers given on a false line: credit for how they were reached would contradict
    the line's mark ("× false" beside "follows from your rounded L'"). `where` names a
    line ("line 41"; a notebook's "cell 5, line 11")."""
    false = {r.line for r in relations if r.mark == FALSE}
    return {aid: f"{_capital(where(line))}, which gives this value, does not hold (see that "
                 "line), so how it was reached earns no credit."
            for aid, (line, _) in finals.items() if line in false}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


class WorkChecker:
    """Checks write-ups against one solved sheet."""

    def __init__(self, solution: Solution) -> None:
        self.solution = solution
        self.quantities = SheetQuantities(solution)
        self.grader = Grader(solution)
        self.tolerance = float(solution.sheet.grading.tolerance)
        self._carried: dict[str, CarriedForm | None] = {}
        self.facts = SheetFacts(self.quantities, self.grader.keys, self.tolerance, self.carried)

    @property
    def grader_max(self) -> float:
        """The sheet's points: what a write-up's answers are marked out of."""
        return sum(key.points for key in self.grader.keys.values())

    def check(self, path: Path) -> WorkResult:
        if path.suffix.lower() == ".ipynb":
            from derivations.work.writeup.notebook import read_notebook

            writeup = read_notebook(path, self.quantities.order)
        else:
            writeup = read_writeup(path, self.quantities.order)
        return self.check_writeup(writeup)

    def check_data(self, data: bytes, name: str) -> WorkResult:
        """A write-up held in memory (a member of a submissions zip), told by its name's
        extension like a file."""
        from derivations.work.writeup.document import writeup_of
        from derivations.work.writeup.notebook import notebook_of

        path = Path(name)
        read = notebook_of if path.suffix.lower() == ".ipynb" else writeup_of
        return self.check_writeup(read(data, path, self.quantities.order))

    def check_writeup(self, writeup: Writeup) -> WorkResult:
        walk = Walk(self.facts, writeup)
        walk.run()
        if writeup.unread:
            walk.relations = sorted(walk.relations + [
                Relation(line, writeup.problem_at(line), "unread", text, None, reason=why)
                for line, text, why in writeup.unread], key=lambda r: r.line)
        for line, problem, ticked in writeup.choices:  # ☒ True: the first open true/false ask
            ask = next((a for a in self.solution.for_problem(problem or "")
                        if a.is_bool and a.id not in walk.finals), None)
            if ask is not None:
                walk.finals[ask.id] = (line, "true" if ticked else "false")
        self.stated_answers(writeup, walk.finals)
        written = {aid: text for aid, (_, text) in walk.finals.items()}
        graded = self.grader.grade(writeup.file, written,
                                   unsupported(walk.finals, walk.relations, writeup.where))
        return WorkResult(self.solution.sheet.name, writeup.file, writeup, walk.relations,
                          graded, dict(walk.finals))

    def stated_answers(self, writeup: Writeup, finals: dict[str, tuple[int, str]]) -> None:
        """`Answer: 7.54 trillion tokens`, `Answer: True`: a stated answer is the
        problem's answer it names (`Answer: N_opt = ...`), else the first one in its
        unit (a bare number: the first number of the problem; true or false: the first
        true/false ask), and it wins over a value a chain computed."""
        from derivations.read.answer import Boolean, Number, read_answer

        taken: set[str] = set()
        for line, problem, text in writeup.stated:
            parsed = read_answer(text)
            unit = parsed.unit.canonical if isinstance(parsed, Number) and parsed.unit \
                else None
            answers = self.solution.for_problem(problem or "")
            named = [a for a in answers if isinstance(parsed, Number) and any(
                self.quantities.names_answer(problem, name, a.id) for name in parsed.names)]
            for answer in named or answers:
                if answer.id in taken or answer.is_bool != isinstance(parsed, Boolean):
                    continue
                if unit is None or unit == answer.unit or named:
                    finals[answer.id] = (line, text)
                    taken.add(answer.id)
                    break

    def carried(self, answer_id: str) -> CarriedForm | None:
        """The sheet's formula for an answer as a function of earlier answers."""
        if answer_id not in self._carried:
            from derivations.solver.dependence import as_function_of_answers

            self._carried[answer_id] = as_function_of_answers(self.solution, answer_id)
        return self._carried[answer_id]
