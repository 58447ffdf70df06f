"""Reading written math: the LaTeX subset students write, Unicode and plain notation,
into values computed here independently with Python floats."""

from __future__ import annotations

import math

import pytest

from derivations.read.grammar import read_formula
from derivations.read.nodes import Label, Sym
from derivations.read.tokens import ReadError
from derivations.read.values import Undefined, compute, written_value
from derivations.work.writeup.document import cut, problem_for

VALUES = {"N": 67e9, "D": 4.1e12, "alpha": 0.34, "beta": 0.28, "x": 1.5, "D'": 6e12,
          "d_model": 12288.0}


def value(source: str, term: int = -1) -> float:
    chain = read_formula(source)[0]
    return float(compute(chain.terms[term].node, lambda n: VALUES.get(n)))


@pytest.mark.parametrize("source, expected", [
    (r"6 \times 67 \times 10^9 \times 4.1 \times 10^{12}", 6 * 67e9 * 4.1e12),
    (r"6 \cdot 67 \cdot 10^{9}", 6 * 67e9),
    ("6 × 67 × 10^9 · 2", 6 * 67e9 * 2),
    (r"\frac{406.4}{(67 \times 10^9)^{0.34}}", 406.4 / (67e9) ** 0.34),
    (r"\left(\frac{410.7}{1.88 - 1.69}\right)^{\frac{1}{0.28}}", (410.7 / 0.19) ** (1 / 0.28)),
    ("(410.7/(1.88 − 1.69))^(1/0.28)", (410.7 / 0.19) ** (1 / 0.28)),
    (r"2\times 12{,}288\times 12{,}288", 2 * 12288 * 12288),
    ("12,288 × 4", 12288 * 4),
    (r"\sqrt{16} + \sqrt[3]{27}", 4 + 3),
    (r"\log_2\left(\frac{1}{1 - \frac{6.48}{2 \times 4.1}}\right)",
     math.log2(1 / (1 - 6.48 / 8.2))),
    (r"\log_{2} 8 + \ln 1 + \log 100", 3 + 0 + math.log(100)),
    ("log2(8)", 3.0),
    (r"6.48 \text{ trillion tokens}", 6.48e12),
    (r"54\ {\rm GB}", 54e9),
    (r"36 \text{ MiB}", 36 * 2**20),
    (r"2 \text{ bytes/parameter}", 2.0),
    ("1.6482e+24 FLOPs", 1.6482e24),
    (r"6ND", 6 * 67e9 * 4.1e12),
    (r"N^{\alpha}", 67e9**0.34),
    ("N^α + D'^β", 67e9**0.34 + 6e12**0.28),
    (r"d_{\rm model} + d_{\text{model}} + d_{\mathrm{model}} + d_{model}", 4 * 12288),
    ("2 (1 - 1/2^{x+1})", 2 * (1 - 1 / 2 ** 2.5)),
    ("1%", 0.01),
    ("10²", 100.0),
    ("6 x 67 x 10^9", 6 * 67e9),
    ("67e9**0.34", 67e9**0.34),
    ("1,88 + 0{,}5", 2.38),
    ("67B parameters", 67e9),
    ("4.1T tokens", 4.1e12),
    (r"\num{1.65e24}", 1.65e24),
    (r"\SI{54}{\giga\byte}", 54e9),
    (r"\qty{36}{\mebi\byte}", 36 * 2**20),
])
def test_values(source, expected):
    assert math.isclose(value(source, 0), expected, rel_tol=1e-12)


def test_relations_primes_tags_and_labels():
    chains = read_formula(r"L(N,D) = E + \frac{A}{N^\alpha} \approx 1.90 \rightarrow D' = x "
                          r"\Rightarrow y = 2 \to z = 3 \tag{1}")
    assert len(chains) == 1
    chain = chains[0]
    assert chain.relations == ["=", "≈", "→", "=", "→", "=", "→", "="]
    assert chain.terms[0].node == Label("L")  # function notation: a name, not a product
    assert chain.terms[3].node == Sym("D'")
    assert chain.tag == "1"
    primes = read_formula(r"D^{\prime} = D''")[0]
    assert primes.terms[0].node == Sym("D'") and primes.terms[1].node == Sym("D''")


def test_written_precision():
    assert written_value(read_formula("1.65 × 10^24")[0].terms[0].node)[1] == 5 * 10**21
    assert written_value(read_formula("6.48 trillion")[0].terms[0].node)[1] == 5 * 10**9
    assert written_value(read_formula("350")[0].terms[0].node)[1] == 5
    assert written_value(read_formula("8")[0].terms[0].node)[1] == 0.5
    assert written_value(read_formula("2 × 3")[0].terms[0].node) is None


def test_asides_restate_a_value():
    chain = read_formula(r"3.5 \times 10^{11} \text{ bytes} \quad (\approx 326 \text{ GiB}) "
                         r"= 350 \text{ GB}")[0]
    assert [a[1] for a in chain.asides] == ["≈"]
    bare = read_formula(r"6.04\times 10^8 \ {\rm bytes} \quad (54\ {\rm GB})")[0]
    assert len(bare.asides) == 1 and bare.asides[0][0] == 0


@pytest.mark.parametrize("source, reason", [
    (r"\input{secret} = 1", "\\input is refused"),
    (r"\def\x{1} x = 1", "\\def is refused"),
    (r"x = \frac{1}{2", "expected"),
    (r"\mathbb{R} = 1", "\\mathbb"),
    ("x < 2", "only =, ≈ and →"),
    (r"x \le 2", "only =, ≈ and →"),
    ("1 2 = 3", "two numbers side by side"),
    ("x = " + r"\frac{1}{" * 40 + "2" + "}" * 40, "nested more than"),
    ("x = " + "1+" * 3000 + "1", "characters"),
])
def test_refused(source, reason):
    with pytest.raises(ReadError) as info:
        read_formula(source)
    assert reason in str(info.value)


@pytest.mark.parametrize("source", [r"10^{10^{10}}", "2^2^2^2^2^2", r"\exp(10^{6})"])
def test_huge_numbers_are_refused_not_computed(source):
    with pytest.raises(Undefined):
        compute(read_formula(source)[0].terms[0].node, lambda n: None)


def test_headings_map_to_problems():
    ids = ["E1", "E2", "E3"]
    assert problem_for("#### 2 Exercise Assignment: E2", ids) == "E2"
    assert problem_for("Problem 3", ids) == "E3"
    assert problem_for("Q1", ids) == "E1"
    assert problem_for("Exercise 2 (continued)", ids) == "E2"
    assert problem_for("8 Individual Assignment: I3", ids) is None
    assert problem_for("Acknowledgements", ids) is None
    assert problem_for("Task 2", ["T1", "T2", "T3"]) == "T2"
    assert problem_for("Part 2", ["A", "B"]) == "B"


def test_runs_glue_units_and_continuations():
    text = ("## E3\n$$D = \\frac{C}{6N} \\approx 4.59$$\n trillion tokens\n\n"
            "Then\n$$x = 2$$\n\n$$\\approx 2.0$$\nNow prose.\n"
            "$$175 \\times 10^9$$\n parameters $\\times$ 2 bytes $= 3.5 \\times 10^{11}$ bytes\n")
    writeup = cut(text, "w.md", ["E1", "E2", "E3"], "markdown")
    sources = [r.source for r in writeup.runs]
    assert any("4.59" in s and "trillion" in s for s in sources)
    assert any("x = 2" in s and "\\approx 2.0" in s for s in sources)
    assert any("175" in s and "3.5" in s and "parameters" in s for s in sources)
    assert {r.problem for r in writeup.runs} == {"E3"}


def test_latex_sections_environments_and_comments():
    text = ("\\section{E2}\n% C = 1 is a comment\n\\begin{align*}\nC &= 6ND \\\\\n"
            "  &= 2\n\\end{align*}\n\\subsection*{Problem 1}\n\\[ y = 3 \\]\n")
    writeup = cut(text, "w.tex", ["E1", "E2"], "latex")
    assert [(r.problem, r.line) for r in writeup.runs] == [("E2", 3), ("E1", 8)]
    assert "comment" not in writeup.runs[0].source


def test_numbered_questions_only_when_no_heading_names_a_problem():
    ids = ["Q1", "Q2", "Q3"]
    numbered = "Intro\n1) How many steps are there?\n$$x = 2$$\n2) And the memory now?\n$$y = 3$$\n"
    writeup = cut(numbered, "w.md", ids, "markdown")
    assert [r.problem for r in writeup.runs] == ["Q1", "Q2"]
    with_headings = ("# Q2\n1. First compute the steps carefully\n$$x = 2$$\n"
                     "2. Then the memory in bytes\n$$y = 3$$\n")
    writeup = cut(with_headings, "w.md", ids, "markdown")
    assert [r.problem for r in writeup.runs] == ["Q2", "Q2"]


def test_ticked_boxes_are_answers():
    writeup = cut("1) Is it true that the sky is green here?\n☐ True\n☒ False\n", "w.md",
                  ["Q1"], "markdown")
    assert [(p, v) for _, p, v in writeup.choices] == [("Q1", False)]


def test_code_blocks_are_not_math_and_tilde_means_about(tmp_path):
    text = ("# E1\n```python\nx = x + 1\n```\nSo C ~ 1.648e24 FLOPs here and C = 6ND = "
            "6 × 67 × 10^9 × 4.1 × 10^12\n")
    writeup = cut(text, "w.txt", ["E1"], "plain")
    assert [r.line for r in writeup.runs] == [5]
    from derivations.work.writeup.marks import read_run

    chains = read_run(writeup.runs[0])
    assert chains[0].relations[0] == "≈"
    assert len(chains) == 2 and chains[1].relations == ["=", "="]  # read after the prose



def test_unit_words_are_the_answer_readers():
    """check-work and check read units from one table: `hours` is an hour in both."""
    from derivations.read.answer import read_answer as parse_answer
    from derivations.read.lexicon import unit_word

    assert parse_answer("26 hours").unit.factor == 3600
    assert unit_word("hours") == ("second", 3600, "time")
    assert unit_word("GiB") == ("byte", 2**30, "byte")
    assert unit_word("Gb") == ("byte", 10**9 // 8, "byte")  # gigabits
    assert unit_word("kB") == ("byte", 1000, "byte")
    assert unit_word("tokens") == ("token", 1, "count")
    assert unit_word("TFLOPs") == ("FLOP", 10**12, "FLOP")
    assert unit_word("trillion") == ("1", 10**12, "scale")
