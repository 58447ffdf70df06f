"""The write-up as text: cut into problems and runs of math, read into chains.

`document` cuts a Markdown, LaTeX or plain-text file into sections (one per sheet
problem), runs of math, stated answers and ticked boxes (`delimiters` finds the math
in one linear pass); `marks` reads each run through the one reader
(`derivations.read`) into chains and defines the `Relation` mark a line gets;
`chains` splits a chain into statements and spells terms for messages (`spelling`).
Nothing here knows the sheet.
"""
