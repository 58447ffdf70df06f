"""Per-student variants: draw numbers, keep the variants that are sound, write them out,
deal them to students and grade each student against their own.

The stage after `grade`: a variant is a sheet with some givens replaced, solved by the
engine and vetted with the grader's answer keys (a variant where two known mistakes give
the same wrong number is refused, so a diagnosis never hinges on the draw).
"""
