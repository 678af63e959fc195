"""A tiny arithmetic language for derived ICT indicators — parsed, never ``eval``-ed.

A formula is built from decimal numbers, identifiers (indicator codes such as
``subscribers`` or register counts such as ``licences.press``), the operators ``+ - * /``,
unary minus/plus and parentheses::

    subscribers / population * 100
    (revenue / revenue_plan - 1) * 100

The parser is a recursive-descent parser over a hand-written tokenizer; it produces a small
tree of tuples that ``evaluate`` walks with ``Decimal`` arithmetic. Nothing in the text can
reach Python's ``eval``, attribute access or function calls: any other character is a
``FormulaError`` with its position. Length and nesting depth are bounded so a hostile formula
cannot exhaust the stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Context, Decimal, DivisionByZero, InvalidOperation

from django.utils.translation import gettext as _

MAX_LENGTH = 500
MAX_DEPTH = 40

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*"
_TOKEN = re.compile(rf"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<ident>{_IDENT})|(?P<op>[-+*/()]))")
IDENTIFIER_RE = re.compile(rf"^{_IDENT}$")

# The tree: ("num", Decimal) | ("var", str) | ("neg", node) | ("bin", op, left, right)
Node = tuple
_CONTEXT = Context(prec=34)


class FormulaError(ValueError):
    """The formula cannot be parsed (``position`` is the 0-based character offset)."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(message)
        self.message = message
        self.position = position


class EvaluationError(ArithmeticError):
    """The formula parsed but cannot be computed (division by zero, missing value)."""


def tokenize(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) for every token of ``text``; kinds are num, ident and op."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            _("The formula is too long (at most %(max)d characters).") % {"max": MAX_LENGTH}
        )
    tokens: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            offset = position + (len(text[position:]) - len(text[position:].lstrip()))
            raise FormulaError(
                _("Unexpected character %(char)s at position %(pos)d.")
                % {"char": repr(text[offset]), "pos": offset + 1},
                offset,
            )
        kind = match.lastgroup
        tokens.append((kind, match.group(kind), match.start(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.index += 1
        return token

    def fail_here(self, message: str):
        token = self.peek()
        position = token[2] if token else len(self.text)
        raise FormulaError(message, position)

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaError(_("The formula is empty."))
        node = self.expression(0)
        token = self.peek()
        if token is not None:
            self.fail_here(
                _("Unexpected %(token)s at position %(pos)d.")
                % {"token": repr(token[1]), "pos": token[2] + 1}
            )
        return node

    def expression(self, depth: int) -> Node:
        node = self.term(depth)
        while (token := self.peek()) is not None and token[1] in "+-" and token[0] == "op":
            self.take()
            node = ("bin", token[1], node, self.term(depth))
        return node

    def term(self, depth: int) -> Node:
        node = self.unary(depth)
        while (token := self.peek()) is not None and token[1] in "*/" and token[0] == "op":
            self.take()
            node = ("bin", token[1], node, self.unary(depth))
        return node

    def unary(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            self.fail_here(_("The formula is nested too deeply."))
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in "+-":
            self.take()
            operand = self.unary(depth + 1)
            return ("neg", operand) if token[1] == "-" else operand
        return self.primary(depth)

    def primary(self, depth: int) -> Node:
        token = self.take()
        if token is None:
            raise FormulaError(_("The formula ends too early."), len(self.text))
        kind, value, position = token
        if kind == "num":
            return ("num", Decimal(value))
        if kind == "ident":
            return ("var", value)
        if value == "(":
            node = self.expression(depth + 1)
            closing = self.take()
            if closing is None or closing[1] != ")":
                raise FormulaError(
                    _("A closing parenthesis is missing."),
                    closing[2] if closing else len(self.text),
                )
            return node
        raise FormulaError(
            _("Unexpected %(token)s at position %(pos)d.")
            % {"token": repr(value), "pos": position + 1},
            position,
        )


def parse(text: str) -> Node:
    """The tree of ``text``; raises ``FormulaError`` on anything outside the grammar."""
    return _Parser(text or "").parse()


def identifiers(node: Node) -> set[str]:
    """The identifiers a tree refers to."""
    kind = node[0]
    if kind == "var":
        return {node[1]}
    if kind == "neg":
        return identifiers(node[1])
    if kind == "bin":
        return identifiers(node[2]) | identifiers(node[3])
    return set()


def evaluate(node: Node, values: Mapping[str, Decimal | int | None]) -> Decimal:
    """The value of ``node`` with identifiers taken from ``values`` (exact Decimal maths).

    Raises ``EvaluationError`` when an identifier has no value or on division by zero.
    """
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "var":
        value = values.get(node[1])
        if value is None:
            raise EvaluationError(_("No value for %(name)s.") % {"name": node[1]})
        return Decimal(value)
    if kind == "neg":
        return _CONTEXT.minus(evaluate(node[1], values))
    op, left, right = node[1], evaluate(node[2], values), evaluate(node[3], values)
    try:
        if op == "+":
            return _CONTEXT.add(left, right)
        if op == "-":
            return _CONTEXT.subtract(left, right)
        if op == "*":
            return _CONTEXT.multiply(left, right)
        if right == 0:
            raise EvaluationError(_("Division by zero."))
        return _CONTEXT.divide(left, right)
    except (DivisionByZero, InvalidOperation) as exc:
        raise EvaluationError(_("Division by zero.")) from exc


def to_text(node: Node) -> str:
    """A fully parenthesised text of the tree (``parse(to_text(t)) == t``)."""
    kind = node[0]
    if kind == "num":
        return format(node[1], "f")
    if kind == "var":
        return node[1]
    if kind == "neg":
        return f"-({to_text(node[1])})"
    return f"({to_text(node[2])} {node[1]} {to_text(node[3])})"
