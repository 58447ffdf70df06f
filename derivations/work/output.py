"""What `derive check-work` shows: one view of a checked write-up, three spellings.

`view()` computes everything once (the mark of each line, the reasons under it, the
answer marks, the counts); the text writer, the JSON writer and the report templates
(`check_work.tex.j2`, `check_work.html.j2`) only lay that data out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from derivations.errors import MathError
from derivations.files import FileError
from derivations.numbers import compact
from derivations.present.prose import Prose, markup
from derivations.present.text import plain
from derivations.sheet.mathtext import parse
from derivations.work.checking import WorkResult
from derivations.work.writeup.marks import FALSE, FOLLOWS, HOLDS, UNCHECKED, UNREAD, Relation

#: Worst first: the mark a line gets when it holds several relations.
SEVERITY = (FALSE, UNREAD, UNCHECKED, FOLLOWS, HOLDS)


@dataclass(frozen=True)
class Check:
    """One relation of a line as the reports show it: typeset as read, with its mark
    and (unless it holds) the reason, on a line of its own (not `text: reason`)."""

    mark: str
    formula: Prose
    text: str  # the same relation in plain Unicode (a phone shows it: it wraps)
    reason: Prose


@dataclass
class Line:
    number: int
    text: str
    mark: str = ""                    # "" for a line without checked math
    checks: list[Check] = field(default_factory=list)
    follows: int | None = None        # the false line a following line depends on
    place: str = ""                   # how the line is named ("12"; "cell 7, line 2")
    follows_place: str = ""           # how `follows` is named, likewise

    @property
    def chunks(self) -> list[str]:
        """The text in pieces a PDF may break between (a formula has few spaces)."""
        return [self.text[k:k + 24] for k in range(0, len(self.text), 24)]


def label(relation: Relation, where: Callable[[int | None], str] = lambda n: f"line {n}"
          ) -> str:
    if relation.mark == FOLLOWS:
        return f"follows from {where(relation.follows_from)}"
    return {HOLDS: "holds", FALSE: "FALSE", UNREAD: "unread",
            UNCHECKED: "not checked"}[relation.mark]


def summary(result: WorkResult) -> dict[str, int]:
    counts = {mark: 0 for mark in SEVERITY}
    for relation in result.relations:
        counts[relation.mark] += 1
    return {"relations": len(result.relations), **counts}


def view(result: WorkResult) -> dict[str, Any]:
    """The data every output shows."""
    where = result.writeup.where
    lines = [Line(n, text, place=result.writeup.places.get(n, str(n)))
             for n, text in enumerate(result.writeup.lines, start=1)]
    for relation in result.relations:
        if not 1 <= relation.line <= len(lines):
            continue
        line = lines[relation.line - 1]
        if not line.mark or SEVERITY.index(relation.mark) < SEVERITY.index(line.mark):
            line.mark = relation.mark
        reason = "" if relation.mark == HOLDS else relation.reason
        if relation.mark == FOLLOWS:
            line.follows = line.follows or relation.follows_from
            line.follows_place = line.follows_place or result.writeup.places.get(
                line.follows or 0, str(line.follows))
            reason = f"right given {where(relation.follows_from)}, which is false"
        line.checks.append(Check(relation.mark, formula(relation), relation.text,
                                 prose(reason)))
    answers = [{"id": aid, "verdict": v.verdict, "points": compact(v.points),
                "max": compact(v.max_points), "feedback": markup(v.feedback),
                "line": where(result.found.get(aid, (None, ""))[0])}
               for aid, v in result.answers.answers.items()]
    first = result.first_error
    return {"title": f"Check of {result.file}", "sheet": result.sheet, "file": result.file,
            "wide_places": bool(result.writeup.places),
            "lines": lines, "answers": answers, "summary": summary(result),
            "score": compact(result.answers.score), "max": compact(result.answers.max),
            "first_error": ({"line": where(first.line), "reason": prose(first.reason)}
                            if first else None)}


def formula(relation: Relation) -> Prose:
    """The relation typeset from its reading (`sheet.mathtext`); its plain spelling
    when it has no reading or the reading is too long or deep to typeset."""
    if relation.math:
        try:
            return Prose((parse(relation.math),))
        except MathError:
            pass
    return Prose((relation.text,))


def prose(reason: str) -> Prose:
    """A reason (prose markup, its formulas in `$…$`) for the reports; as written if a
    formula in it does not parse (it should: the checker built it)."""
    try:
        return markup(reason)
    except MathError:
        return Prose((reason,))


def as_text(result: WorkResult) -> str:
    out = [f"{result.file}: checked against {result.sheet}"]
    where = result.writeup.where
    width = max([9, *(len(p) for p in result.writeup.places.values())])
    problem: object = ()
    for relation in result.relations:
        if relation.problem != problem:
            problem = relation.problem
            out.append(f"== {problem or '(outside the sheet’s problems)'}")
        out.append(f"  {where(relation.line):<{width}} {label(relation, where):<22} "
                   f"{relation.text}")
        out.append(f"  {'':{width}} {'':22} {relation.reason_text}")
    counts = summary(result)
    out.append("")
    out.append(f"{counts['relations']} relations: {counts[HOLDS]} hold, {counts[FALSE]} false, "
               f"{counts[FOLLOWS]} follow from an earlier false line, {counts[UNREAD]} "
               f"unread, {counts[UNCHECKED]} not checked")
    first = result.first_error
    out.append(f"first error: {where(first.line)}: {first.text}: {first.reason_text}"
               if first else "first error: none")
    out.append("")
    out.append(f"Answers: {compact(result.answers.score)} / {compact(result.answers.max)}")
    for aid, verdict in result.answers.answers.items():
        found = result.found.get(aid)
        at = result.writeup.where(found[0]) if found else ""
        out.append(f"  {aid:<18} {verdict.verdict:<22} {compact(verdict.points)}/"
                   f"{compact(verdict.max_points)}  {at:<9} {plain(verdict.feedback)}")
    return "\n".join(out) + "\n"


def as_json(result: WorkResult) -> str:
    first = result.first_error
    data = {"sheet": result.sheet, "file": result.file,
            "relations": [{**r.as_json(), "where": result.writeup.where(r.line)}
                          for r in result.relations],
            "answers": {aid: {**v.as_json(), "line": result.found.get(aid, (None,))[0],
                              "where": result.writeup.where(result.found.get(aid, (None,))[0])}
                        for aid, v in result.answers.answers.items()},
            "score": result.answers.score, "max": result.answers.max,
            "summary": summary(result),
            "first_error": first.as_json() if first else None}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def as_json_class(results: list[WorkResult], refused: Sequence[FileError] = ()) -> str:
    """Several write-ups: `{"sheet", "writeups": [one object per file], "refused":
    [{"file", "reason"} per file that could not be read], "summary"}`."""
    each = [json.loads(as_json(r)) for r in results]
    for item in each:
        item.pop("sheet", None)
    totals = {key: sum(item["summary"][key] for item in each) for key in each[0]["summary"]}
    data = {"sheet": results[0].sheet, "writeups": each,
            "refused": [{"file": e.path, "reason": e.message} for e in refused],
            "summary": {"writeups": len(each), "refused": len(refused), **totals}}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

