"""Checking a student's written derivation line by line (`derive check-work`).

Pipeline: `document` cuts a Markdown, LaTeX or plain-text write-up into sections (one
per sheet problem) and runs of math; the one reader (`derivations.read`) reads each
run by a grammar of the notation students write into a small tree (never `eval`,
`sympify` or `parse_expr`) and judges numbers by the figures written; `quantities`
maps symbols to the sheet's givens and answers; `walk` judges every `=`, `≈` and `→`
in order (`relations` for the symbolic ones, `explain` for why a number is wrong);
`checking` ties it together with the grader's marks for the final answers; `output`
writes text, JSON and the data the report templates show.
"""
