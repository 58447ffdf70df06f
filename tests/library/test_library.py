"""Every library formula: solved for each of its symbols by sympy, and back.

For each formula the example values give the defined quantity; then for every other
symbol the equation is rearranged by the engine and must give back the example value.
Symbols that sympy cannot isolate are listed explicitly, so a regression in the
rearrangement (or a new non-invertible formula) fails here.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations.library import FORMULAS, QUANTITIES, TOPICS, by_topic, formula
from derivations.library.units import CANONICAL
from derivations.sheet import expr
from derivations.solver import engine
from derivations.solver.substitution import evaluate

#: (formula, symbol) pairs with no closed form: piecewise functions or transcendental.
NOT_INVERTIBLE = {
    ("gpus_needed", "M_train"), ("gpus_needed", "M_gpu"),
    ("absmax_quantize", "s"), ("absmax_quantize", "w"),
    ("zeropoint_offset", "s"), ("zeropoint_offset", "w_min"),
    ("zeropoint_quantize", "s"), ("zeropoint_quantize", "w"), ("zeropoint_quantize", "z"),
    ("data_scale_factor", "k_N"), ("data_scale_factor", "alpha"), ("data_scale_factor", "beta"),
    ("data_constrained_tokens", "R_star"),
    ("float_exponent", "v_in"), ("float_fraction", "e_unb"), ("float_fraction", "p_bits"),
    ("float_fraction", "v_in"),
    *(("zero3_gpus", name) for name in ("M_a", "M_gpu", "N", "b_g", "b_w", "k_os")),
    ("pipeline_in_flight", "p_pp"), ("pipeline_in_flight", "n_mb"),  # min(p, m)
    ("pipeline_heaviest_stage", "n_layers"), ("pipeline_heaviest_stage", "p_pp"),  # ceil
    *(("max_batch_kv", name) for name in ("M_gpu", "M_w", "n_layers", "n_kv", "d_head",
                                          "n_ctx", "b_w")),  # whole sequences: floor
}

PAIRS = [(f.id, name) for f in FORMULAS.values() for name in f.symbols[1:]]


def example_values(item) -> dict[sp.Symbol, sp.Expr]:
    values = {}
    for name, text in item.example.items():
        values[QUANTITIES[name].symbol] = expr.parse(text).build(lambda n: sp.Integer(0))
    return values


@pytest.mark.parametrize("formula_id", sorted(FORMULAS))
def test_example_covers_every_input(formula_id):
    item = formula(formula_id)
    assert set(item.example) == set(item.symbols[1:])


@pytest.mark.parametrize("formula_id,name", PAIRS)
def test_solve_for_each_symbol_and_back(formula_id, name):
    item = formula(formula_id)
    values = example_values(item)
    lhs_value = item.rhs.xreplace(values)
    known = {**values, item.lhs_symbol: lhs_value}
    target = QUANTITIES[name].symbol
    candidates = engine.rearrange(item.equation, target)
    if (formula_id, name) in NOT_INVERTIBLE:
        assert not candidates
        return
    assert candidates, f"sympy found no closed form for {name}"
    others = {s: v for s, v in known.items() if s != target}
    back = [complex(sp.N(evaluate(c, others), 30)) for c in candidates]
    wanted = complex(sp.N(values[target], 30))
    assert any(abs(b - wanted) <= 1e-12 * abs(wanted) for b in back)


@pytest.mark.parametrize("formula_id", sorted(FORMULAS))
def test_forward_rearrangement_is_the_formula(formula_id):
    item = formula(formula_id)
    assert engine.rearrange(item.equation, item.lhs_symbol) == (item.rhs,)


def test_every_symbol_has_metadata():
    for item in FORMULAS.values():
        for name in item.symbols:
            quantity = QUANTITIES[name]
            assert quantity.meaning and quantity.latex
            assert quantity.unit in CANONICAL


def test_every_formula_has_a_source_and_a_known_topic():
    for item in FORMULAS.values():
        assert item.source
        assert item.topic in TOPICS


def test_formula_ids_are_unique_across_topics():
    from derivations.library import _MODULES

    ids = [f.id for module in _MODULES for f in module.FORMULAS]
    assert len(ids) == len(set(ids)) == len(FORMULAS)


def test_topics_partition_the_library():
    assert sum(len(by_topic([t])) for t in TOPICS) == len(FORMULAS)


@pytest.mark.parametrize("formula_id", [f.id for f in FORMULAS.values() if f.mistakes])
def test_mistakes_differ_from_the_formula(formula_id):
    item = formula(formula_id)
    values = example_values(item)
    right = sp.N(item.rhs.xreplace(values), 20)
    for mistake in item.mistakes:
        wrong = sp.N(mistake.rhs.xreplace(values), 20)
        assert abs(wrong - right) > 1e-6 * abs(right), mistake.id
        assert mistake.feedback.endswith(".")


def test_lora_rank_derivative_is_positive():
    item = formula("lora_params")
    derivative = sp.diff(item.rhs, QUANTITIES["r"].symbol)
    assert derivative.is_positive
    d_in, d_out = QUANTITIES["d_in"].symbol, QUANTITIES["d_out"].symbol
    assert sp.simplify(derivative / (d_in + d_out)) == QUANTITIES["m"].symbol \
        * QUANTITIES["n_layers"].symbol


def test_weight_memory_does_not_depend_on_context():
    assert QUANTITIES["n_ctx"].symbol not in formula("weight_memory").rhs.free_symbols


positive = st.fractions(min_value=Fraction(1, 10), max_value=Fraction(10**6), max_denominator=1000)


@settings(max_examples=40, deadline=None)
@given(n=positive, d=positive)
def test_tokens_for_a_loss_invert_the_loss(n, d):
    """Substitute, solve back: the loss a model reaches with D tokens gives back D."""
    item = formula("chinchilla_loss")
    values = {QUANTITIES[k].symbol: sp.Rational(v) for k, v in
              {"E": "1.69", "A": "406.4", "B": "410.7", "alpha": "0.34", "beta": "0.28"}.items()}
    n_sym, d_sym, l_sym = (QUANTITIES[k].symbol for k in ("N", "D", "L"))
    loss = item.rhs.xreplace({**values, n_sym: sp.Rational(n.numerator, n.denominator),
                              d_sym: sp.Rational(d.numerator, d.denominator)})
    (closed,) = engine.rearrange(item.equation, d_sym)
    back = evaluate(closed, {**values, n_sym: sp.Rational(n.numerator, n.denominator),
                             l_sym: loss})
    assert abs(float(sp.N(back / sp.Rational(d.numerator, d.denominator) - 1, 40))) < 1e-25


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 8), r=st.integers(1, 512), d=st.integers(1, 2**15),
       layers=st.integers(1, 200))
def test_lora_rank_from_its_own_memory_is_exact(m, r, d, layers):
    item = formula("lora_memory")
    q = {k: QUANTITIES[k].symbol for k in ("m", "r", "d_in", "d_out", "n_layers", "b_w", "M")}
    values = {q["m"]: m, q["d_in"]: d, q["d_out"]: d, q["n_layers"]: layers, q["b_w"]: 2}
    memory = item.rhs.xreplace({**values, q["r"]: r})
    (closed,) = engine.rearrange(item.equation, q["r"])
    assert evaluate(closed, {**values, q["M"]: memory}) == r
