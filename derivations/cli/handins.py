"""`derive check-work SHEET SUBMISSIONS.zip -o OUT/`: a class's hand-ins as the LMS
delivers them, checked, and handed back in the LMS's formats (docs/lms.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from derivations.cli.common import progress


def check_submissions(sheet: Path, archive: Path, out: Path | None,  # long: the whole run
                      worksheet: Path | None) -> None:
    """Read the zip, check every student, write the LMS files into `out` (all of them
    computed first: a failure writes nothing)."""
    from derivations.files import FileError, read_text, write_atomic
    from derivations.lms import handins as lms
    from derivations.pipeline import solve_file
    from derivations.render.build import work_page
    from derivations.work import output as show
    from derivations.work.checking import WorkChecker
    from derivations.work.handins.archive import read_archive
    from derivations.work.handins.checking import check_handins, class_summary
    from derivations.work.handins.layout import group

    if out is None:
        raise click.UsageError("a submissions zip needs -o OUT/, the folder the worksheet, "
                               "the feedback files and the summary are written to")
    if out.exists() and not out.is_dir():
        raise click.UsageError(f"-o {out}: not a folder")
    downloaded = read_text(worksheet) if worksheet is not None else None
    checker = WorkChecker(solve_file(sheet))
    handins = group(read_archive(archive))
    if not handins.students:
        raise FileError(archive, "no student's submission in it: expected Moodle's "
                        "'Download all submissions' or Canvas's 'Download submissions'")
    with progress("checking", len(handins.students), len(handins.students) < 20) as advance:
        results = check_handins(checker, handins, advance)
    returned = []
    for result in results:
        pages = tuple((name, work_page(show.view(r))) for name, r in result.pages())
        best = result.best
        returned.append(lms.Returned(result.handin.key, result.handin.name,
                                     result.handin.folder,
                                     best.answers.score if best else None,
                                     checker.grader_max, result.summary(), pages))
    files: dict[str, bytes] = {}
    summary = class_summary(results, handins)
    if handins.lms == "moodle":
        files["grading-worksheet.csv"] = lms.moodle_worksheet(
            returned, downloaded, str(worksheet or "")).encode("utf-8")
        files["feedback-files.zip"] = lms.feedback_zip(returned)
        if downloaded is not None:
            summary["not_in_worksheet"] = lms.unmatched(returned, downloaded)
    else:
        files["gradebook.csv"] = lms.canvas_gradebook(returned, checker.solution.sheet.name
                                                      ).encode("utf-8")
        for row in returned:
            for name, content in row.pages:
                files[f"feedback/{lms.safe_part(row.folder)}_{name}"] = content
    text = summary_text(summary)
    files["summary.txt"] = text.encode("utf-8")
    files["summary.json"] = (json.dumps(summary, indent=1, ensure_ascii=False) + "\n"
                             ).encode("utf-8")
    for name, content in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out / name, content, (sheet, archive))
    click.echo(text, nl=False)
    if any(r.best is None or not (r.best.all_hold and r.best.answers.all_correct)
           for r in results):
        sys.exit(1)


def summary_text(summary: dict) -> str:
    from derivations.grade.gradebook import printable
    from derivations.numbers import compact

    lines = [f"{summary['lms'].title()} submissions: {summary['students']} students, "
             f"{summary['checked']} checked"]
    for one in summary["each"]:
        if one["score"] is not None:
            first = f", first error {one['first_error']}" if one["first_error"] else \
                ", no false line"
            lines.append(f"  {printable(one['name'])} ({one['id']}): "
                         f"{compact(one['score'])}/{compact(one['max'])}{first} "
                         f"[{printable(', '.join(one['files']))}]")
    for name, file, why in summary["unread"]:
        lines.append(f"  not read: {printable(name)}: {printable(file.rsplit('/', 1)[-1])}: "
                     f"{why}")
    for file, why in summary["skipped"]:
        lines.append(f"  skipped: {printable(file)}: {why}")
    for duplicate in summary["duplicates"]:
        lines.append(f"  duplicate student: {printable(duplicate)} (the first is checked)")
    for who in summary.get("not_in_worksheet", []):
        lines.append(f"  not in the worksheet: {printable(who)} (no row to fill)")
    if summary["first_errors"]:
        lines.append("First errors by problem: " + ", ".join(
            f"{problem} {count}" for problem, count in summary["first_errors"]))
    if summary["false_relations"]:
        lines.append("Commonest false relations:")
        lines += [f"  {count} x {printable(reason)}" for reason, count in
                  summary["false_relations"]]
    return "\n".join(lines) + "\n"
