"""A model's relation to its base as the Hugging Face Hub reads it from a card or a record:
`base_model_relation`, a `base_model:<relation>:` tag, else inferred in the Hub's order from the
files beside the card (adapter_config.json, a config.json's quantization_config), merge signs
(several bases, mergekit's tags, a merge configuration in the body) and quantization tags.
Shared by the card reader and the tables of Hub records, so that both read it alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from auditor.harvest import modelfolder
from auditor.identity import looks_like_hub_id
from auditor.model import Evidence, Reference
from auditor.readers import markdown, safejson
from auditor.readers.values import JSON
from auditor.vocabulary import HUB_RELATIONS

QUANTIZED_TAGS = frozenset({"gguf", "gptq", "awq", "exl2", "quantized", "4-bit", "8-bit", "bitsandbytes"})
# What makes the Hub read a card as a merge besides several base models: mergekit's tags and library.
MERGE_TAGS = frozenset({"merge", "mergekit"})
MAX_MERGED = 32  # model ids read from one card's merge configuration: bounds the upstreams a card adds
_FENCE = re.compile(r"^\s*(```|~~~)")
_MERGE_METHOD = re.compile(r"^\s*merge_method\s*:", re.I)
_MERGED_MODEL = re.compile(r"^\s*(?:-\s*)?(?:model|base_model)\s*:\s*['\"]?([^\s'\"#]+)['\"]?\s*(?:#.*)?$")


@dataclass(frozen=True)
class Beside:
    """What the files beside a card say of its relation to its base, which the Hub reads too: an
    adapter_config.json (an adapter), the quantization method of its config.json (a quantized copy)."""

    adapter: bool = False
    quant_method: str | None = None

    @classmethod
    def of(cls, folder: Path) -> Beside:
        """What the files in the card's `folder` say."""
        return cls((folder / "adapter_config.json").is_file(), _quant_method(folder / "config.json"))


NOTHING_BESIDE = Beside()  # a record read without its folder (a row of Hub records)


def _quant_method(config: Path) -> str | None:
    """The quantization method a config.json names, or None (also for one that cannot be read: the
    model folder's reader reports it)."""
    try:
        data = safejson.load(config) if config.is_file() else None
    except (safejson.JSONRefused, OSError):
        return None
    return modelfolder.quant_method(data) if isinstance(data, dict) else None


def base_model_tag(tag: str) -> tuple[str, str | None] | None:
    """(base model, the relation it states or None) of a `base_model:org/x` or
    `base_model:<relation>:org/x` tag, which the Hub computes (with the relation it inferred) and
    cards often copy; None for another tag."""
    prefix, _, value = tag.partition(":")
    if prefix != "base_model" or not value:
        return None
    relation, _, target = value.partition(":")
    return (target, relation) if relation in HUB_RELATIONS and target else (value, None)


def tag_relations(tags: list[str]) -> dict[str, tuple[str, str]]:
    """base model (lowercase) -> (relation, pointer of its first tag) that `base_model:<relation>:` tags state."""
    stated: dict[str, tuple[str, str]] = {}
    for i, tag in enumerate(tags):
        named = base_model_tag(tag)
        if named and named[1]:
            stated.setdefault(named[0].lower(), (named[1], f"tags[{i}]"))
    return stated


def tagged(reference: Reference, stated: dict[str, tuple[str, str]], whose: str) -> Reference:
    """A base model's relation as `whose` tag states it (`stated`: tag_relations), over mlaudit's
    inference, unless base_model_relation declares one."""
    found = stated.get(reference.target.lower())
    if reference.kind != "model" or found is None or reference.basis.startswith("declared"):
        return reference
    relation, pointer = found
    basis = f"{whose} tag base_model:{relation} ({pointer})"
    return Reference(
        reference.target, "model", relation, reference.evidence, basis, reference.scheme, reference.revision
    )


def inferred(
    data: dict[str, JSON], bases: list[tuple[str, Evidence, str | None]], merge_config: bool, beside: Beside
) -> tuple[str, str]:
    """The Hub's inference when base_model_relation is absent, in its order: adapter files, then
    merge signs, then quantization signs, else a fine-tune."""
    tagged_as = {t.lower() for t in tags(data)}
    library = str(data.get("library_name") or "").lower()
    if library == "peft" or beside.adapter:
        return "adapter", "inferred: PEFT adapter (library_name peft or adapter_config.json)"
    if len(bases) > 1:
        return "merge", "inferred: several base models"
    merged = (
        ["a merge configuration"]
        if merge_config
        else sorted(tagged_as & MERGE_TAGS) or ([library] if library in MERGE_TAGS else [])
    )
    if merged:
        return "merge", f"inferred: {merged[0] if merge_config else 'merge tag ' + merged[0]}"
    quantized = sorted(tagged_as & QUANTIZED_TAGS) or ([library] if library in QUANTIZED_TAGS else [])
    if quantized:
        return "quantized", f"inferred: quantization tag {quantized[0]}"
    if beside.quant_method:
        return "quantized", f"inferred: config.json quantization_config ({beside.quant_method})"
    return "finetune", "inferred: single base model"


def merged_models(body: str, body_line: int) -> list[tuple[str, int]]:
    """(Hub id, line) of the models a merge configuration in the body names: a fenced block with a
    merge_method, as mergekit writes into the cards it makes. One pass over the lines, at most
    MAX_MERGED ids."""
    found: list[tuple[str, int]] = []
    block: list[tuple[str, int]] | None = None
    in_merge, text = False, body[: markdown.MAX_BODY]
    if "```" not in text and "~~~" not in text:
        return []  # no fenced block, no merge configuration (most cards)
    for number, line in enumerate(text.splitlines(), body_line):
        if _FENCE.match(line):
            if block is not None and in_merge:
                found += block
            block, in_merge = ([] if block is None else None), False
        elif block is not None:
            in_merge = in_merge or bool(_MERGE_METHOD.match(line))
            model = _MERGED_MODEL.match(line)
            if model and looks_like_hub_id(model.group(1)):
                block.append((model.group(1), number))
    first: dict[str, tuple[str, int]] = {}
    for merged, number in found:
        first.setdefault(merged.lower(), (merged, number))
    return list(first.values())[:MAX_MERGED]


def tags(data: dict[str, JSON]) -> list[str]:
    """The card's tags, in place (one that is not a string as empty)."""
    tags = data.get("tags")
    return [t if isinstance(t, str) else "" for t in tags] if isinstance(tags, list) else []
