"""Checking a student's written derivation line by line (`derive check-work`).

The flow, one sub-package per step:

    writeup/   the file cut into problems and runs of math, read into chains
    naming/    what each name and statement stands for on the sheet
    judging/   the walk over the chains: every =, ≈ and → marked, values carried
    checking   ties them together with the grader's marks for the final answers
    output     text, JSON and the data the report templates show

Reading is the one reader's (`derivations.read`: a grammar, never `eval`, `sympify`
or `parse_expr`); written figures are judged by the one judge (`derivations.read.judge`),
shared with `derive check`.
"""
