"""What a license entry says of its own scope, read and checked as the entry is loaded: what its text
says of trained models and outputs (`training`, `outputs`), which relations its terms reach across
(`reaches`, optionally naming the terms), and which release distributions trigger its conditions
(`triggers`, `copyleft_triggers`), and how the release must hold the material for a trigger to bind
(`relations`, `copyleft_relations`). Each statement cites its clause; a malformed one stops the load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.config import DISTRIBUTIONS
from auditor.parsed import YAML

STATEMENTS = ("binds", "frees", "silent")  # what a license's own text says of trained models and outputs
COPYLEFT_TERMS = ("share_alike", "no_added_restrictions")  # terms whose duty arises only when shared
COPYLEFT_SCOPES = ("work", "part")  # share-alike reaches every adaptation, or the licensed part and its modifications
SHARING = tuple(d for d in DISTRIBUTIONS if d != "internal")  # an internal release conveys nothing
# How a release holds the material, which a trigger may require (`relations`; rules/lib/crossing.lp
# holds_as): the material itself (copy), an adaptation of it, or a work made using it (use).
HOLDINGS = ("copy", "adaptation", "use")
COPYLEFT = "copyleft"  # the copyleft terms as one, for the holdings their triggers require


@dataclass(frozen=True)
class Trigger:
    """The release distributions that make one condition of the license bite, by its text."""

    term: str
    distributions: tuple[str, ...]
    clause: str
    relations: tuple[str, ...] = ()  # the holdings it binds (HOLDINGS); none: every one


def reaches(data: YAML, terms: dict[str, str], path: Path) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The relations the text extends the license over beyond derivatives, and (relation, term) for
    those whose entry names the terms that reach across it (Llama 3.1 Section 1(b)(i): only the name
    prefix reaches a model trained on outputs); a relation naming none carries every term."""
    relations, named = [], []
    for entry in data.get("reaches", []):
        relations.append(str(entry["relation"]))
        if not entry.get("clause"):
            raise ValueError(f"{path.name}: reaches {entry['relation']} needs the clause it rests on")
        for term in entry.get("terms", []):
            if term not in terms:
                raise ValueError(f"{path.name}: reaches {entry['relation']} names {term!r}, not a term of the license")
            named.append((str(entry["relation"]), str(term)))
    return tuple(relations), tuple(named)


def triggers(data: YAML, terms: dict[str, str], path: Path) -> tuple[Trigger, ...]:
    """`triggers`: for conditions whose text says which release makes them bite (copies only, a hosted
    service too, or use alone, as an acceptance by use binds an internal release), and limitations on
    sharing whose text says which release shares (CC 4.0's "Share"), those distributions with the
    clause. Copyleft terms say it in copyleft_triggers."""
    found: dict[str, Trigger] = {}
    for entry in data.get("triggers", []):
        shared = tuple(str(d) for d in entry.get("distributions", []))
        if not shared or not set(shared) <= set(DISTRIBUTIONS) or not entry.get("clause") or not entry.get("terms"):
            raise ValueError(
                f"{path.name}: each trigger needs terms, distributions among {', '.join(DISTRIBUTIONS)} and clause"
            )
        for term in entry["terms"]:
            if terms.get(term) not in ("condition", "limitation") or term in COPYLEFT_TERMS or term in found:
                raise ValueError(
                    f"{path.name}: trigger term {term!r} must be a condition or limitation of the license, listed once"
                )
            found[term] = Trigger(str(term), shared, " ".join(str(entry["clause"]).split()), _holdings(entry, path))
    return tuple(found.values())


def copyleft_relations(data: YAML, copyleft: tuple[str, ...], path: Path) -> tuple[Trigger, ...]:
    """`copyleft_relations`: the copyleft distributions that bind only a release holding the material
    so (AGPL-3.0 Section 13 binds network use of a modified version only), with the clause."""
    found = []
    for entry in data.get("copyleft_relations", []):
        shared = tuple(str(d) for d in entry.get("distributions", []))
        if not shared or not set(shared) <= set(copyleft) or not entry.get("clause") or not entry.get("relations"):
            raise ValueError(
                f"{path.name}: each copyleft relation needs distributions among copyleft_triggers, relations, clause"
            )
        found.append(Trigger(COPYLEFT, shared, " ".join(str(entry["clause"]).split()), _holdings(entry, path)))
    return tuple(found)


def _holdings(entry: YAML, path: Path) -> tuple[str, ...]:
    """The holdings a trigger names, each one of HOLDINGS."""
    named = tuple(str(k) for k in entry.get("relations", []))
    if not set(named) <= set(HOLDINGS):
        raise ValueError(f"{path.name}: trigger relations must be among {', '.join(HOLDINGS)}")
    return named


def check_statements(data: YAML, outputs: str, relations: tuple[str, ...], path: Path) -> None:
    """What the license says of trained models and of outputs is a claim: it must cite its clause."""
    for key, value in (("training", data.get("training", "silent")), ("outputs", outputs)):
        if value not in STATEMENTS:
            raise ValueError(f"{path.name}: {key} must be one of {', '.join(STATEMENTS)}")
        if key in data and value != "silent" and not data.get(f"{key}_basis"):
            raise ValueError(f"{path.name}: {key}: {value} needs {key}_basis citing the clause")
    if (outputs == "binds") != ("generated_by" in relations):
        raise ValueError(f"{path.name}: outputs: binds and reaches: generated_by state the same clause; give both")


def basis(data: YAML, key: str) -> str | None:
    """The clause-citing sentence behind a statement (training, outputs, copyleft), on one line."""
    if data.get(f"{key}_basis"):
        return " ".join(str(data[f"{key}_basis"]).split())
    clauses = [r["clause"] for r in data.get("reaches", []) if r["relation"] == "generated_by"]
    return f"reaches data generated with the material ({clauses[0]})" if key == "outputs" and clauses else None


def copyleft_triggers(data: YAML, terms: set[str], path: Path) -> tuple[str, ...]:
    """The release distributions that make a copyleft term bite. A license with such terms must say
    (with its clause) whether conveying copies, network use or both trigger them, and may limit its
    share-alike to the licensed part (`copyleft_scope: part`, said in the same basis)."""
    if data.get("copyleft_scope", "work") not in COPYLEFT_SCOPES:
        raise ValueError(f"{path.name}: copyleft_scope must be one of {', '.join(COPYLEFT_SCOPES)}")
    if not terms & set(COPYLEFT_TERMS):
        if "copyleft_scope" in data:
            raise ValueError(f"{path.name}: copyleft_scope needs {' or '.join(COPYLEFT_TERMS)} terms")
        return ()
    found = tuple(data.get("copyleft_triggers", ()))
    if not found or not data.get("copyleft_basis"):
        raise ValueError(
            f"{path.name}: a license with {' or '.join(COPYLEFT_TERMS)} needs copyleft_triggers and copyleft_basis"
        )
    if not set(found) <= set(SHARING):
        raise ValueError(f"{path.name}: copyleft_triggers must be among weights, api")
    return found


def shared_conditions(data: YAML, copyleft: tuple[str, ...], path: Path) -> str | None:
    """Where a copyleft license's other conditions bind whoever shares the material, as sharing is read
    where the text leaves it open (`conditions: sharing`: CC BY-SA 4.0 Section 3(a), word for word CC
    BY's), not what its copyleft's trigger says (GPL-3.0 Section 0, conveying): the clause that says so."""
    found = data.get("conditions", "copyleft")
    if found not in ("copyleft", "sharing") or (found == "sharing") != bool(data.get("conditions_basis")):
        raise ValueError(f"{path.name}: conditions must be copyleft or sharing, and sharing needs conditions_basis")
    if found == "sharing" and not copyleft:
        raise ValueError(f"{path.name}: conditions: sharing needs copyleft_triggers")
    return basis(data, "conditions") if found == "sharing" else None
