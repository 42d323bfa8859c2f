"""Hub cards under another name than README.md: MODEL_CARD.md, dataset_card.md, a flattened
`org__name.README.md`.

A Markdown file whose front matter holds a card key (CARD_KEYS) is a card wherever it is
named, so it is read as its folder's card, as README.md would be. Where the folder has a README.md
card, or several such files, which one describes the folder's asset cannot be told: each other file
is reported (an input warning naming it) and not read, never merged into the asset unseen. A Markdown
file without card front matter is a document, skipped as every file no reader reads.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from auditor.harvest import hfcard
from auditor.model import Evidence, Problem
from auditor.readers import frontmatter
from auditor.readers.text import read_text

SUFFIXES = (".md", ".markdown")
# Front-matter keys that make a Markdown file of another name than README.md a card: the license,
# lineage and dataset-card fields and those only the Hub's cards have; not the `tags`, `language` or
# `title` a site generator's page has too.
CARD_KEYS = (
    hfcard.TERMS_FIELDS
    | hfcard.DATASET_FIELDS
    | {"pipeline_tag", "library_name", "model-index", "co2_eq_emissions", "pretty_name"}
)
UNREAD_CARD = "unread-card"  # a card not read, its folder's asset having another: told (INP002)
_TOP_KEY = re.compile(r"""^["']?([A-Za-z_][\w-]*)["']?[ \t]*:""", re.M)

Found = tuple[Path, str, str]  # a card of the walk: its path, its path relative to the audit root, its text


def card_text(path: Path) -> str | None:
    """The text of a Markdown file that opens with front matter holding a card key, else None; the
    card reader is given it, so the file is read once. The block's own top-level keys are looked at,
    so a card whose YAML is broken is still taken for one (and reported as README.md's would be)."""
    if not path.name.lower().endswith(SUFFIXES):
        return None
    text, error = read_text(path)
    try:
        block = None if error else frontmatter.split(text)[0]
    except frontmatter.FrontMatterError:
        return None
    return text if block is not None and not CARD_KEYS.isdisjoint(_TOP_KEY.findall(block)) else None


def choose(found: list[Found], readme_cards: dict[str, str]) -> list[tuple[Found, Problem | None]]:
    """Each card of `found` with None where it is its folder's card, else the problem telling why it
    is not read; `readme_cards`: the key of the asset of each README.md card read, by its path."""
    folders: dict[str, list[Found]] = defaultdict(list)
    for card in found:
        folders[card[1].rpartition("/")[0]].append(card)
    chosen: list[tuple[Found, Problem | None]] = []
    for folder, cards in folders.items():
        readme = f"{folder}/README.md" if folder else "README.md"
        for card in cards:
            rel = card[1]
            why = _why_unread(rel, readme if readme in readme_cards else None, cards)
            problem = Problem(UNREAD_CARD, why, Evidence(rel, ""), readme_cards.get(readme)) if why else None
            chosen.append((card, problem))
    return chosen


def _why_unread(rel: str, readme: str | None, cards: list[Found]) -> str | None:
    if readme:
        return (
            f"a Hub card beside {readme}, the card of the same asset: which of the two describes it cannot "
            "be told, so this one is not read; merge it into README.md or move it to the folder of its own asset"
        )
    if len(cards) > 1:
        others = ", ".join(other for _, other, _ in cards if other != rel)
        return (
            f"a Hub card beside {others} in a folder without README.md: which describes the folder's asset "
            "cannot be told, so none is read; name the asset's card README.md, or give each card its own folder"
        )
    return None
