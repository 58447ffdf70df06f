"""Grading: reading students' answers, verdicts with diagnoses, gradebooks."""
