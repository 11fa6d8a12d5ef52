"""XPath 1.0 over ElementTree for the IATI ruleset, via ``elementpath``.

The standard ruleset is written in XPath 1.0 (the IATI Validator evaluates it with
the JavaScript ``xpath`` package). elementpath's XPath 1.0 parser compares a string
with a number as Python values (``'1' != 1`` is true there), so the comparison
operators are replaced here with the rules of XPath 1.0, section 3.4
(https://www.w3.org/TR/1999/REC-xpath-19991116/#booleans): node-sets compare by
their nodes' string values, converted to numbers when the other side is a number,
booleans when it is a boolean; ``<``, ``>``, ``<=`` and ``>=`` compare numbers.
"""

from __future__ import annotations

import math
import operator
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from copy import copy
from functools import lru_cache
from typing import Any

from elementpath import XPath1Parser, XPathContext
from elementpath.exceptions import ElementPathError
from elementpath.xpath_nodes import XPathNode

XML_NS = "http://www.w3.org/XML/1998/namespace"
NAMESPACES = {"xml": XML_NS}
_NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def to_number(value: Any) -> float:
    """XPath 1.0 ``number()``: decimal text or NaN (no exponents, no 'inf')."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    return float(text) if _NUMBER.fullmatch(text) else math.nan


def _string(item: Any) -> str:
    if isinstance(item, XPathNode):
        return str(item.string_value)
    if isinstance(item, bool):
        return "true" if item else "false"
    return str(item)


def _compare(op: Callable[[Any, Any], bool], relational: bool, left: Any, right: Any) -> bool:
    """One XPath 1.0 comparison of two evaluated operands."""
    lnodes, rnodes = isinstance(left, list), isinstance(right, list)
    if lnodes and rnodes:
        pairs = [(_string(a), _string(b)) for a in left for b in right]
        if relational:
            return any(op(to_number(a), to_number(b)) for a, b in pairs)
        return any(op(a, b) for a, b in pairs)
    if lnodes or rnodes:
        nodes, other = (left, right) if lnodes else (right, left)
        flip = not lnodes
        if isinstance(other, bool):
            pair = (bool(nodes), other)
            return op(*(pair[::-1] if flip else pair))
        if isinstance(other, int | float) or relational:
            cast: Callable[[Any], Any] = to_number
        else:
            cast = _string
        for node in nodes:
            pair = (cast(_string(node)), cast(other))
            if op(*(pair[::-1] if flip else pair)):
                return True
        return False
    if not relational and (isinstance(left, bool) or isinstance(right, bool)):
        return op(_boolean(left), _boolean(right))
    if relational or isinstance(left, int | float) or isinstance(right, int | float):
        return op(to_number(_string(left)), to_number(_string(right)))
    return op(_string(left), _string(right))


def _boolean(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return bool(value)


def _evaluate_comparison(self: Any, context: Any = None) -> bool:
    left = self[0].evaluate(copy(context))
    right = self[1].evaluate(copy(context))
    return _compare(_OPS[self.symbol], self.symbol in ("<", ">", "<=", ">="), left, right)


class RulesetXPath1Parser(XPath1Parser):
    """XPath 1.0 with the comparisons of the 1.0 recommendation (see the module)."""


for _symbol in _OPS:
    _base = RulesetXPath1Parser.symbol_table[_symbol]
    RulesetXPath1Parser.symbol_table[_symbol] = type(
        _base.__name__, (_base,), {"evaluate": _evaluate_comparison, "__module__": __name__}
    )

_PARSER = RulesetXPath1Parser(namespaces=NAMESPACES)


@lru_cache(maxsize=2048)
def compile_xpath(expression: str) -> Any:
    """The parsed expression (cached: the ruleset reuses a few hundred expressions)."""
    return _PARSER.parse(expression)


class Document:
    """An XML tree prepared once for many XPath evaluations."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.context = XPathContext(root)

    def evaluate(self, expression: str, item: Any = None) -> Any:
        """The value of ``expression`` at ``item`` (the root when None); a list for
        node-sets. An expression the data cannot satisfy (a type error) is empty."""
        context = copy(self.context)
        context.item = item if item is not None else self.context.root  # type: ignore[assignment]
        try:
            return compile_xpath(expression).evaluate(context)
        except ElementPathError:
            return []

    def select(self, expression: str, item: Any = None) -> list[Any]:
        """The nodes ``expression`` selects (an atomic result gives no nodes)."""
        value = self.evaluate(expression, item)
        return value if isinstance(value, list) else []

    def true(self, expression: str, item: Any = None) -> bool:
        """The XPath boolean value of ``expression``."""
        return _boolean(self.evaluate(expression, item))


def text_of(node: Any) -> str:
    """The string value of a node or value."""
    return _string(node)


def element_of(node: Any) -> ET.Element | None:
    """The ElementTree element of a node (an attribute's or text's owner element)."""
    while node is not None:
        elem = getattr(node, "elem", None)
        if isinstance(elem, ET.Element):
            return elem
        node = getattr(node, "parent", None)
    return None


def attribute_name(node: Any) -> str | None:
    """The name of an attribute node (``xml:lang`` for the XML namespace), else None."""
    if type(node).__name__.endswith("AttributeNode"):
        name = str(node.name)
        return name.replace("{" + XML_NS + "}", "xml:")
    return None


def iter_with_parents(root: ET.Element) -> Iterator[tuple[ET.Element, ET.Element | None]]:
    """Every element with its parent (None for the root)."""
    yield root, None
    for parent in root.iter():
        for child in parent:
            yield child, parent
