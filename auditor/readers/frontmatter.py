"""Card front matter: YAML read as plain text values, with the line of every field.

The Hub's cards are YAML, but YAML 1.1 resolution would turn `no` into False, `2024-01-01` into a
date and `1.10` into 1.1. We compose the YAML into nodes and keep every scalar as the string the
author wrote (only YAML nulls, `null`, `~` or nothing, become None), so nothing is coerced.
Merge keys (`<<: *base`, `<<: [*a, *b]`) are applied as the Hub's PyYAML applies them.
safeyaml.compose bounds the nesting, the keys and values of the text (reading stops at the bound)
and what aliases expand to ("billion laughs", recursive anchors), so the walk below is bounded too;
pointers are cut at MAX_POINTER, so their memory is too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

import yaml

from auditor.readers import safeyaml
from auditor.readers.values import JSON

MAX_NODES = 50_000  # keys and values of the text, and what its aliases expand to
MAX_POINTER = 200  # characters of a field's pointer: real ones are a few dozen
# huggingface_hub.repocard.REGEX_YAML_BLOCK (text arrives with LF newlines)
_YAML_BLOCK = re.compile(r"^(\s*---\n)([\S\s]*?)(\n---[ \t]*(?:\n|$))")
_OPENING = re.compile(r"\s*---\n")
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class FrontMatterError(ValueError):
    """The front matter cannot be used; the message says why and where."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass
class FrontMatter:
    data: dict[str, JSON]
    lines: dict[str, int] = field(default_factory=dict)  # pointer -> 1-based line in the file
    duplicates: list[tuple[str, int]] = field(default_factory=list)

    def line(self, pointer: str) -> int | None:
        return self.lines.get(pointer)


def split(text: str) -> tuple[str | None, int, str, int]:
    """Split a card into (front matter or None, its first line, body, body's first line) as the Hub
    does: its REGEX_YAML_BLOCK, so blank lines may precede the opening '---'. Linear: the pattern is
    anchored at the start and its lazy block stops at the first closing '---'."""
    block = _YAML_BLOCK.match(text)
    if block is None:
        opened = _OPENING.match(text)
        if opened and "\n---" not in text[opened.end() - 1 :]:
            raise FrontMatterError("front matter opened with '---' is never closed", opened.group(0).count("\n"))
        return None, 0, text, 1
    first = block.group(1).count("\n") + 1
    return block.group(2), first, text[block.end() :], first + block.group(0).count("\n") - block.group(1).count("\n")


def parse(source: str, first_line: int, what: str = "front matter") -> FrontMatter:
    """Parse front matter text whose first line is `first_line` of the file; `what` names the
    text in messages (other YAML files of mlaudit's are read the same way)."""
    built = _from_events(source, first_line)
    if built is not None:
        return built
    try:
        node = safeyaml.compose(source, max_nodes=MAX_NODES)
    except safeyaml.Refused as exc:
        raise FrontMatterError(str(exc), exc.line + first_line - 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise FrontMatterError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML: {safeyaml.said(exc)}") from None
    if node is None:
        return FrontMatter({})
    if not isinstance(node, yaml.MappingNode):
        shape = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise FrontMatterError(f"{what} is {shape}, expected a mapping of fields", first_line)
    result = FrontMatter({})
    result.data = _plain(node, "", first_line, result)
    return result


def _plain(node: yaml.Node, pointer: str, offset: int, out: FrontMatter) -> JSON:
    out.lines.setdefault(pointer, node.start_mark.line + offset)
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _NULL_TAG:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, _item(pointer, i), offset, out) for i, item in enumerate(node.value)]
    mapping: dict[str, JSON] = {}
    explicit: set[str] = set()
    own = [(k, v, True) for k, v in node.value if k.tag != _MERGE_TAG]
    for key_node, value_node, written in [(k, v, False) for k, v in _merged(node, offset)] + own:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
        child = _child(pointer, key)
        if written and key in explicit:
            out.duplicates.append((child, key_node.start_mark.line + offset))
        if written:
            explicit.add(key)
        mapping[key] = _plain(value_node, child, offset, out)
        out.lines[child] = key_node.start_mark.line + offset
    return mapping


def _child(pointer: str, key: str) -> str:
    """The pointer of a mapping's field, cut at MAX_POINTER: a long key (explicit keys have no length
    limit) would otherwise be copied into the pointer of every value below it."""
    return (f"{pointer}.{key[:MAX_POINTER]}" if pointer else key[:MAX_POINTER])[:MAX_POINTER]


def _item(pointer: str, index: int) -> str:
    return f"{pointer}[{index}]"[:MAX_POINTER]


def _merged(node: yaml.Node, offset: int) -> list[tuple[yaml.Node, yaml.Node]]:
    """The pairs the mapping's merge keys bring, in PyYAML's order (its flatten_mapping), so that a
    later pair overrides: a later merge key over an earlier one, the first mapping of a merged list
    over the next. They are the aliased nodes' own pairs, so safeyaml's expansion bound covers them."""
    pairs: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE_TAG:
            continue
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        if not all(isinstance(source, yaml.MappingNode) for source in sources):
            line = value_node.start_mark.line + offset
            raise FrontMatterError("invalid YAML: a merge key ('<<') takes a mapping or a list of mappings", line)
        for source in reversed(sources):
            pairs += _merged(source, offset) + [p for p in source.value if p[0].tag != _MERGE_TAG]
    return pairs


# --- the common case in one pass ------------------------------------------------------------------
# Most front matter is a mapping without aliases: its values are built straight from libyaml's
# events, in the pass that also bounds the nesting, with what `_plain` gives from composed nodes
# (the composer's scalar resolution, the same pointers, lines and duplicates). Anything else, or
# anything near a bound, gives None and takes the path above, which decides and words the refusal.
_RESOLVER = yaml.resolver.Resolver()
_NULL_SPELLINGS = frozenset({"", "~", "null", "Null", "NULL"})  # the only values the resolver reads as null
_NODE = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_END = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


@dataclass
class _Open:
    """A collection being built: its value, its pointer and, in a mapping, the key awaiting its value."""

    value: dict[str, JSON] | list[JSON]
    pointer: str
    key: tuple[str, str, int] | None = None  # (key, the value's pointer, the key's line)

    def awaits_key(self) -> bool:
        return isinstance(self.value, dict) and self.key is None


def _from_events(source: str, offset: int) -> FrontMatter | None:
    out, stack, events, done = FrontMatter({}), list[_Open](), 0, list[JSON]()
    try:
        for event in yaml.parse(source, Loader=safeyaml.Loader):
            events, kind = events + 1, type(event)  # libyaml's events are of these exact classes
            if kind in _NODE:
                if events > MAX_NODES or len(stack) >= safeyaml.MAX_DEPTH:
                    return None
                if stack and stack[-1].awaits_key():
                    if kind is not yaml.ScalarEvent or _merges(cast(yaml.ScalarEvent, event)):
                        return None  # a collection as a key, or a merge key (`<<`)
                    _key(cast(yaml.ScalarEvent, event), stack[-1], out, offset)
                    continue
                pointer = _pointer(stack)
                out.lines.setdefault(pointer, _line(event) + offset)
                if kind is yaml.ScalarEvent:
                    _attach(stack, _scalar(cast(yaml.ScalarEvent, event)), out, done)
                else:
                    stack.append(_Open({} if kind is yaml.MappingStartEvent else [], pointer))
            elif kind in _END:
                _attach(stack, stack.pop().value, out, done)
            elif kind is yaml.AliasEvent or (kind is yaml.DocumentStartEvent and done):
                return None  # aliases, or a second document (which the composer refuses)
    except yaml.YAMLError:
        return None
    if not done or not isinstance(done[0], dict):
        return out if not done else None  # no document at all is no metadata
    out.data = done[0]
    return out


def _key(event: yaml.ScalarEvent, mapping: _Open, out: FrontMatter, offset: int) -> None:
    key, line = event.value, _line(event) + offset
    child = _child(mapping.pointer, key)
    if key in mapping.value:
        out.duplicates.append((child, line))
    mapping.key = (key, child, line)


def _merges(key: yaml.ScalarEvent) -> bool:
    """Whether a key may be a merge key: the composed path applies merges (and their aliases)."""
    return key.value == "<<" or key.tag == _MERGE_TAG


def _pointer(stack: list[_Open]) -> str:
    if not stack:
        return ""
    top = stack[-1]
    if isinstance(top.value, list):
        return _item(top.pointer, len(top.value))
    return top.key[1] if top.key else top.pointer


def _attach(stack: list[_Open], value: JSON, out: FrontMatter, done: list[JSON]) -> None:
    if not stack:
        done.append(value)
    elif isinstance(stack[-1].value, list):
        stack[-1].value.append(value)
    elif stack[-1].key:
        key, child, line = stack[-1].key
        stack[-1].value[key] = value
        out.lines[child] = line
        stack[-1].key = None


def _scalar(event: yaml.ScalarEvent) -> str | None:
    """The value as the composer tags it: only a null is not a string."""
    tag = event.tag
    if (tag is None or tag == "!") and event.value in _NULL_SPELLINGS:
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    return None if tag == _NULL_TAG else event.value


def _line(event: yaml.Event) -> int:
    return event.start_mark.line if event.start_mark else 0
