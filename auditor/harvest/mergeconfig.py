"""mergekit configurations: the models a merge is made of, as mergekit writes them into the
`mergekit_config.yml` of every merge it makes and into the merge's card.

The configuration is YAML, read within the bounds of card front matter (frontmatter.parse). Every
`model` and `base_model` value anywhere in it (`models`, `slices[].sources`, the top-level base)
names a parent, in mergekit's forms: a Hub id (`org/x@rev` pins a revision), a Hub URL, a local
path, `base+lora` (a LoRA applied to a model before merging: both are parents) and the long form
`{model: {path: ...}, lora: {path: ...}}`. A local path names a parent whose terms are unknown unless
it lies in the Hub cache (`models--org--name`), which names the repository. An entry that names no
model is reported as unread: the merge's parents, and so its terms, are then unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from auditor.identity import model_named
from auditor.model import UNREAD_ENTRY
from auditor.readers import frontmatter
from auditor.readers.values import JSON, shorten, type_name
from auditor.vocabulary import Scheme

FILE = "mergekit_config.yml"
MAX_MERGED = 32  # parents read from one configuration: bounds the upstreams a merge adds
_MODEL_KEYS = frozenset({"model", "base_model"})
_LONG_FORM_KEYS = frozenset({"model", "lora", "path"})  # {model: {path: x, revision: r}, lora: {path: y}}


@dataclass(frozen=True)
class Parent:
    """A model the merge is made of: a Hub id (scheme hub), else a local path (scheme name)."""

    target: str
    scheme: str
    revision: str | None
    pointer: str
    line: int | None


Told = tuple[str, str, str, int | None]  # (problem code, message, pointer, line)


def parents(text: str, first_line: int, what: str) -> tuple[list[Parent], list[Told]]:
    """The parents the configuration `text` names (its first line is `first_line` of the file, `what`
    names it in messages), once each, and what could not be read."""
    try:
        meta = frontmatter.parse(text, first_line, what)
    except frontmatter.FrontMatterError as exc:
        return [], [(UNREAD_ENTRY, f"{what} cannot be read ({exc}): the merge's parents are unknown", "", exc.line)]
    found: dict[str, Parent] = {}
    told: list[Told] = []
    for value, pointer in _entries(meta.data, "", _MODEL_KEYS):
        line = meta.line(pointer)
        parts = value.split("+") if isinstance(value, str) else []
        if not parts or not all(p.strip() for p in parts):
            told.append((UNREAD_ENTRY, f"'{pointer}' names no model ({_shown(value)}) in {what}", pointer, line))
        for part in parts if all(p.strip() for p in parts) else []:
            parent = _parent(part.strip(), pointer, line)
            found.setdefault(parent.target.lower(), parent)
            if parent.scheme == Scheme.NAME:
                told.append(("bad-field", local_path(pointer, part.strip()), pointer, line))
    if len(found) > MAX_MERGED:
        told.append(("truncated", f"{what} names {len(found)} models; the first {MAX_MERGED} are read", "", None))
    return list(found.values())[:MAX_MERGED], told


def local_path(pointer: str, path: str) -> str:
    """What a model named by a local path outside the Hub cache means."""
    return (
        f"'{pointer}' is '{shorten(path)}', a local path that names no Hub repository: "
        "kept as an upstream whose terms are unknown"
    )


def _entries(value: JSON, pointer: str, keys: frozenset[str]) -> Iterator[tuple[JSON, str]]:
    """(value, pointer) of each model entry below `value`: a value of one of `keys`, through lists,
    and through mergekit's long form (a mapping under a model key)."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _entries(item, f"{pointer}[{i}]", keys)
    elif isinstance(value, dict):
        for key, child in value.items():
            at = f"{pointer}.{key}" if pointer else key
            if key not in keys:
                yield from _entries(child, at, _MODEL_KEYS)
            elif isinstance(child, dict) and _LONG_FORM_KEYS & child.keys():
                yield from _entries(child, at, _LONG_FORM_KEYS)
            else:
                yield child, at


def _parent(name: str, pointer: str, line: int | None) -> Parent:
    named = model_named(name)
    if named is None:
        return Parent(name, Scheme.NAME, None, pointer, line)
    return Parent(named[0], Scheme.HUB, named[1], pointer, line)


def _shown(value: JSON) -> str:
    return f"'{shorten(value)}'" if isinstance(value, str) else f"found {type_name(value)}"
