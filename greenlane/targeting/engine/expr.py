"""The rule condition language: a small, typed subset of Python expressions compiled to SQL and to Python.

Grammar (parsed with :mod:`ast`, anything else is refused)::

    expr := expr and expr | expr or expr | not expr | (expr)
          | value op value            op: == != < <= > >=
          | value [not] in LIST_NAME | value [not] in (const, const, ...)
          | value + - * / value | -value | const | field | func(args)
    func := missing(x) present(x) length(s) lower(s) upper(s) abs(n) coalesce(a, b) startswith(s, prefix)

Fields are shipment columns or derived fields (lower case); LIST_NAME is an upper-case name from the rule
set's ``lists``. NULL semantics follow SQL: a comparison with a missing value is unknown (None), and/or/not
use three-valued logic, division by zero is unknown, and an indicator fires only when its condition is true.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .schema import BOOL, DATE, NUM, STR, field_kind, py_missing, q

Row = Mapping[str, Any]
PyFn = Callable[[Row], Any]


class ExpressionError(ValueError):
    """A rule condition that does not parse or type-check."""


@dataclass(frozen=True)
class Compiled:
    sql: str
    py: PyFn
    kind: str
    fields: frozenset[str]


def _num_literal(value: int | float) -> str:
    if isinstance(value, bool):
        raise ExpressionError("booleans are not numbers")
    if isinstance(value, int):
        return str(value) if value >= 0 else f"({value})"
    # A string cast parses the decimal text with correct rounding, like Python does.
    return f"CAST('{value!r}' AS DOUBLE)"


def _const_kind(value: object) -> str:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, (int, float)):
        return NUM
    if isinstance(value, str):
        return STR
    raise ExpressionError(f"unsupported constant {value!r}")


def _sql_const(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return _num_literal(value)
    return q(str(value))


def _kleene_and(fns: list[PyFn]) -> PyFn:
    def f(r: Row) -> Any:
        unknown = False
        for fn in fns:
            v = fn(r)
            if v is False:
                return False
            if v is None:
                unknown = True
        return None if unknown else True

    return f


def _kleene_or(fns: list[PyFn]) -> PyFn:
    def f(r: Row) -> Any:
        unknown = False
        for fn in fns:
            v = fn(r)
            if v is True:
                return True
            if v is None:
                unknown = True
        return None if unknown else False

    return f


def _as_float(fn: PyFn) -> PyFn:
    return lambda r: None if (v := fn(r)) is None else float(v)


_CMP_SQL = {ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_CMP_PY: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
_ARITH_SQL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
_ARITH_PY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
}


class _Compiler:
    def __init__(self, lists: Mapping[str, frozenset[Any]]):
        self.lists = lists
        self.fields: set[str] = set()

    def compile(self, node: ast.AST) -> tuple[str, PyFn, str]:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExpressionError(f"'{type(node).__name__}' is not allowed in a rule condition")
        return method(node)

    def _Expression(self, node: ast.Expression) -> tuple[str, PyFn, str]:
        return self.compile(node.body)

    def _Constant(self, node: ast.Constant) -> tuple[str, PyFn, str]:
        value = node.value
        kind = _const_kind(value)
        return _sql_const(value), (lambda r: value), kind

    def _Name(self, node: ast.Name) -> tuple[str, PyFn, str]:
        name = node.id
        if name in self.lists:
            raise ExpressionError(f"list {name} can only be used after 'in'")
        kind = field_kind(name)
        if kind is None:
            if name.isupper():
                raise ExpressionError(f"unknown list '{name}'")
            raise ExpressionError(f"unknown column '{name}'")
        if kind == DATE:
            raise ExpressionError(f"date column '{name}' cannot be used in a rule condition")
        self.fields.add(name)
        return name, (lambda r: r[name]), kind

    def _BoolOp(self, node: ast.BoolOp) -> tuple[str, PyFn, str]:
        parts = [self._bool(v) for v in node.values]
        is_and = isinstance(node.op, ast.And)
        sql = (" AND " if is_and else " OR ").join(s for s, _ in parts)
        fns = [f for _, f in parts]
        return f"({sql})", (_kleene_and(fns) if is_and else _kleene_or(fns)), BOOL

    def _bool(self, node: ast.AST) -> tuple[str, PyFn]:
        sql, fn, kind = self.compile(node)
        if kind != BOOL:
            raise ExpressionError(f"expected a condition, got a {kind} value: {ast.unparse(node)}")
        return sql, fn

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[str, PyFn, str]:
        if isinstance(node.op, ast.Not):
            sql, fn = self._bool(node.operand)
            return f"(NOT {sql})", (lambda r: None if (v := fn(r)) is None else not v), BOOL
        if isinstance(node.op, ast.USub):
            if isinstance(node.operand, ast.Constant) and _const_kind(node.operand.value) == NUM:
                value = -node.operand.value  # type: ignore[operator]  # a numeric constant, checked above
                return _sql_const(value), (lambda r: value), NUM
            sql, fn, kind = self.compile(node.operand)
            if kind != NUM:
                raise ExpressionError(f"cannot negate a {kind} value")
            return f"(- {sql})", (lambda r: None if (v := fn(r)) is None else -v), NUM
        raise ExpressionError(f"operator {type(node.op).__name__} is not allowed")

    def _BinOp(self, node: ast.BinOp) -> tuple[str, PyFn, str]:
        ls, lf, lk = self.compile(node.left)
        rs, rf, rk = self.compile(node.right)
        if lk != NUM or rk != NUM:
            raise ExpressionError(f"arithmetic needs numbers: {ast.unparse(node)}")
        # Arithmetic runs in double precision on both sides, so integer overflow cannot differ.
        ls, rs = f"CAST({ls} AS DOUBLE)", f"CAST({rs} AS DOUBLE)"
        lf, rf = _as_float(lf), _as_float(rf)
        op = type(node.op)
        if op is ast.Div:

            def div(r: Row) -> Any:
                a, b = lf(r), rf(r)
                if a is None or b is None or b == 0:
                    return None
                return a / b

            return f"({ls} / NULLIF({rs}, 0))", div, NUM
        if op not in _ARITH_SQL:
            raise ExpressionError(f"operator {op.__name__} is not allowed")
        pyop = _ARITH_PY[op]

        def arith(r: Row) -> Any:
            a, b = lf(r), rf(r)
            return None if a is None or b is None else pyop(a, b)

        return f"({ls} {_ARITH_SQL[op]} {rs})", arith, NUM

    def _Compare(self, node: ast.Compare) -> tuple[str, PyFn, str]:
        if len(node.ops) != 1:
            raise ExpressionError(f"chained comparisons are not allowed: {ast.unparse(node)}")
        op, right = node.ops[0], node.comparators[0]
        ls, lf, lk = self.compile(node.left)
        if isinstance(op, (ast.In, ast.NotIn)):
            values = self._members(right)
            if values:
                kinds = {_const_kind(v) for v in values}
                if kinds != {lk}:
                    raise ExpressionError(f"list members and value differ in type: {ast.unparse(node)}")
            negate = isinstance(op, ast.NotIn)
            frozen = frozenset(values)
            if not values:
                sql = f"(CASE WHEN {ls} IS NULL THEN NULL ELSE {'TRUE' if negate else 'FALSE'} END)"
            else:
                sql_vals = ", ".join(_sql_const(v) for v in sorted(values, key=repr))
                sql = f"({ls} {'NOT IN' if negate else 'IN'} ({sql_vals}))"

            def member(r: Row) -> Any:
                v = lf(r)
                if v is None:
                    return None
                return (v in frozen) != negate

            return sql, member, BOOL
        rs, rf, rk = self.compile(right)
        if lk != rk:
            raise ExpressionError(f"cannot compare {lk} with {rk}: {ast.unparse(node)}")
        if lk == BOOL and not isinstance(op, (ast.Eq, ast.NotEq)):
            raise ExpressionError(f"booleans only compare with == or !=: {ast.unparse(node)}")
        pyop = _CMP_PY[type(op)]

        def cmp(r: Row) -> Any:
            a, b = lf(r), rf(r)
            return None if a is None or b is None else pyop(a, b)

        return f"({ls} {_CMP_SQL[type(op)]} {rs})", cmp, BOOL

    def _members(self, node: ast.AST) -> list[Any]:
        if isinstance(node, ast.Name):
            if node.id not in self.lists:
                raise ExpressionError(f"unknown list '{node.id}'")
            return list(self.lists[node.id])
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            out = []
            for elt in node.elts:
                if not isinstance(elt, ast.Constant):
                    raise ExpressionError("an inline list may hold constants only")
                out.append(elt.value)
            return out
        raise ExpressionError("'in' needs a list name or an inline list of constants")

    def _Call(self, node: ast.Call) -> tuple[str, PyFn, str]:
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise ExpressionError(f"unsupported call {ast.unparse(node)}")
        name = node.func.id
        args = [self.compile(a) for a in node.args]
        spec = _FUNCS.get(name)
        if spec is None:
            raise ExpressionError(f"unknown function '{name}'")
        arg_kinds, result_kind, build = spec
        if len(args) != len(arg_kinds):
            raise ExpressionError(f"{name}() takes {len(arg_kinds)} argument(s)")
        for (_, _, k), want in zip(args, arg_kinds, strict=True):
            if want != "any" and k != want:
                raise ExpressionError(f"{name}() expects {want}, got {k}")
        if name == "coalesce" and args[0][2] != args[1][2]:
            raise ExpressionError("coalesce() arguments must have the same type")
        kind = args[0][2] if result_kind == "same" else result_kind
        sql, fn = build(args)
        return sql, fn, kind


def _f_missing(args: list[tuple[str, PyFn, str]]) -> tuple[str, PyFn]:
    s, f, k = args[0]
    if k == STR:
        return f"({s} IS NULL OR trim({s}) = '')", lambda r: py_missing(f(r))
    return f"({s} IS NULL)", lambda r: f(r) is None


def _f_present(args: list[tuple[str, PyFn, str]]) -> tuple[str, PyFn]:
    s, f = _f_missing(args)
    return f"(NOT {s})", lambda r: not f(r)


def _unary(
    sql_name: str, py: Callable[[Any], Any]
) -> Callable[[list[tuple[str, PyFn, str]]], tuple[str, PyFn]]:
    def build(args: list[tuple[str, PyFn, str]]) -> tuple[str, PyFn]:
        s, f, _ = args[0]
        return f"{sql_name}({s})", lambda r: None if (v := f(r)) is None else py(v)

    return build


def _f_coalesce(args: list[tuple[str, PyFn, str]]) -> tuple[str, PyFn]:
    (a, fa, _), (b, fb, _) = args
    return f"coalesce({a}, {b})", lambda r: v if (v := fa(r)) is not None else fb(r)


def _f_startswith(args: list[tuple[str, PyFn, str]]) -> tuple[str, PyFn]:
    (a, fa, _), (b, fb, _) = args

    def fn(r: Row) -> Any:
        x, y = fa(r), fb(r)
        return None if x is None or y is None else x.startswith(y)

    return f"starts_with({a}, {b})", fn


_FUNCS: dict[str, tuple[tuple[str, ...], str, Callable[[list[tuple[str, PyFn, str]]], tuple[str, PyFn]]]] = {
    "missing": (("any",), BOOL, _f_missing),
    "present": (("any",), BOOL, _f_present),
    "length": ((STR,), NUM, _unary("length", len)),
    "lower": ((STR,), STR, _unary("lower", str.lower)),
    "upper": ((STR,), STR, _unary("upper", str.upper)),
    "abs": ((NUM,), NUM, _unary("abs", abs)),
    "coalesce": (("any", "any"), "same", _f_coalesce),
    "startswith": ((STR, STR), BOOL, _f_startswith),
}


def compile_condition(text: str, lists: Mapping[str, frozenset[Any]]) -> Compiled:
    """Compile one condition to SQL and a Python function; raise :class:`ExpressionError` if invalid."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("a condition must be a non-empty string")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error in condition {text!r}: {exc.msg}") from None
    comp = _Compiler(lists)
    sql, fn, kind = comp.compile(tree)
    if kind != BOOL:
        raise ExpressionError(f"condition {text!r} is a {kind} value, not true/false")
    return Compiled(sql=sql, py=fn, kind=kind, fields=frozenset(comp.fields))
