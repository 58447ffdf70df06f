"""Checking a student's written derivation line by line (`derive check-work`).

Pipeline: `document` cuts a Markdown, LaTeX or plain-text write-up into sections (one
per sheet problem) and runs of math; `mathread` reads each run by a grammar of the
LaTeX subset students write into a small tree (never `eval`, `sympify` or
`parse_expr`); `numbers` evaluates trees with bounded mpmath arithmetic and turns
them into sympy for symbolic checks; `quantities` maps symbols to the sheet's givens
and answers; `relations` judges every `=`, `≈` and `→`; `checking` ties it together
with the grader's marks for the final answers; `output` writes text, JSON and the
data the report templates show.
"""
