"""What the write-up's names and statements stand for on the sheet.

`quantities` maps a symbol (`D'`, `L_{E1}`, `d_{\\rm model}`) to a sheet given or
answer, by documented rules; `targets` finds which answer a statement computes (by
its head's name, its unit, its value, or its position in the section).
"""
