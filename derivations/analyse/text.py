"""The analysis as plain text for a terminal: the report's view, laid out in columns.

Names come from student files, so each is shown as one printable line
(`grade.gradebook.printable`): a name cannot forge lines of the report.
"""

from __future__ import annotations

from typing import Any

from derivations.grade.gradebook import printable


def text_report(view: dict[str, Any]) -> str:
    lines = [f"{view['title']} ({view['sheet']}): " + (
        f"{view['students']} students" if view["students"] else "the pool before any results")]
    for warning in view["warnings"]:
        lines.append(f"  warning: {printable(warning)}")
    if view["items"]:
        lines += ["", "Item analysis (facility = mean credit; discrimination = top 27% "
                  "minus bottom 27%; r = point-biserial with the rest of the sheet):",
                  f"  {'answer':<18} {'n':>4} {'facility':>8} {'discr.':>7} {'r':>6} "
                  f"{'unparsed':>8} {'carried':>7}  commonest diagnoses"]
        for item in view["items"]:
            lines.append(f"  {item['id']:<18} {item['students']:>4} {item['facility']:>8} "
                         f"{item['discrimination']:>7} {item['point_biserial']:>6} "
                         f"{item['unparsed']:>8} {item['carried']:>7}  {item['diagnoses']}")
    lines += _variants(view)
    if view["students"]:
        lines += _copying(view)
        lines += _unknown(view)
    return "\n".join(lines) + "\n"


def _variants(view: dict[str, Any]) -> list[str]:
    if not view["variants"]:
        return []
    lines = ["", "Variants (predicted difficulty: above 0 harder than the pool's average; "
             "measured: mean score with its 95% interval):"]
    if view["test_p"]:
        lines.append(f"  {view['test']}, {view['permutations']} permutations: "
                     f"p = {view['test_p']}")
    elif view["test_reason"]:
        lines.append(f"  not tested: {view['test_reason']}")
    if view["agreement"] != "–":
        lines.append(f"  rank correlation of predicted difficulty with the measured one: "
                     f"{view['agreement']} (permutation p = {view['agreement_p']})")
    lines.append(f"  {'variant':<8} {'predicted':>9} {'students':>8} {'mean':>6}  "
                 f"{'95% interval':<14} {'p (Holm)':>9}  flag")
    for row in view["variants"]:
        lines.append(f"  {row['id'] or '-':<8} {row['predicted']:>9} {row['students']:>8} "
                     f"{row['mean']:>6}  {row['interval']:<14} {row['p']:>9}  {row['flag']}")
    return lines


def _copying(view: dict[str, Any]) -> list[str]:
    lines = ["", "Copied answers across variants (for the instructor only):"]
    if view["copy_reason"]:
        return [*lines, f"  not checked: {view['copy_reason']}"]
    if not view["flags"]:
        lines.append(f"  none flagged ({view['pairs']} student-variant pairs examined; "
                     f"{view['single']} students with one match, which is no evidence)")
    for flag in view["flags"]:
        lines.append(f"  {printable(flag['student'])} ({flag['variant']}): {flag['count']} of "
                     f"{flag['examined']} unexplained answers are {flag['source']}'s values; "
                     f"chance {flag['chance']}, expected in the class "
                     f"{flag['expected']} ({flag['strength']})")
        if flag["also"]:
            lines.append(f"      (the same answers also meet {flag['also']}, whose values "
                         f"lie near {flag['source']}'s)")
        for match in flag["matches"]:
            lines.append(f"      {match['answer']:<18} {match['value']:<22} "
                         f"{match['kind']}, written by {printable(match['holders']) or '-'}")
    return lines


def _unknown(view: dict[str, Any]) -> list[str]:
    lines = ["", "Recurring wrong values no known mistake explains:"]
    if not view["proposals"] and not view["clusters"]:
        return [*lines, "  none (3 or more students with the same unexplained value)"]
    for proposal in view["proposals"]:
        lines.append(f"  {proposal['answer']}: {proposal['count']} students "
                     f"({proposal['share']}) wrote what {proposal['what']} gives "
                     f"(chance {proposal['chance']})")
        if proposal["also"]:
            lines.append(f"      the same values also fit: {proposal['also']}")
        if proposal["entry"]:
            lines.append(f"      add to the ask: {proposal['entry']}")
    for cluster in view["clusters"]:
        lines.append(f"  {cluster['answer']}: {cluster['count']} students wrote "
                     f"{cluster['ratio']} x the right value; no small edit of the closed "
                     f"form explains it ({printable(cluster['students'])})")
    return lines
