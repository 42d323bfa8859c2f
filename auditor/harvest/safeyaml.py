"""A nesting bound for YAML, checked before anything builds nodes.

PyYAML composes and constructs nodes recursively: a few thousand nested brackets raise
RecursionError in Python and, through libyaml's composer, tens of thousands crash the process.
libyaml's event parser is a state machine, so streaming its events is linear in the text and
safe at any depth; the nesting is measured there and refused past MAX_DEPTH.
"""

from __future__ import annotations

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as Loader

MAX_DEPTH = 64  # real manifests nest a handful of levels; far below every recursion limit
_OPEN = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


class TooDeep(ValueError):
    """The YAML nests collections deeper than MAX_DEPTH; `line` is where the bound was crossed."""

    def __init__(self, line: int):
        super().__init__(f"YAML nesting deeper than {MAX_DEPTH} levels; refused")
        self.line = line


def check_depth(text: str, loader: type = Loader) -> None:
    """Raise TooDeep if `text` nests collections deeper than MAX_DEPTH (syntax errors are left
    to the composer, which reports them with their line). Newer libyaml builds stop at their own
    nesting limit while scanning ahead, before the events get that deep: that is the same refusal."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise TooDeep(event.start_mark.line + 1)
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):
            raise TooDeep(exc.problem_mark.line + 1 if exc.problem_mark else 1) from None
    except yaml.YAMLError:
        return
