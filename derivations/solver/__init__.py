"""Solving: rearrange with the CAS, substitute, evaluate exactly, judge claims.

Knows sheets and the library; knows nothing of LaTeX, HTML or grading.
"""
