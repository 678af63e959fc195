"""The indicator formula language: a hand-written parser, never ``eval``."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from coquan.registry import formula
from coquan.registry.formula import EvaluationError, FormulaError

NAMES = ["subscribers", "population", "revenue", "revenue_plan", "licences.publishing"]


def test_the_seed_formulas():
    density = formula.parse("subscribers / population * 100")
    values = {"subscribers": Decimal(950_000), "population": Decimal(1_616_000)}
    assert round(formula.evaluate(density, values), 1) == Decimal("58.8")
    versus = formula.parse("(revenue / revenue_plan - 1) * 100")
    values = {"revenue": Decimal("806.7"), "revenue_plan": Decimal("549.9")}
    assert round(formula.evaluate(versus, values), 1) == Decimal("46.7")
    assert formula.identifiers(versus) == {"revenue", "revenue_plan"}


def test_precedence_associativity_and_unary_minus():
    assert formula.evaluate(formula.parse("2 + 3 * 4"), {}) == 14
    assert formula.evaluate(formula.parse("(2 + 3) * 4"), {}) == 20
    assert formula.evaluate(formula.parse("8 - 3 - 2"), {}) == 3
    assert formula.evaluate(formula.parse("8 / 4 / 2"), {}) == 1
    assert formula.evaluate(formula.parse("-2 * -3"), {}) == 6
    assert formula.evaluate(formula.parse("- (1 + 2)"), {}) == -3
    assert (
        formula.evaluate(formula.parse("licences.publishing + 1"), {"licences.publishing": 96})
        == 97
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1 +",
        "(1 + 2",
        "1 + 2)",
        "2 ** 3",
        "__import__('os')",
        "a.b()",
        "x[0]",
        "1e5",
        "1.2.3",
        "a; b",
        "lambda: 1",
        "'text'",
        "a == b",
        "(" * 60 + "1" + ")" * 60,
        "-" * 60 + "1",
        "1 + " * 300 + "1",
    ],
)
def test_anything_outside_the_grammar_is_refused(text):
    with pytest.raises(FormulaError):
        formula.parse(text)


def test_error_position_points_at_the_offending_character():
    with pytest.raises(FormulaError) as info:
        formula.parse("subscribers / population $ 100")
    assert info.value.position == 25


def test_division_by_zero_and_missing_values_are_evaluation_errors():
    with pytest.raises(EvaluationError):
        formula.evaluate(formula.parse("a / (b - b)"), {"a": 1, "b": 2})
    with pytest.raises(EvaluationError):
        formula.evaluate(formula.parse("a + 1"), {})


# --- Properties --------------------------------------------------------------------------------

numbers = st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False)
leaves = st.one_of(
    numbers.map(lambda d: ("num", Decimal(format(d, "f")))),
    st.sampled_from(NAMES).map(lambda name: ("var", name)),
)


def _extend(children):
    return st.one_of(
        children.map(lambda node: ("neg", node)),
        st.tuples(st.sampled_from("+-*/"), children, children).map(
            lambda t: ("bin", t[0], t[1], t[2])
        ),
    )


def _depth(node) -> int:
    if node[0] in ("num", "var"):
        return 0
    if node[0] == "neg":
        return 2 + _depth(node[1])
    return 1 + max(_depth(node[2]), _depth(node[3]))


trees = st.recursive(leaves, _extend, max_leaves=12).filter(lambda t: _depth(t) < 30)
environments = st.fixed_dictionaries(
    {name: st.integers(min_value=1, max_value=10**6).map(Decimal) for name in NAMES}
)


def _exact(node, env) -> Fraction:
    """The reference semantics, with exact fractions."""
    kind = node[0]
    if kind == "num":
        return Fraction(node[1])
    if kind == "var":
        return Fraction(env[node[1]])
    if kind == "neg":
        return -_exact(node[1], env)
    left, right = _exact(node[2], env), _exact(node[3], env)
    if node[1] == "+":
        return left + right
    if node[1] == "-":
        return left - right
    if node[1] == "*":
        return left * right
    if right == 0:
        raise ZeroDivisionError
    return left / right


@settings(max_examples=300, deadline=None)
@given(trees)
def test_printing_then_parsing_gives_the_same_tree(tree):
    assert formula.parse(formula.to_text(tree)) == tree


@settings(max_examples=300, deadline=None)
@given(trees, environments)
def test_evaluation_matches_exact_arithmetic(tree, env):
    try:
        expected = _exact(tree, env)
    except ZeroDivisionError:
        with pytest.raises(EvaluationError):
            formula.evaluate(tree, env)
        return
    assume(abs(expected) < 10**20)
    result = formula.evaluate(formula.parse(formula.to_text(tree)), env)
    assert abs(Fraction(result) - expected) <= abs(expected) * Fraction(1, 10**25) + Fraction(
        1, 10**20
    )


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1.2 +-*/()_ xyz$'\"[]=;:")), max_size=40))
def test_any_text_either_parses_or_fails_cleanly(text):
    try:
        tree = formula.parse(text)
    except FormulaError as exc:
        assert 0 <= exc.position <= len(text)
        return
    for name in formula.identifiers(tree):
        assert name in text
    assert formula.parse(formula.to_text(tree)) == tree
