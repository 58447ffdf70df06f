"""What a solution shows, computed once: rounded numbers, units, steps, notes.

Plain data (the view) and the text/JSON outputs; every other format (LaTeX, HTML)
only lays this data out.
"""
