"""YAML composed within bounds: nesting checked before anything builds nodes, aliases after.

PyYAML composes and constructs nodes recursively: a few thousand nested brackets raise
RecursionError in Python and, through libyaml's composer, tens of thousands crash the process.
libyaml's event parser is a state machine, so streaming its events is linear in the text and
safe at any depth; the nesting is measured there and refused past MAX_DEPTH. Aliases then make
the nodes a graph whose expansion can be exponential (alias bombs), deeper than the text
(a chain of anchors) or infinite (an alias to an enclosing anchor): one pass over the distinct
nodes measures the expansion and refuses all three before anything walks the data. Text with no
alias is a tree the event pass has measured already: the walk is left out. The event pass also
counts the text's own keys and values and stops past the bound, so nothing is composed of text
larger than that: the nodes a megabyte would make cost about 250 bytes of memory per byte of text.
"""

from __future__ import annotations

from typing import Any

import yaml

Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when PyYAML was built with it

MAX_DEPTH = 64  # real manifests nest a handful of levels; far below every recursion limit
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)
_VALUE = (yaml.ScalarEvent, yaml.AliasEvent)  # with _OPEN, the events that are nodes


def load(text: str) -> Any:
    """The values of YAML mlaudit ships (rules, licences, profiles, templates), through libyaml's
    parser when present: several times faster than PyYAML's Python one, and the same safe
    constructor, so the same values. Cards and other untrusted YAML go through `compose`."""
    return yaml.load(text, Loader=Loader)


class Refused(ValueError):
    """The YAML is beyond a bound; `line` (1-based, in the text) is where."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


class TooMany(Refused):
    """The YAML text itself holds more than the bound of keys and values, aliases aside."""

    def __init__(self, max_nodes: int, line: int):
        super().__init__(f"YAML holds more than {max_nodes} keys and values; refused", line)


class TooDeep(Refused):
    """The YAML nests collections deeper than MAX_DEPTH."""

    def __init__(self, line: int):
        super().__init__(f"YAML nesting deeper than {MAX_DEPTH} levels; refused", line)


def compose(text: str, loader: type = Loader, max_nodes: int = 50_000) -> yaml.Node | None:
    """The text's node tree, refused (Refused) when it nests, or expands through its aliases,
    beyond the bounds; syntax errors raise yaml.YAMLError as usual."""
    may_expand = check_depth(text, loader, max_nodes)
    node = yaml.compose(text, Loader=loader)
    if node is not None and may_expand:
        _check_expansion(node, max_nodes)
    return node


def _check_expansion(root: yaml.Node, max_nodes: int) -> None:
    """Refuse a node graph whose expansion is recursive, over `max_nodes` values or deeper than
    MAX_DEPTH; each distinct node is measured once, so this is linear in the nodes composed."""
    measured: dict[int, tuple[int, int]] = {}  # id -> (values, depth) once expanded
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if finished:
            open_nodes.discard(id(node))
            size = min(max_nodes + 1, 1 + sum(measured[id(c)][0] for c in children))
            depth = 1 + max((measured[id(c)][1] for c in children), default=0) if children else 0
            if size > max_nodes:
                raise Refused(
                    f"YAML expands to more than {max_nodes} values through its aliases; refused",
                    node.start_mark.line + 1,
                )
            if depth > MAX_DEPTH:
                raise Refused(
                    f"YAML nests deeper than {MAX_DEPTH} levels through its aliases; refused", node.start_mark.line + 1
                )
            measured[id(node)] = (size, depth)
        elif id(node) in open_nodes:
            raise Refused(
                "YAML alias refers to an enclosing anchor (a recursive structure); refused", node.start_mark.line + 1
            )
        elif id(node) not in measured:
            open_nodes.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in measured)


def keys_twice(root: yaml.Node) -> list[tuple[str, int]]:
    """(pointer `a.b[0].c`, line) of each key given twice in one mapping of the node tree, in document
    order; a tree, as `compose` gives one once it has checked the aliases."""
    found: list[tuple[str, int]] = []
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, at = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend((v, f"{at}[{i}]") for i, v in reversed(list(enumerate(node.value))))
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, _ in node.value:
                name = f"{at}.{key.value}" if at else str(key.value)
                if isinstance(key, yaml.ScalarNode) and key.value in seen:
                    found.append((name, key.start_mark.line + 1))
                seen.add(str(key.value))
            stack.extend((v, f"{at}.{k.value}" if at else str(k.value)) for k, v in reversed(node.value))
    return found


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [v for pair in node.value for v in pair]
    return []


def check_depth(text: str, loader: type = Loader, max_nodes: int = 50_000) -> bool:
    """Raise TooDeep if `text` nests collections deeper than MAX_DEPTH, TooMany as soon as it holds
    more than `max_nodes` keys and values (syntax errors are left to the composer, which reports them
    with their line). Newer libyaml builds stop at their own nesting limit while scanning ahead,
    before the events get that deep: that is the same refusal. Returns whether the composed nodes
    need the expansion check: without aliases, they are a tree within both bounds already."""
    depth, nodes, aliased = 0, 0, False
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, _OPEN + _VALUE):
                nodes += 1
                if nodes > max_nodes:
                    raise TooMany(max_nodes, _line(event))
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise TooDeep(_line(event))
            elif isinstance(event, _CLOSE):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                aliased = True
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            raise TooDeep(exc.problem_mark.line + 1 if exc.problem_mark else 1) from None
        return True
    except yaml.YAMLError:
        return True
    return aliased


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 1


def said(exc: yaml.YAMLError) -> str:
    """A YAML error in one line, without PyYAML's place in its own words (`in "<unicode string>",
    position 11` on a line of its own): messages name the file and line themselves."""
    return str(exc).strip().split("\n", 1)[0]
