"""Reading sheets: the safe expression parser, the TOML reader, located errors.

Knows the library's names but nothing of solving or output formats.
"""
