"""The fact schema: every predicate exchanged between Python and the rule base, defined once.

Input facts describe the asset graph and the audit's settings; knowledge facts come from
rules/licenses/ and rules/profiles/; derived predicates are what the rules conclude and Python
reads back. Nothing else builds ASP text: `render` is the only writer, `readback.atom` the only reader.
A fact a rule cites as evidence has a `phrase`, how its evidence chain states it (auditor/chains.py),
so a new fact is one entry here.

Argument types: `asset` an interned integer id, `symbol` a lowercase constant from a fixed
vocabulary, `string` free text (quoted), `int` a number, `term` any ground term.

Predicates are reachable as attributes, `S.edge(child, parent, relation)`, and each derived one is
read back as a row with named fields (`row.parent`, see readback.py): both are generated into
auditor/predicates.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, SupportsInt

from auditor.predicates import Predicates, Term

Values = tuple[Term, ...]  # an atom's arguments as Python holds them
Fact = tuple[str, *Values]  # an input fact: the predicate's name, then its values


@dataclass(frozen=True, eq=False)
class Predicate:
    name: str
    args: tuple[str, ...]  # "name:type" pairs
    doc: str
    role: str  # input | knowledge | derived | repair (input of the repair search)
    phrase: str = ""  # how an evidence chain states the fact: `{arg}`, `{arg:filter}` (auditor/chains.py)

    @property
    def arity(self) -> int:
        return len(self.args)

    @cached_property
    def types(self) -> tuple[str, ...]:
        return tuple(a.split(":")[1] for a in self.args)

    @cached_property
    def asset_positions(self) -> tuple[int, ...]:
        """Indices (in the fact tuple, name at 0) of the arguments that are asset ids."""
        return tuple(i + 1 for i, t in enumerate(self.types) if t == "asset")

    def __call__(self, *values: Term) -> Fact:
        if len(values) != self.arity:
            raise TypeError(f"{self.name}/{self.arity} given {len(values)} arguments")
        return (self.name, *values)


def _p(name: str, args: str, doc: str, role: str, phrase: str = "") -> Predicate:
    return Predicate(name, tuple(args.split()), doc, role, phrase)


PREDICATES = [
    # -- the audit's input: asset graph and release settings
    _p(
        "asset",
        "a:asset kind:symbol",
        "an asset of the graph (model, dataset, code, other)",
        "input",
        phrase="{a} is described here ({kind})",
    ),
    _p(
        "release",
        "a:asset use:symbol distribution:symbol",
        "the asset being released and how",
        "input",
        phrase="{a} is released for {use:hyphenated} use as {distribution}",
    ),
    _p(
        "release_candidate",
        "a:asset",
        "an asset that could be the release when none is configured",
        "input",
        phrase="{a} has no downstream asset in the audit",
    ),
    _p(
        "release_unidentified",
        "candidates:int first:string",
        "no release is configured and several assets could be it (how many, the first by name)",
        "input",
    ),
    _p(
        "edge",
        "child:asset parent:asset relation:symbol",
        "a typed lineage edge",
        "input",
        phrase="{child} {relation:relation} {parent}",
    ),
    _p(
        "licensed",
        "a:asset license:string",
        "a known license the asset is read to be under",
        "input",
        phrase="{a} is licensed {license}",
    ),
    _p(
        "alternative",
        "a:asset choice:int license:string",
        "a license of one alternative the asset is offered under (SPDX OR)",
        "input",
        phrase="{a} is offered under {license} (alternative {choice})",
    ),
    _p(
        "unlicensed",
        "a:asset reason:symbol",
        "no usable license: missing, not_a_license, unknown, unreadable",
        "input",
        phrase="{a} has no usable license ({reason:spaced})",
    ),
    _p(
        "unrecognised",
        "a:asset text:string",
        "a declared license the knowledge base does not know",
        "input",
        phrase="{a} declares '{text}', not a known license",
    ),
    _p(
        "unversioned",
        "a:asset text:string",
        "a declared license names a license family without its version or variant",
        "input",
        phrase="{a} declares '{text}', a license family without a version",
    ),
    _p("unresolved", "a:asset", "referenced as an upstream but described by no manifest", "input"),
    _p("card", "a:asset", "the asset has a readable card", "input", phrase="{a} has a card"),
    _p(
        "no_metadata",
        "a:asset",
        "the asset's card has no YAML front matter",
        "input",
        phrase="{a}'s card has no YAML front matter",
    ),
    _p(
        "heading",
        "a:asset profile:string item:string heading:string status:symbol",
        "a card heading (normalised) that means the profile's item, listed or by a keyword, and the fill status"
        " it earns for it",
        "input",
        phrase="{a}'s card has this section, but {status:fill}",
    ),
    _p(
        "problem",
        "a:asset file:string code:symbol message:string",
        "a manifest that could not be read, or only in part",
        "input",
        phrase="{file}: {message}",
    ),
    _p(
        "disagrees",
        "a:asset aspect:symbol detail:string",
        "manifests of one asset contradict each other (license, version, upstream)",
        "input",
        phrase="a statement of {a}'s {aspect} that another manifest contradicts",
    ),
    _p("has_source", "a:asset", "a manifest states where the asset can be obtained", "input"),
    _p("has_supplier", "a:asset", "a manifest states who supplies or created the asset", "input"),
    _p("has_checksum", "a:asset", "a manifest gives a checksum of the asset's files", "input"),
    _p(
        "checksum_mismatch",
        "a:asset file:string declared:string actual:string",
        "a declared checksum differs from the file's",
        "input",
        phrase="{file}: declared sha256 {declared}, file has {actual}",
    ),
    _p(
        "unpinned",
        "child:asset parent:asset",
        "the manifest could pin the upstream's version but does not",
        "input",
        phrase="{child} references {parent} without a version or revision",
    ),
    _p(
        "name_match",
        "child:asset parent:asset file:string",
        "the upstream was matched by name only, to this file",
        "input",
        phrase="{child}'s upstream {parent} matched by name to {file}",
    ),
    _p(
        "in_cycle",
        "a:asset cycle:asset",
        "the asset is on a lineage cycle (named by its first member)",
        "input",
        phrase="{a} is on the lineage cycle",
    ),
    _p(
        "machine_generated",
        "a:asset",
        "the dataset says it was generated by a model",
        "input",
        phrase="{a} says it was machine-generated",
    ),
    _p(
        "card_mentions",
        "a:asset phrase:string",
        "the asset's card contains the phrase (case-insensitive)",
        "input",
        phrase="{a}'s card states '{phrase}'",
    ),
    _p(
        "name_starts",
        "a:asset prefix:string",
        "the asset's name begins with the prefix (ignoring case and separators)",
        "input",
        phrase="{a}'s name begins with '{prefix}'",
    ),
    _p(
        "publisher",
        "a:asset org:string",
        "the Hub organisation that publishes the asset (lowercase)",
        "input",
        phrase="{a} is published by the Hub organisation {org}",
    ),
    _p(
        "ships_files",
        "a:asset",
        "the asset's folder holds files it distributes (weights, configs) beside its card",
        "input",
        phrase="{a}'s folder holds the files it distributes",
    ),
    _p(
        "ships_license",
        "a:asset license:string",
        "the asset's folder holds a license file that is, or names, the license",
        "input",
        phrase="{a}'s folder ships a license file that holds or names {license}",
    ),
    _p(
        "has_notice",
        "a:asset",
        "the asset's folder holds a NOTICE file with text",
        "input",
        phrase="{a}'s folder holds a NOTICE file",
    ),
    _p(
        "repeats_notice",
        "a:asset upstream:asset",
        "the asset's NOTICE carries the upstream's NOTICE text (whitespace aside)",
        "input",
        phrase="{a}'s NOTICE carries the NOTICE text of {upstream}",
    ),
    _p(
        "ships_policy",
        "a:asset",
        "the asset's folder holds a use policy file (USE_POLICY.md, Acceptable-Use-Policy)",
        "input",
        phrase="{a}'s folder ships a use policy file",
    ),
    # -- knowledge: licenses, terms, documentation profiles
    _p("license", "license:string family:symbol", "a license of the knowledge base", "knowledge"),
    _p("term", "license:string term:symbol", "a term (permission, condition, limitation) of a license", "knowledge"),
    _p("term_kind", "term:symbol kind:symbol", "permission, condition or limitation", "knowledge"),
    _p(
        "use_rank",
        "term:symbol rank:int",
        "a limitation that sets the use category (1 unspecified .. 3 academic-only)",
        "knowledge",
    ),
    _p("binds", "license:string relation:symbol", "the license's own text reaches across this relation", "knowledge"),
    _p(
        "training_binding",
        "license:string",
        "the license's own text reaches models trained on the material",
        "knowledge",
    ),
    _p(
        "training_frees",
        "license:string",
        "the license's own text imposes nothing on models trained on the material",
        "knowledge",
    ),
    _p(
        "outputs_frees",
        "license:string",
        "the license's own text imposes nothing on outputs made with the material",
        "knowledge",
    ),
    _p(
        "copyleft_trigger",
        "license:string distribution:symbol",
        "a release distribution that triggers the license's copyleft terms",
        "knowledge",
        phrase="{license}'s copyleft binds a release distributed as {distribution}: {license:copyleft_basis}",
    ),
    _p(
        "adaptation_only",
        "term:symbol",
        "a term that binds adaptations of the material, not unchanged copies in a collection",
        "knowledge",
    ),
    _p(
        "licensor_org",
        "license:string org:string",
        "a Hub organisation of the license's licensor (lowercase)",
        "knowledge",
    ),
    _p(
        "term_value",
        "license:string term:symbol value:string",
        "the value a term prescribes (a name prefix, a statement, a phrase)",
        "knowledge",
    ),
    _p("uri_suffices", "license:string term:symbol", "the license's URI or a link to it meets the term", "knowledge"),
    _p(
        "term_accepts",
        "license:string term:symbol value:string",
        "a statement the license accepts in place of the prescribed one",
        "knowledge",
    ),
    _p("persists", "term:symbol", "a term every derivative's license must keep", "knowledge"),
    _p(
        "term_check",
        "term:symbol check:symbol",
        "how the release is checked to meet the term (terms.yaml `check`)",
        "knowledge",
    ),
    _p(
        "reports_check",
        "rule:string check:symbol",
        "a rule that reports the unmet outcome of this check itself",
        "knowledge",
    ),
    _p(
        "share_alike_compatible",
        "license:string other:string",
        "adaptations under the license may also be shared under the other",
        "knowledge",
    ),
    _p(
        "stale",
        "license:string verified_at:string",
        'the entry was never verified ("never") or verified longer ago than the audit allows',
        "knowledge",
        phrase="the knowledge base's entry for {license} {verified_at:verified}",
    ),
    _p("rule_severity", "rule:string severity:symbol", "the severity a rule's metadata gives", "knowledge"),
    _p("rule_family", "rule:string family:symbol", "the family a rule's metadata gives", "knowledge"),
    _p("profile", "profile:string kind:symbol", "a documentation profile applies to assets of the kind", "knowledge"),
    _p("selected", "profile:string", "the audit uses this documentation profile", "input"),
    _p(
        "profile_format",
        "profile:string format:string",
        "the profile applies only to assets described in this format",
        "knowledge",
    ),
    _p("described_in", "a:asset format:string", "a manifest of this format describes the asset", "input"),
    _p("item", "profile:string item:string", "a documentation item of a profile", "knowledge"),
    _p("item_field", "profile:string item:string field:string", "a manifest field that meets the item", "knowledge"),
    _p("item_license", "profile:string item:string", "a usable license meets the item", "knowledge"),
    _p("required_item", "profile:string item:string", "the release lacking the item is a finding", "knowledge"),
    _p("states", "a:asset field:string", "a manifest of the asset fills this field", "input"),
    # -- derived by the rules and read back
    _p("finding", "rule:string a:asset detail:term", "a finding; arity 2 + number of detail values", "derived"),
    _p("because", "rule:string a:asset detail:term fact:term", "a fact a finding rests on", "derived"),
    _p("carries", "a:asset license:string term:symbol", "the asset is bound by a term of a license", "derived"),
    _p(
        "via",
        "child:asset parent:asset license:string term:symbol",
        "the term reached the child through this parent",
        "derived",
    ),
    _p(
        "inherited",
        "a:asset license:string term:symbol",
        "a term of the release's lineage that reaches it from upstream",
        "derived",
    ),
    _p(
        "obligation_status",
        "a:asset license:string term:symbol status:symbol",
        "whether the release meets an inherited term: met, unmet or cannot_tell",
        "derived",
    ),
    _p(
        "status_basis",
        "a:asset license:string term:symbol fact:term",
        "a fact an obligation's status rests on",
        "derived",
    ),
    _p(
        "embodies",
        "a:asset license:string term:symbol",
        "the asset is the material, a copy or an adaptation of it (not a collection)",
        "derived",
    ),
    _p(
        "adapts",
        "a:asset license:string term:symbol",
        "the asset is or bundles an adaptation of the material",
        "derived",
    ),
    _p(
        "use_category", "a:asset category:symbol", "commercial, unspecified, non-commercial or academic-only", "derived"
    ),
    _p("lacks", "a:asset profile:string item:string", "the asset does not meet a documentation item", "derived"),
    _p("meets", "a:asset profile:string item:string", "the asset meets a documentation item", "derived"),
    _p(
        "chosen",
        "a:asset choice:int",
        "the alternative the solver relied on for an asset offered under several",
        "derived",
    ),
    _p("outbound", "license:string", "a license the release may be published under", "derived"),
    _p(
        "outbound_requirement",
        "license:string term:symbol",
        "a term the release inherits that limits the licenses it may be published under",
        "derived",
    ),
    _p(
        "no_files",
        "a:asset",
        "the asset is described without the files it distributes (cited as evidence, not read back)",
        "derived",
        phrase="{a} is described without the files it distributes (no weights beside its card), so a missing"
        " file cannot be seen",
    ),
    _p(
        "unchecked",
        "term:symbol",
        "no check decides whether the release meets the term (cited as evidence, not read back)",
        "derived",
        phrase="no file mlaudit reads shows whether {term:hyphenated} is met: a person must check it",
    ),
    _p("removed", "a:asset", "an upstream asset a repair removes (or relicenses)", "derived"),
    _p("changed", "a:asset", "an asset a repair takes under another of its license alternatives", "derived"),
    _p("raises", "rule:string", "an error-level conflict of the release that a repair brings about", "derived"),
    # -- inputs of the repair search only (rules/repair/), never of the audit
    _p(
        "aimed",
        "n:int rule:string a:asset detail:ground",
        "finding n, which the repair search tries to clear",
        "repair",
    ),
    _p("was_chosen", "a:asset choice:int", "the alternative the audit chose, so a repair can count changes", "repair"),
]
SCHEMA = {p.name: p for p in PREDICATES}
S = Predicates(PREDICATES)
# Predicates read back at several arities: `detail` stands for the values a rule's metadata names.
VARIADIC = frozenset({"finding", "because"})


def render(fact: Fact) -> str:
    """One fact as ASP text, checked against the schema."""
    return _writer(fact[0])(fact)


@cache
def _writer(name: str) -> Callable[[Fact], str]:
    """A function writing facts of one predicate: built once, since a large audit writes millions."""
    pred = SCHEMA[name]
    if pred.role == "derived":
        raise ValueError(f"{pred.name} is derived by the rules, not given as input")
    convert = [_CONVERTERS[t] for t in pred.types]

    def write(fact: Fact) -> str:
        if len(fact) != len(convert) + 1:
            raise TypeError(f"{name}/{len(convert)} given {len(fact) - 1} arguments")
        return f"{name}({','.join([c(v) for c, v in zip(convert, fact[1:], strict=False)])})."

    return write


def _number(value: SupportsInt) -> str:
    return str(int(value))


@cache
def _symbol(value: str) -> str:
    if not value.replace("_", "a").isalnum() or not value[0].islower():
        raise ValueError(f"{value!r} is not a valid symbol")
    return value


def _string(value: object) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class Constant(str):
    """A symbolic constant read back from clingo (`commercial`), told apart from a string
    (`"commercial"`) so that a read-back atom can be written again exactly (see `_ground`)."""

    __slots__ = ()


def _ground(value: Term) -> str:
    """Any read-back value as a term: constants bare, strings quoted, tuples as tuples."""
    if isinstance(value, Constant):
        return value
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return str(value)
    name, *args = value
    return f"{name}({','.join(map(_ground, args))}{',' if not name and len(args) == 1 else ''})"


# Any: the values of facts are whatever the encoder gives; each converter checks those its type allows.
_CONVERTERS: dict[str, Callable[[Any], str]] = {
    "asset": _number,
    "int": _number,
    "symbol": _symbol,
    "string": _string,
    "term": _string,
    "ground": _ground,
}
