"""Safe rule formulas: tokenizer, parser, evaluation and canonical text."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from baocao.core.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Arithmetic,
    Call,
    Comparison,
    ExpressionError,
    Logical,
    Name,
    Negate,
    Node,
    Not,
    Number,
    evaluate,
    identifiers,
    is_boolean,
    parse_expression,
    parse_rule,
    to_text,
)

D = Decimal


def ev(text: str, **values: Decimal | int | None) -> Decimal | bool | None:
    return evaluate(parse_expression(text), values)  # type: ignore[arg-type]


# --- the rules the forms use --------------------------------------------------------------


def test_petition_rule() -> None:
    rule = parse_rule("PET_RESOLVED <= PET_RECEIVED")
    assert rule == Comparison("<=", Name("PET_RESOLVED"), Name("PET_RECEIVED"))
    assert evaluate(rule, {"PET_RESOLVED": D(5), "PET_RECEIVED": D(7)}) is True
    assert evaluate(rule, {"PET_RESOLVED": D(8), "PET_RECEIVED": D(7)}) is False


def test_bts_rule() -> None:
    rule = parse_rule("BTS_4G + BTS_5G <= BTS_TOTAL")
    assert identifiers(rule) == {"BTS_4G", "BTS_5G", "BTS_TOTAL"}
    assert evaluate(rule, {"BTS_4G": D(10), "BTS_5G": D(3), "BTS_TOTAL": D(13)}) is True
    assert evaluate(rule, {"BTS_4G": D(10), "BTS_5G": D(4), "BTS_TOTAL": D(13)}) is False


def test_percent_rule() -> None:
    rule = parse_rule("ONLINE_APPS_PCT <= 100")
    assert evaluate(rule, {"ONLINE_APPS_PCT": D("99.5")}) is True
    assert evaluate(rule, {"ONLINE_APPS_PCT": D("100.01")}) is False


def test_sanction_rule_three_valued() -> None:
    rule = parse_rule("SANCTION_AMOUNT = 0 or SANCTION_DECISIONS > 0")
    assert evaluate(rule, {"SANCTION_AMOUNT": D(0), "SANCTION_DECISIONS": None}) is True
    assert evaluate(rule, {"SANCTION_AMOUNT": D(5), "SANCTION_DECISIONS": D(1)}) is True
    assert evaluate(rule, {"SANCTION_AMOUNT": D(5), "SANCTION_DECISIONS": D(0)}) is False
    assert evaluate(rule, {"SANCTION_AMOUNT": D(5)}) is None
    assert evaluate(rule, {"SANCTION_DECISIONS": D(2)}) is True


def test_chained_comparison_means_and() -> None:
    rule = parse_rule("0 <= PCT <= 100")
    assert to_text(rule) == "0 <= PCT and PCT <= 100"
    assert evaluate(rule, {"PCT": D(50)}) is True
    assert evaluate(rule, {"PCT": D(-1)}) is False
    assert evaluate(rule, {"PCT": D(101)}) is False


# --- grammar ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("10 - 4 - 3", D(3)),
        ("8 / 4 / 2", D(1)),
        ("-2 * 3", D(-6)),
        ("-(2 + 3)", D(-5)),
        ("2 - -3", D(5)),
        ("--4", D(4)),
        ("1.5 + 1,5", D(3)),
        ("12,5", D("12.5")),
        ("sum(1, 2, 3)", D(6)),
        ("SUM(1; 2; 3)", D(6)),
        ("min(4, 2, 8)", D(2)),
        ("MAX(4, 2, 8)", D(8)),
        ("abs(-7)", D(7)),
        ("max(1, 5)", D(5)),
        ("max(1.5, 1)", D("1.5")),
        ("1 / 3 * 3", D("0." + "9" * 34)),  # 34 significant digits, whatever the caller's context
    ],
)
def test_arithmetic_and_precedence(text: str, expected: Decimal) -> None:
    assert ev(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 > 1 or 1 > 2 and 1 > 2", True),  # and binds tighter than or
        ("(2 > 1 or 1 > 2) and 1 > 2", False),
        ("not 1 > 2 and 1 > 0", True),  # not binds tighter than and
        ("not (1 > 2 and 1 > 0)", True),
        ("1 + 1 = 2", True),
        ("1 + 1 == 2", True),
        ("1 <> 2", True),
        ("1 != 1", False),
        ("1 ≤ 1 và 2 ≥ 3 hoặc không 1 ≠ 1", True),
        ("1 < 2 AND 2 < 3", True),
        ("1 >= 1 Or 1 > 1", True),
        ("0.1 + 0.2 = 0.3", True),  # Decimal, not binary floating point
    ],
)
def test_boolean_logic_and_precedence(text: str, expected: bool) -> None:
    assert ev(text) is expected


def test_vietnamese_keywords_in_decomposed_unicode() -> None:
    text = unicodedata.normalize("NFD", "A > 1 và B > 1 hoặc không C = 0")
    assert to_text(parse_rule(text)) == "A > 1 and B > 1 or not C = 0"


def test_canonical_text() -> None:
    assert to_text(parse_expression("a<=b")) == "a <= b"
    assert to_text(parse_expression("A == B")) == "A = B"
    assert to_text(parse_expression("A <> B")) == "A != B"
    assert to_text(parse_expression("SUM( A ;B)")) == "sum(A, B)"
    assert to_text(parse_expression("((A + B)) * -C")) == "(A + B) * -C"
    assert to_text(parse_expression("A - (B - C)")) == "A - (B - C)"
    assert to_text(parse_expression("12,50")) == "12.50"


def test_codes_are_case_sensitive_and_keywords_reserved() -> None:
    assert identifiers(parse_expression("a + A + a_1")) == {"a", "A", "a_1"}
    assert identifiers(parse_expression("sum + 1")) == {"sum"}  # a code, not a call
    with pytest.raises(ExpressionError):
        parse_expression("AND > 1")
    with pytest.raises(ExpressionError):
        Name("or")


# --- missing values and arithmetic faults -------------------------------------------------


def test_missing_values_make_arithmetic_and_comparisons_unknown() -> None:
    assert ev("A + 1") is None
    assert ev("A + 1", A=None) is None
    assert ev("sum(A, B)", A=D(1)) is None
    assert ev("A < B", A=D(1)) is None
    assert ev("not A < 1") is None
    assert ev("-A") is None


def test_three_valued_and_or() -> None:
    assert ev("A > 0 and 1 > 2") is False  # None and False = False
    assert ev("A > 0 and 1 < 2") is None
    assert ev("A > 0 or 1 < 2") is True  # None or True = True
    assert ev("A > 0 or 1 > 2") is None


def test_division_by_zero_cannot_be_checked() -> None:
    assert ev("1 / 0") is None
    assert ev("A / B > 1", A=D(1), B=D(0)) is None
    assert ev("A / B > 1 or 1 = 1", A=D(1), B=D(0)) is True
    assert ev("0 / 5") == D(0)


def test_overflow_cannot_be_checked() -> None:
    assert evaluate(parse_expression("A * A * A"), {"A": D("1E+400000")}) is None


def test_values_as_plain_numbers() -> None:
    assert ev("A + B", A=2, B=D("0.5")) == D("2.5")
    assert evaluate(parse_expression("A * 2"), {"A": 1.5}) == D("3.0")  # type: ignore[dict-item]
    assert evaluate(parse_expression("A * 2"), {"A": True}) is None  # type: ignore[dict-item]
    assert evaluate(parse_expression("A * 2"), {"A": D("NaN")}) is None


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        '__import__("os").system("ls")',
        "A.__class__",
        "os.system",
        "open(A)",
        "eval(A)",
        "exec(A)",
        "getattr(A, B)",
        "A[0]",
        "lambda: 1",
        "A if B else C",
        "A ** 2",
        "A % 2",
        "A // 2",
        "A & B",
        "{A}",
        "A; B",
        "A, B",
        "'text'",
        "1e5",
        "2A",
        "Bắc_Kạn > 1",
        "A >",
        "> A",
        "A B",
        "()",
        "sum()",
        "abs(A, B)",
        "A and B",
        "(A < B) + 1",
        "sum(A < B)",
        "not A",
        "A < B < C = (D > E)",
        "1.234.567",
        "12,5,3",
        "max(1,5)",
        "(A + B",
        "A + B)",
        "",
        "   ",
    ],
)
def test_rejected_formulas(text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    assert info.value.message.startswith("Công thức không hợp lệ")
    assert isinstance(info.value, ValueError)


def test_missing_close_paren_position() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("(A + B <= C")
    assert info.value.position == 11
    assert "thiếu dấu ngoặc đóng tại vị trí 12" in info.value.message


def test_unknown_function_position() -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression("A + evil(B)")
    assert info.value.position == 4
    assert "evil" in info.value.message


def test_decimal_comma_inside_call_is_refused() -> None:
    with pytest.raises(ExpressionError, match="dễ nhầm"):
        parse_expression("max(1,5)")
    assert ev("max(1; 5)") == D(5)
    assert ev("max(1, 5)") == D(5)
    assert ev("(A + 1,5) * 2", A=D(1)) == D(5)


def test_rule_must_be_boolean() -> None:
    with pytest.raises(ExpressionError, match="quy tắc kiểm tra"):
        parse_rule("A + B")
    assert is_boolean(parse_rule("not (A > B)"))


def test_depth_limit() -> None:
    ok = "(" * MAX_DEPTH + "A" + ")" * MAX_DEPTH
    assert parse_expression(ok) == Name("A")
    for text in (
        "(" * (MAX_DEPTH + 1) + "A" + ")" * (MAX_DEPTH + 1),
        "-" * (MAX_DEPTH + 1) + "A",
        "not " * (MAX_DEPTH + 1) + "A > 1",
        "abs(" * (MAX_DEPTH + 1) + "A" + ")" * (MAX_DEPTH + 1),
    ):
        with pytest.raises(ExpressionError, match="lồng nhau"):
            parse_expression(text)


def test_length_limit() -> None:
    long_sum = " + ".join(["A1"] * 400)  # 1998 characters: allowed, and evaluation stays flat
    assert len(long_sum) <= MAX_LENGTH
    assert evaluate(parse_expression(long_sum), {"A1": D(1)}) == D(400)
    with pytest.raises(ExpressionError, match=str(MAX_LENGTH)):
        parse_expression("A" * (MAX_LENGTH + 1))


def test_nodes_validate_their_shape() -> None:
    with pytest.raises(ExpressionError):
        Number(D(-1))
    with pytest.raises(ExpressionError):
        Arithmetic(Name("A"), (("+", Name("B")), ("*", Name("C"))))
    with pytest.raises(ExpressionError):
        Logical("and", (Comparison("<", Name("A"), Name("B")),))
    with pytest.raises(ExpressionError):
        Not(Name("A"))
    with pytest.raises(ExpressionError):
        Call("eval", (Name("A"),))


# --- properties ---------------------------------------------------------------------------

FORMULA_ALPHABET = "AB_01239 .,;()+-*/<>=!≤≥≠andorntvàhoặckhôgsumixabé\t"


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_arbitrary_text_only_raises_expression_error(text: str) -> None:
    try:
        node = parse_expression(text)
    except ExpressionError:
        return
    assert parse_expression(to_text(node)) == node


@settings(max_examples=200)
@given(st.text(alphabet=FORMULA_ALPHABET, max_size=60))
def test_formula_like_text_only_raises_expression_error(text: str) -> None:
    try:
        node = parse_expression(text)
    except ExpressionError:
        return
    assert parse_expression(to_text(node)) == node
    evaluate(node, {"A": D(1), "B": D(0)})


_KEYWORDS = {"and", "or", "not"}
codes = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,5}", fullmatch=True).filter(
    lambda s: s.lower() not in _KEYWORDS
)
literals = st.decimals(min_value=0, max_value=10**6, places=3).map(Number) | st.integers(0, 1000).map(
    lambda i: Number(D(i))
)


def _numeric_nodes(
    leaves: st.SearchStrategy[Node], divisors: st.SearchStrategy[Node] | None = None
) -> st.SearchStrategy[Node]:
    """Numeric trees; "/" divides by ``divisors`` (default any subtree; st.nothing() for none)."""

    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        additive = st.builds(
            Arithmetic,
            children,
            st.lists(st.tuples(st.sampled_from("+-"), children), min_size=1, max_size=3).map(tuple),
        )
        factor = st.tuples(st.just("*"), children) | st.tuples(
            st.just("/"), children if divisors is None else divisors
        )
        multiplicative = st.builds(Arithmetic, children, st.lists(factor, min_size=1, max_size=3).map(tuple))
        calls = st.builds(
            Call,
            st.sampled_from(["sum", "min", "max"]),
            st.lists(children, min_size=1, max_size=3).map(tuple),
        ) | children.map(lambda c: Call("abs", (c,)))
        return additive | multiplicative | calls | children.map(Negate)

    return st.recursive(leaves, extend, max_leaves=10)


def _boolean_nodes(numeric: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    comparisons = st.builds(Comparison, st.sampled_from(["<", "<=", ">", ">=", "=", "!="]), numeric, numeric)
    return st.recursive(
        comparisons,
        lambda children: (
            children.map(Not)
            | st.builds(
                Logical, st.sampled_from(["and", "or"]), st.lists(children, min_size=2, max_size=3).map(tuple)
            )
        ),
        max_leaves=6,
    )


numeric_asts = _numeric_nodes(codes.map(Name) | literals)
boolean_asts = _boolean_nodes(_numeric_nodes(codes.map(Name) | literals))


@settings(max_examples=200)
@given(numeric_asts | boolean_asts)
def test_generated_asts_round_trip_through_text(node: Node) -> None:
    text = to_text(node)
    assume(len(text) <= MAX_LENGTH and text.count("(") + text.count("-") + text.count("not") <= MAX_DEPTH)
    assert parse_expression(text) == node
    assert to_text(parse_expression(text)) == text


# Reference evaluation with exact fractions over small integers. Division is only by leaves
# so that "divided by zero" means the same for both (no rounding can hide a zero), and the
# boolean test has none at all, since a rounded quotient can flip an exact equality.
SMALL_NAMES = ["A", "B", "C"]
small_leaves = st.sampled_from(SMALL_NAMES).map(Name) | st.integers(0, 9).map(lambda i: Number(D(i)))


def _reference(node: Node, values: Mapping[str, int | None]) -> Fraction | bool | None:
    if isinstance(node, Number):
        return Fraction(node.value)
    if isinstance(node, Name):
        value = values.get(node.code)
        return None if value is None else Fraction(value)
    if isinstance(node, Negate):
        inner = _reference(node.operand, values)
        return None if inner is None else -inner
    if isinstance(node, Arithmetic):
        result = _reference(node.first, values)
        for op, operand in node.rest:
            right = _reference(operand, values)
            if result is None or right is None or (op == "/" and right == 0):
                return None
            if op == "/":
                result = result / right
            else:
                result = {"+": result + right, "-": result - right, "*": result * right}[op]
        return result
    if isinstance(node, Call):
        args = [_reference(a, values) for a in node.args]
        if any(a is None for a in args):
            return None
        return {"sum": sum, "min": min, "max": max, "abs": lambda a: abs(a[0])}[node.function](args)
    if isinstance(node, Comparison):
        left, right = _reference(node.left, values), _reference(node.right, values)
        if left is None or right is None:
            return None
        return {
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
            "=": left == right,
            "!=": left != right,
        }[node.op]
    if isinstance(node, Not):
        inner = _reference(node.operand, values)
        return None if inner is None else not inner
    assert isinstance(node, Logical)
    results = [_reference(o, values) for o in node.operands]
    if node.op == "and":
        return False if False in results else (None if None in results else True)
    return True if True in results else (None if None in results else False)


small_values = st.fixed_dictionaries({name: st.none() | st.integers(-9, 9) for name in SMALL_NAMES})


@settings(max_examples=200)
@given(_numeric_nodes(small_leaves, divisors=small_leaves), small_values)
def test_evaluate_matches_exact_reference(node: Node, values: dict[str, int | None]) -> None:
    expected = _reference(node, values)
    result = evaluate(node, {k: None if v is None else D(v) for k, v in values.items()})
    if expected is None:
        assert result is None
    else:
        assert isinstance(result, Decimal)
        assert abs(Fraction(result) - expected) <= Fraction(1, 10**25) * max(1, abs(expected))


@settings(max_examples=200)
@given(_boolean_nodes(_numeric_nodes(small_leaves, divisors=st.nothing())), small_values)
def test_three_valued_logic_matches_reference(node: Node, values: dict[str, int | None]) -> None:
    expected = _reference(node, values)
    assert evaluate(node, {k: None if v is None else D(v) for k, v in values.items()}) is expected
