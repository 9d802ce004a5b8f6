"""Safe formulas over indicator codes, used for a form's validation rules.

Examples: ``PET_RESOLVED <= PET_RECEIVED``, ``BTS_4G + BTS_5G <= BTS_TOTAL``,
``0 <= ONLINE_APPS_PCT <= 100``, ``SANCTION_AMOUNT = 0 or SANCTION_DECISIONS > 0``.

Rules are typed in by administrators and evaluated against units' data, so the grammar is
deliberately tiny and handled by a hand-written tokenizer and recursive-descent parser:
nothing here ever reaches ``eval``, ``exec`` or Python's own parser.

Grammar (lowest precedence first)::

    or_expr    := and_expr (("or" | "hoặc") and_expr)*
    and_expr   := not_expr (("and" | "và") not_expr)*
    not_expr   := ("not" | "không") not_expr | comparison
    comparison := sum (("<" | "<=" | ">" | ">=" | "=" | "==" | "!=" | "<>") sum)*
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | primary
    primary    := NUMBER | CODE | FUNCTION "(" args ")" | "(" or_expr ")"
    args       := or_expr (("," | ";") or_expr)*

Numbers accept a decimal point or a Vietnamese decimal comma ("12,5"). Inside a function's
argument list a decimal comma is refused because "max(1,5)" would be ambiguous.
A chain ``a <= b <= c`` means ``a <= b and b <= c``. Keywords and function names
(sum, min, max, abs) are case-insensitive; indicator codes are case-sensitive.
"""

from __future__ import annotations

import decimal
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

MAX_LENGTH = 2000
MAX_DEPTH = 50

FUNCTIONS = frozenset({"sum", "min", "max", "abs"})
ARITHMETIC_OPERATORS = frozenset({"+", "-", "*", "/"})
COMPARISON_OPERATORS = frozenset({"<", "<=", ">", ">=", "=", "!="})
_ADDITIVE = frozenset({"+", "-"})
_MULTIPLICATIVE = frozenset({"*", "/"})

# Spellings accepted for comparisons, mapped to the canonical operator.
_COMPARISON_SPELLINGS = {
    "<": "<",
    "<=": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "≥": ">=",
    "=": "=",
    "==": "=",
    "!=": "!=",
    "<>": "!=",
    "≠": "!=",
}
_KEYWORDS = {
    "and": "and",
    "và": "and",
    "or": "or",
    "hoặc": "or",
    "not": "not",
    "không": "not",
}
_DIGITS = frozenset("0123456789")
_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_CHARS = _IDENT_START | _DIGITS

# Evaluation uses its own context so results never depend on the caller's thread context.
_CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


class ExpressionError(ValueError):
    """An invalid formula. ``message`` is Vietnamese; ``position`` is a 0-based offset or None.

    The message itself counts positions from 1, as people do.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def _error(detail: str, position: int | None) -> ExpressionError:
    where = f" tại vị trí {position + 1}" if position is not None else ""
    return ExpressionError(f"Công thức không hợp lệ: {detail}{where}.", position)


# ---------------------------------------------------------------------------
# AST


@dataclass(frozen=True)
class Number:
    """A non-negative literal; negative values are written with :class:`Negate`."""

    value: Decimal

    def __post_init__(self) -> None:
        if not isinstance(self.value, Decimal) or not self.value.is_finite() or self.value < 0:
            raise ExpressionError("Công thức không hợp lệ: hằng số phải là số thập phân không âm.")


@dataclass(frozen=True)
class Name:
    """An indicator code."""

    code: str

    def __post_init__(self) -> None:
        if not _is_identifier(self.code) or self.code.lower() in _KEYWORDS:
            raise ExpressionError(f"Công thức không hợp lệ: mã chỉ tiêu «{self.code}» không hợp lệ.")


@dataclass(frozen=True)
class Negate:
    """Unary minus."""

    operand: Node

    def __post_init__(self) -> None:
        _require_numeric(self.operand, None)


@dataclass(frozen=True)
class Arithmetic:
    """A left-associative chain at one precedence level: ``first (op operand)*``.

    All operators are additive (``+ -``) or all multiplicative (``* /``). Keeping chains
    flat keeps the tree shallow, so a long sum never exhausts Python's recursion limit.
    """

    first: Node
    rest: tuple[tuple[str, Node], ...]

    def __post_init__(self) -> None:
        ops = {op for op, _ in self.rest}
        if not self.rest or not (ops <= {"+", "-"} or ops <= {"*", "/"}):
            raise ExpressionError("Công thức không hợp lệ: chuỗi phép tính không đúng.")
        _require_numeric(self.first, None)
        for _, operand in self.rest:
            _require_numeric(operand, None)

    @property
    def additive(self) -> bool:
        return self.rest[0][0] in {"+", "-"}


@dataclass(frozen=True)
class Call:
    """One of the allowed functions: sum, min, max (one or more arguments), abs (one)."""

    function: str
    args: tuple[Node, ...]

    def __post_init__(self) -> None:
        if self.function not in FUNCTIONS:
            raise ExpressionError(f"Công thức không hợp lệ: không hỗ trợ hàm «{self.function}».")
        _check_arity(self.function, len(self.args), None)
        for arg in self.args:
            _require_numeric(arg, None)


@dataclass(frozen=True)
class Comparison:
    """``left op right`` with op one of ``< <= > >= = !=``."""

    op: str
    left: Node
    right: Node

    def __post_init__(self) -> None:
        if self.op not in COMPARISON_OPERATORS:
            raise ExpressionError(f"Công thức không hợp lệ: phép so sánh «{self.op}» không hỗ trợ.")
        _require_numeric(self.left, None)
        _require_numeric(self.right, None)


@dataclass(frozen=True)
class Not:
    """Boolean negation."""

    operand: Node

    def __post_init__(self) -> None:
        _require_boolean(self.operand, "not", None)


@dataclass(frozen=True)
class Logical:
    """``and`` / ``or`` over two or more boolean operands."""

    op: str
    operands: tuple[Node, ...]

    def __post_init__(self) -> None:
        if self.op not in {"and", "or"} or len(self.operands) < 2:
            raise ExpressionError("Công thức không hợp lệ: phép logic không đúng.")
        for operand in self.operands:
            _require_boolean(operand, self.op, None)


Node = Number | Name | Negate | Arithmetic | Call | Comparison | Not | Logical
_NUMERIC = (Number, Name, Negate, Arithmetic, Call)
_BOOLEAN = (Comparison, Not, Logical)
_KEYWORD_TEXT = {"and": "và", "or": "hoặc", "not": "không"}


def is_boolean(node: Node) -> bool:
    """True when the node yields true/false (a rule), False when it yields a number."""
    return isinstance(node, _BOOLEAN)


def _is_identifier(text: object) -> bool:
    return (
        isinstance(text, str)
        and bool(text)
        and text[0] in _IDENT_START
        and all(ch in _IDENT_CHARS for ch in text)
    )


def _require_numeric(node: object, position: int | None) -> None:
    if not isinstance(node, _NUMERIC):
        if isinstance(node, _BOOLEAN):
            raise _error(
                "phép tính và phép so sánh cần giá trị số, không dùng được kết quả đúng/sai", position
            )
        raise ExpressionError("Công thức không hợp lệ: thành phần không đúng kiểu.", position)


def _require_boolean(node: object, op: str, position: int | None) -> None:
    if not isinstance(node, _BOOLEAN):
        if isinstance(node, _NUMERIC):
            raise _error(f"toán hạng của «{_KEYWORD_TEXT[op]}» phải là một phép so sánh", position)
        raise ExpressionError("Công thức không hợp lệ: thành phần không đúng kiểu.", position)


def _check_arity(function: str, count: int, position: int | None) -> None:
    if function == "abs" and count != 1:
        raise _error("hàm abs cần đúng một đối số", position)
    if count < 1:
        raise _error(f"hàm {function} cần ít nhất một đối số", position)


# ---------------------------------------------------------------------------
# Tokenizer


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "keyword", "op", "(", ")", "sep", "end"
    text: str
    position: int
    value: Decimal | None = None
    decimal_comma: bool = False


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        start = i
        if ch in _DIGITS:
            while i < n and text[i] in _DIGITS:
                i += 1
            comma = False
            if i + 1 < n and text[i] in ".," and text[i + 1] in _DIGITS:
                comma = text[i] == ","
                i += 1
                while i < n and text[i] in _DIGITS:
                    i += 1
            if i + 1 < n and text[i] in ".," and text[i + 1] in _DIGITS:
                raise _error("số có nhiều dấu thập phân (không dùng dấu phân cách hàng nghìn)", start)
            if i < n and (text[i] in _IDENT_CHARS or text[i].isalnum()):
                raise _error("số viết liền với chữ", start)
            literal = text[start:i]
            tokens.append(_Token("number", literal, start, Decimal(literal.replace(",", ".")), comma))
            continue
        if ch in _IDENT_START or ch.isalpha():
            while i < n and (text[i] in _IDENT_CHARS or text[i].isalnum() or unicodedata.combining(text[i])):
                i += 1
            word = text[start:i]
            keyword = _KEYWORDS.get(unicodedata.normalize("NFC", word).lower())
            if keyword is not None:
                tokens.append(_Token("keyword", keyword, start))
            elif _is_identifier(word):
                tokens.append(_Token("name", word, start))
            else:
                raise _error(
                    f"mã chỉ tiêu «{word}» chỉ được gồm chữ cái không dấu, chữ số và dấu gạch dưới", start
                )
            continue
        two = text[i : i + 2]
        if two in _COMPARISON_SPELLINGS:
            tokens.append(_Token("op", _COMPARISON_SPELLINGS[two], start))
            i += 2
            continue
        if ch in _COMPARISON_SPELLINGS:
            tokens.append(_Token("op", _COMPARISON_SPELLINGS[ch], start))
            i += 1
            continue
        if ch in ARITHMETIC_OPERATORS:
            tokens.append(_Token("op", ch, start))
        elif ch == "(" or ch == ")":
            tokens.append(_Token(ch, ch, start))
        elif ch == "," or ch == ";":
            tokens.append(_Token("sep", ch, start))
        elif ch == ".":
            raise _error("dấu chấm chỉ dùng trong số thập phân, không truy cập thuộc tính", start)
        elif ch == "!":
            raise _error("dùng «!=» hoặc «<>» cho phép so sánh khác", start)
        else:
            raise _error(f"ký tự không được phép «{ch}»", start)
        i += 1
    tokens.append(_Token("end", "", n))
    return tokens


# ---------------------------------------------------------------------------
# Parser


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.call_depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def enter(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _error(f"lồng nhau quá {MAX_DEPTH} cấp", position)

    def leave(self) -> None:
        self.depth -= 1

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ExpressionError("Công thức không hợp lệ: công thức trống.", 0)
        node = self.parse_or()
        token = self.current
        if token.kind == ")":
            raise _error("thừa dấu ngoặc đóng", token.position)
        if token.kind == "sep":
            raise _error(f"dấu «{token.text}» chỉ dùng để ngăn cách đối số của hàm", token.position)
        if token.kind != "end":
            raise _error(f"thiếu toán tử trước «{token.text}»", token.position)
        return node

    def parse_or(self) -> Node:
        start = self.current.position
        first = self.parse_and()
        if not self.at_keyword("or"):
            return first
        _require_boolean(first, "or", start)
        operands = [first]
        while self.at_keyword("or"):
            self.advance()
            position = self.current.position
            operand = self.parse_and()
            _require_boolean(operand, "or", position)
            operands.append(operand)
        return Logical("or", tuple(operands))

    def parse_and(self) -> Node:
        start = self.current.position
        first = self.parse_not()
        if not self.at_keyword("and"):
            return first
        _require_boolean(first, "and", start)
        operands = [first]
        while self.at_keyword("and"):
            self.advance()
            position = self.current.position
            operand = self.parse_not()
            _require_boolean(operand, "and", position)
            operands.append(operand)
        return Logical("and", tuple(operands))

    def at_keyword(self, keyword: str) -> bool:
        return self.current.kind == "keyword" and self.current.text == keyword

    def at_operator(self, operators: frozenset[str]) -> bool:
        return self.current.kind == "op" and self.current.text in operators

    def parse_not(self) -> Node:
        token = self.current
        if token.kind == "keyword" and token.text == "not":
            self.advance()
            self.enter(token.position)
            position = self.current.position
            operand = self.parse_not()
            self.leave()
            _require_boolean(operand, "not", position)
            return Not(operand)
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        position = self.current.position
        left = self.parse_sum()
        if not self.at_operator(COMPARISON_OPERATORS):
            return left
        _require_numeric(left, position)
        comparisons: list[Node] = []
        while self.at_operator(COMPARISON_OPERATORS):
            op = self.advance().text
            position = self.current.position
            right = self.parse_sum()
            _require_numeric(right, position)
            comparisons.append(Comparison(op, left, right))
            left = right
        # A chain a <= b <= c reads as a <= b and b <= c, as in mathematics.
        return comparisons[0] if len(comparisons) == 1 else Logical("and", tuple(comparisons))

    # parse_sum and parse_product are written out rather than sharing a helper: every
    # extra frame per nesting level brings deep formulas closer to the recursion limit.
    def parse_sum(self) -> Node:
        position = self.current.position
        first = self.parse_product()
        if not self.at_operator(_ADDITIVE):
            return first
        _require_numeric(first, position)
        rest: list[tuple[str, Node]] = []
        while self.at_operator(_ADDITIVE):
            op = self.advance().text
            position = self.current.position
            operand = self.parse_product()
            _require_numeric(operand, position)
            rest.append((op, operand))
        return Arithmetic(first, tuple(rest))

    def parse_product(self) -> Node:
        position = self.current.position
        first = self.parse_unary()
        if not self.at_operator(_MULTIPLICATIVE):
            return first
        _require_numeric(first, position)
        rest: list[tuple[str, Node]] = []
        while self.at_operator(_MULTIPLICATIVE):
            op = self.advance().text
            position = self.current.position
            operand = self.parse_unary()
            _require_numeric(operand, position)
            rest.append((op, operand))
        return Arithmetic(first, tuple(rest))

    def parse_unary(self) -> Node:
        token = self.current
        if token.kind == "op" and token.text == "-":
            self.advance()
            self.enter(token.position)
            position = self.current.position
            operand = self.parse_unary()
            self.leave()
            _require_numeric(operand, position)
            return Negate(operand)
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.advance()
            if token.decimal_comma and self.call_depth:
                raise _error(
                    f"trong hàm, số «{token.text}» dễ nhầm với hai đối số; "
                    "viết số thập phân bằng dấu chấm hoặc ngăn cách đối số bằng «;»",
                    token.position,
                )
            assert token.value is not None
            return Number(token.value)
        if token.kind == "name":
            self.advance()
            if self.current.kind == "(":
                return self.parse_call(token)
            return Name(token.text)
        if token.kind == "(":
            self.advance()
            self.enter(token.position)
            node = self.parse_or()
            self.leave()
            self.expect_close(token)
            return node
        if token.kind == "end":
            raise _error("công thức kết thúc đột ngột, thiếu toán hạng", token.position)
        if token.kind == ")":
            raise _error("thiếu toán hạng trước dấu ngoặc đóng", token.position)
        raise _error(f"thiếu toán hạng trước «{token.text}»", token.position)

    def parse_call(self, name: _Token) -> Node:
        function = name.text.lower()
        if function not in FUNCTIONS:
            raise _error(f"không hỗ trợ hàm «{name.text}» (chỉ dùng sum, min, max, abs)", name.position)
        opening = self.advance()
        self.enter(opening.position)
        self.call_depth += 1
        args: list[Node] = []
        if self.current.kind != ")":
            while True:
                position = self.current.position
                arg = self.parse_or()
                _require_numeric(arg, position)
                args.append(arg)
                if self.current.kind != "sep":
                    break
                self.advance()
        self.call_depth -= 1
        self.leave()
        self.expect_close(opening)
        _check_arity(function, len(args), name.position)
        return Call(function, tuple(args))

    def expect_close(self, opening: _Token) -> None:
        token = self.current
        if token.kind == ")":
            self.advance()
            return
        where = f"tại vị trí {token.position + 1} (dấu ngoặc mở ở vị trí {opening.position + 1})"
        if token.kind == "end":
            raise ExpressionError(f"Công thức không hợp lệ: thiếu dấu ngoặc đóng {where}.", token.position)
        raise ExpressionError(
            f"Công thức không hợp lệ: thiếu dấu ngoặc đóng trước «{token.text}» {where}.", token.position
        )


def parse_expression(text: str) -> Node:
    """Parse a formula (numeric or boolean) into an immutable AST; raises ExpressionError."""
    if not isinstance(text, str):
        raise ExpressionError("Công thức không hợp lệ: công thức phải là chuỗi ký tự.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"Công thức không hợp lệ: dài quá {MAX_LENGTH} ký tự.", MAX_LENGTH)
    try:
        return _Parser(text).parse()
    except RecursionError:
        # Only reachable when the caller is already deep in its own stack; never crash on input.
        raise ExpressionError(f"Công thức không hợp lệ: lồng nhau quá {MAX_DEPTH} cấp.") from None


def parse_rule(text: str) -> Node:
    """Parse a validation rule: a comparison, or and/or/not over comparisons."""
    node = parse_expression(text)
    if not is_boolean(node):
        raise ExpressionError(
            "Công thức không hợp lệ: quy tắc kiểm tra phải là một phép so sánh, "
            "ví dụ «PET_RESOLVED <= PET_RECEIVED».",
            0,
        )
    return node


# ---------------------------------------------------------------------------
# Queries over the AST


def identifiers(node: Node) -> set[str]:
    """The indicator codes a formula refers to."""
    found: set[str] = set()
    stack: list[Node] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Name):
            found.add(item.code)
        elif isinstance(item, Negate | Not):
            stack.append(item.operand)
        elif isinstance(item, Arithmetic):
            stack.append(item.first)
            stack.extend(operand for _, operand in item.rest)
        elif isinstance(item, Call):
            stack.extend(item.args)
        elif isinstance(item, Comparison):
            stack.extend((item.left, item.right))
        elif isinstance(item, Logical):
            stack.extend(item.operands)
    return found


def _as_decimal(value: object) -> Decimal | None:
    """Accept the number types callers plausibly hold; anything unusable counts as missing."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    return None


def _arith(op: str, left: Decimal, right: Decimal) -> Decimal:
    if op == "+":
        return _CONTEXT.add(left, right)
    if op == "-":
        return _CONTEXT.subtract(left, right)
    if op == "*":
        return _CONTEXT.multiply(left, right)
    return _CONTEXT.divide(left, right)


def _compare(op: str, left: Decimal, right: Decimal) -> bool:
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == ">":
        return left > right
    if op == ">=":
        return left >= right
    if op == "=":
        return left == right
    return left != right


def _numeric(node: Node, values: Mapping[str, object]) -> Decimal | None:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Name):
        return _as_decimal(values.get(node.code))
    if isinstance(node, Negate):
        operand = _numeric(node.operand, values)
        return None if operand is None else _CONTEXT.minus(operand)
    if isinstance(node, Arithmetic):
        result = _numeric(node.first, values)
        for op, operand_node in node.rest:
            operand = _numeric(operand_node, values)
            if result is None or operand is None:
                return None
            if op == "/" and operand == 0:
                return None
            result = _arith(op, result, operand)
        return result
    if isinstance(node, Call):
        args = [_numeric(arg, values) for arg in node.args]
        if any(arg is None for arg in args):
            return None
        present = [arg for arg in args if arg is not None]
        if node.function == "sum":
            total = Decimal(0)
            for arg in present:
                total = _CONTEXT.add(total, arg)
            return total
        if node.function == "min":
            return min(present)
        if node.function == "max":
            return max(present)
        return _CONTEXT.abs(present[0])
    raise TypeError(f"not a numeric node: {node!r}")


def _boolean(node: Node, values: Mapping[str, object]) -> bool | None:
    if isinstance(node, Comparison):
        left = _numeric(node.left, values)
        right = _numeric(node.right, values)
        if left is None or right is None:
            return None
        return _compare(node.op, left, right)
    if isinstance(node, Not):
        operand = _boolean(node.operand, values)
        return None if operand is None else not operand
    if isinstance(node, Logical):
        # Kleene logic: a known deciding operand wins over unknown ones.
        decisive = node.op == "or"
        unknown = False
        for operand_node in node.operands:
            result = _boolean(operand_node, values)
            if result is None:
                unknown = True
            elif result is decisive:
                return decisive
        return None if unknown else not decisive
    raise TypeError(f"not a boolean node: {node!r}")


def evaluate(node: Node, values: Mapping[str, Decimal | None]) -> Decimal | bool | None:
    """Evaluate with Decimal arithmetic; None means "cannot be checked".

    A missing or None operand makes arithmetic and comparisons None, as does division by
    zero or an overflow. ``and``/``or``/``not`` follow three-valued logic
    (None and False = False, None or True = True).
    """
    try:
        if is_boolean(node):
            return _boolean(node, values)
        return _numeric(node, values)
    except ArithmeticError:
        # Overflow or an operation the context refuses: the rule cannot be checked.
        return None


# ---------------------------------------------------------------------------
# Canonical text

_PRECEDENCE_OR, _PRECEDENCE_AND, _PRECEDENCE_NOT, _PRECEDENCE_COMPARISON = 1, 2, 3, 4
_PRECEDENCE_SUM, _PRECEDENCE_PRODUCT, _PRECEDENCE_UNARY, _PRECEDENCE_ATOM = 5, 6, 7, 8


def _precedence(node: Node) -> int:
    if isinstance(node, Logical):
        return _PRECEDENCE_OR if node.op == "or" else _PRECEDENCE_AND
    if isinstance(node, Not):
        return _PRECEDENCE_NOT
    if isinstance(node, Comparison):
        return _PRECEDENCE_COMPARISON
    if isinstance(node, Arithmetic):
        return _PRECEDENCE_SUM if node.additive else _PRECEDENCE_PRODUCT
    if isinstance(node, Negate):
        return _PRECEDENCE_UNARY
    return _PRECEDENCE_ATOM


def _wrap(node: Node, text: str, parent_precedence: int) -> str:
    # Flat chains mean a child at the parent's own level must keep its parentheses,
    # otherwise re-parsing would merge it into the parent.
    return f"({text})" if _precedence(node) <= parent_precedence else text


def to_text(node: Node) -> str:
    """Canonical text of a formula; ``parse_expression(to_text(n)) == n``."""
    # Children are rendered by calling to_text directly (one stack frame per tree level).
    if isinstance(node, Number):
        # copy_abs drops the sign of a negative zero, which would read back as Negate.
        return format(node.value.copy_abs(), "f")
    if isinstance(node, Name):
        return node.code
    if isinstance(node, Negate):
        return "-" + _wrap(node.operand, to_text(node.operand), _PRECEDENCE_UNARY - 1)
    if isinstance(node, Arithmetic):
        precedence = _precedence(node)
        parts = [_wrap(node.first, to_text(node.first), precedence)]
        for op, operand in node.rest:
            parts.append(f"{op} {_wrap(operand, to_text(operand), precedence)}")
        return " ".join(parts)
    if isinstance(node, Call):
        return f"{node.function}({', '.join(to_text(arg) for arg in node.args)})"
    if isinstance(node, Comparison):
        # Comparison operands are numeric, so always bind tighter: no parentheses needed.
        return f"{to_text(node.left)} {node.op} {to_text(node.right)}"
    if isinstance(node, Not):
        return "not " + _wrap(node.operand, to_text(node.operand), _PRECEDENCE_NOT - 1)
    if isinstance(node, Logical):
        precedence = _precedence(node)
        return f" {node.op} ".join(_wrap(operand, to_text(operand), precedence) for operand in node.operands)
    raise TypeError(f"not an expression node: {node!r}")
