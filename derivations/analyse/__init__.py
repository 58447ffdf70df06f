"""After the grading: item analysis, variant fairness, copied answers, unknown mistakes.

`derive analyse` reads the results `derive check --format json` wrote (one or several
sections), with the sheet and its pool, and reports what no LMS can: each variant's
exact answers, each named mistake's value and the closed form behind every ask are
known here. Nothing in this stage grades; it reads verdicts and values.
"""
