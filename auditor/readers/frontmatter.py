"""Card front matter: YAML read as plain text values, with the line of every field.

The Hub's cards are YAML, but YAML 1.1 resolution would turn `no` into False, `2024-01-01` into a
date and `1.10` into 1.1. We compose the YAML into nodes and keep every scalar as the string the
author wrote (only YAML nulls, `null`, `~` or nothing, become None), so nothing is coerced.
safeyaml.compose bounds the nesting and what aliases expand to ("billion laughs", recursive
anchors), so the walk below is bounded too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from auditor.readers import safeyaml
from auditor.readers.values import JSON

MAX_NODES = 50_000
# huggingface_hub.repocard.REGEX_YAML_BLOCK (text arrives with LF newlines)
_YAML_BLOCK = re.compile(r"^(\s*---\n)([\S\s]*?)(\n---[ \t]*(?:\n|$))")
_OPENING = re.compile(r"\s*---\n")
_NULL_TAG = "tag:yaml.org,2002:null"


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
    try:
        node = safeyaml.compose(source, max_nodes=MAX_NODES)
    except safeyaml.Refused as exc:
        raise FrontMatterError(str(exc), exc.line + first_line - 1) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise FrontMatterError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"invalid YAML: {exc}") from None
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
        return [_plain(item, f"{pointer}[{i}]", offset, out) for i, item in enumerate(node.value)]
    mapping: dict[str, JSON] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
        child = f"{pointer}.{key}" if pointer else key
        if key in mapping:
            out.duplicates.append((child, key_node.start_mark.line + offset))
        mapping[key] = _plain(value_node, child, offset, out)
        out.lines[child] = key_node.start_mark.line + offset
    return mapping
