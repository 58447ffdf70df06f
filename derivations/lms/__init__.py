"""Learning-management systems: quizzes out (Moodle XML), grades in and out.

The stage after `variants`: a quiz question is one answer of one variant, its wrong
answers are the grader's known mistakes, its general feedback the worked solution as
the web pages show it.
"""
