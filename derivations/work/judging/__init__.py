"""Marking every relation of a write-up, in order, with the student's values in hand.

`walk` drives the pass over the chains; `ledger` holds what the walk knows (the
sheet's facts as data, the write-up's own values so far); `relation` marks one
relation (formula, substitution, arithmetic, rearrangement), judging written figures
through `derivations.read.judge`; `symbolic` and `rearranging` are the sympy side;
`explain` says why a number is wrong, from `ranges` of roundings and the grader's
known mistakes.
"""
