"""The one reader of what students write: answers, LMS responses and derivations.

`numerals` reads digits in every locale's grouping, `units` unit words by their
grammar, `tokens` and `grammar` written math (plain, Unicode, LaTeX, siunitx) into a
small tree, `values` evaluates it within bounds, `answer` reads one answer into a
`Reading`, `words` reads true/false, number words and remarks, and `judge` decides
whether a value holds to the figures written. `derive check`, `derive check-work`
and the LMS import all read through here, so one text gets one reading everywhere.
"""
