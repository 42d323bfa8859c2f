"""A model's relation to its base as the Hugging Face Hub reads it from a card or a record:
`base_model_relation`, a `base_model:<relation>:` tag, else inferred in the Hub's order from the
files beside the card (adapter_config.json, quantization settings), merge signs (several bases,
mergekit's tags, a merge configuration in the body or in mergekit_config.yml) and quantization tags.
Shared by the card reader and the tables of Hub records, so that both read it alike."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from auditor.harvest import mergeconfig, modelfolder
from auditor.model import Reference
from auditor.readers import markdown, safejson
from auditor.readers.values import JSON
from auditor.vocabulary import HUB_RELATIONS

QUANTIZED_TAGS = frozenset({"gguf", "gptq", "awq", "exl2", "quantized", "4-bit", "8-bit", "bitsandbytes"})
# What makes the Hub read a card as a merge besides several base models: mergekit's tags and library.
MERGE_TAGS = frozenset({"merge", "mergekit"})
_FENCE = re.compile(r"^\s*(```|~~~)")
_MERGE_METHOD = re.compile(r"^\s*merge_method\s*:", re.I)


@dataclass(frozen=True)
class Beside:
    """What the files beside a card say of its relation to its base, which the Hub reads too: an
    adapter_config.json (an adapter), a mergekit_config.yml (a merge), the quantization method its
    config.json or a quantized model's settings file names (a quantized copy)."""

    adapter: bool = False
    quantized: str | None = None  # the file and field naming the method, and the method
    merge_config: bool = False

    @classmethod
    def of(cls, folder: Path) -> Beside:
        """What the files in the card's `folder` say."""
        configs = ("config.json", *modelfolder.QUANT_FILES)
        method = next(filter(None, (_quantization(folder / name) for name in configs)), None)
        return cls((folder / "adapter_config.json").is_file(), method, (folder / mergeconfig.FILE).is_file())


NOTHING_BESIDE = Beside()  # a record read without its folder (a row of Hub records)


def _quantization(config: Path) -> str | None:
    """The quantization a config file names, as `config.json quantization_config (gptq)`, or None
    (also for one that cannot be read: the model folder's reader reports it)."""
    try:
        data = safejson.load(config) if config.is_file() else None
    except (safejson.JSONRefused, OSError):
        return None
    found = modelfolder.quantization(data, config.name) if isinstance(data, dict) else None
    return f"{config.name} {found[0].partition('.')[0]} ({found[1]})" if found else None


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


def inferred(data: dict[str, JSON], bases: list[Reference], merge_config: bool, beside: Beside) -> tuple[str, str]:
    """The Hub's inference when base_model_relation is absent, in its order: adapter files, then
    merge signs, then quantization signs, else a fine-tune."""
    tagged_as = {t.lower() for t in tags(data)}
    library = str(data.get("library_name") or "").lower()
    if library == "peft" or beside.adapter:
        return "adapter", "inferred: PEFT adapter (library_name peft or adapter_config.json)"
    if len(bases) > 1:
        return "merge", "inferred: several base models"
    if merge_config or beside.merge_config:
        return "merge", "inferred: a merge configuration" + ("" if merge_config else f" in {mergeconfig.FILE}")
    merged = sorted(tagged_as & MERGE_TAGS) or ([library] if library in MERGE_TAGS else [])
    if merged:
        return "merge", f"inferred: merge tag {merged[0]}"
    quantized = sorted(tagged_as & QUANTIZED_TAGS) or ([library] if library in QUANTIZED_TAGS else [])
    if quantized:
        return "quantized", f"inferred: quantization tag {quantized[0]}"
    if beside.quantized:
        return "quantized", f"inferred: {beside.quantized}"
    return "finetune", "inferred: single base model"


def merged_models(body: str, body_line: int) -> tuple[list[mergeconfig.Parent], list[mergeconfig.Told]]:
    """The parents a merge configuration in the body names (a fenced block with a merge_method, as
    mergekit writes into the cards it makes), once each, and what could not be read."""
    text = body[: markdown.MAX_BODY]
    if "```" not in text and "~~~" not in text:
        return [], []  # no fenced block, no merge configuration (most cards)
    found: dict[str, mergeconfig.Parent] = {}
    told: list[mergeconfig.Told] = []
    for block, first in _merge_blocks(text, body_line):
        parents, problems = mergeconfig.parents(block, first, "the card's merge configuration")
        told += problems
        for parent in parents:
            found.setdefault(parent.target.lower(), parent)
    return list(found.values())[: mergeconfig.MAX_MERGED], told


def _merge_blocks(text: str, body_line: int) -> list[tuple[str, int]]:
    """(text, first line) of each fenced block of the body holding a merge_method line."""
    blocks: list[tuple[str, int]] = []
    block: list[str] | None = None
    first = 0
    for number, line in enumerate(text.split("\n"), body_line):  # the file's lines: no U+2028 ends one
        if _FENCE.match(line):
            if block is not None and any(_MERGE_METHOD.match(b) for b in block):
                blocks.append(("\n".join(block), first))
            block, first = ([] if block is None else None), number + 1
        elif block is not None:
            block.append(line)
    return blocks


def tags(data: dict[str, JSON]) -> list[str]:
    """The card's tags, in place (one that is not a string as empty)."""
    tags = data.get("tags")
    return [t if isinstance(t, str) else "" for t in tags] if isinstance(tags, list) else []
