"""Interpret: turn the engine's atoms into findings with messages and evidence chains.

A chain starts at the finding's asset and walks `via` atoms back, one parent per step, to the
asset whose own license holds the term, then to the clause of that license in the knowledge
base. Each step names the file, field and line it was read from.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from auditor import shipped
from auditor.facts import AUDIT, FactBase
from auditor.graph import display_id
from auditor.licenses import NEVER, UNKNOWN, KnowledgeBase
from auditor.model import AssetGraph, Evidence
from auditor.rulebase import Rule
from auditor.vocabulary import ObligationStatus, Relation, SectionStatus, Severity


@dataclass(frozen=True)
class Step:
    """One link of an evidence chain."""

    asset: str | None
    fact: str
    file: str | None
    pointer: str | None
    line: int | None


@dataclass(frozen=True)
class Fix:
    """A smallest change that clears a conflict: upstream assets removed (or relicensed, or
    curated), and assets taken under another of their license alternatives (asset, licenses);
    `raises` names the rules of error-level conflicts the change would bring about."""

    remove: tuple[str, ...]
    choose: tuple[tuple[str, str], ...]
    raises: tuple[str, ...] = ()


@dataclass(frozen=True)
class Remedy:
    """The outcome of the repair search for one conflict: found (with its smallest changes),
    impossible, or not-computed; the note says what the changes mean or why there are none."""

    status: str
    changes: tuple[Fix, ...]
    note: str


@dataclass
class Finding:
    id: str
    rule: str
    family: str
    severity: str
    asset: str | None
    message: str
    how_to_fix: str
    detail: dict
    evidence: list[Step]
    atom: tuple = field(default=(), compare=False, repr=False)  # as derived, for the repair search
    remedy: Remedy | None = None  # conflicts only: what would fix it (auditor.repair)


@dataclass(frozen=True)
class Notice:
    """An upstream asset's NOTICE text, which a derivative must carry (Apache-2.0 Section 4(d))."""

    asset: str
    file: str
    text: str


@dataclass(frozen=True)
class Obligation:
    term: str
    kind: str  # condition (something to do) | limitation (something not to do)
    license: str
    text: str
    clause: str
    source: str
    imposed_by: tuple[str, ...]
    values: tuple[str, ...] = ()  # what the term prescribes verbatim (a notice, a "Built with" line, a name prefix)
    license_name: str = ""
    status: str = ObligationStatus.CANNOT_TELL  # as the rules judged the release's files
    status_evidence: tuple[Step, ...] = ()
    notices: tuple[Notice, ...] = ()  # the upstream NOTICE texts the release must carry


@dataclass(frozen=True)
class Choice:
    asset: str
    chosen: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Documentation:
    """How well one asset meets one documentation profile."""

    asset: str
    profile: str
    score: int  # 0-100: share of the profile's items met (mof: progress towards the next class)
    missing: tuple[tuple[str, str, str], ...]  # (item, expected, how to fix)
    openness_class: int | None = None  # mof only: 0 unclassified, else 3, 2 or 1
    progress: dict | None = None  # mof only: percent of each class met


@dataclass
class Interpretation:
    findings: list[Finding] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    use_categories: dict[str, str] = field(default_factory=dict)
    outbound: list[str] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    repairs: list[Fix] | None = field(default_factory=list)  # None: no change helps
    engines: tuple[str, ...] = ("clingo",)
    documentation: list[Documentation] = field(default_factory=list)

    def conflicts_block(self, release: str | None) -> bool:
        """Whether error-level license conflicts block the release (what a repair can address)."""
        return any(f.severity == "error" and f.family == "conflict" and f.asset == release for f in self.findings)


CHAINED = ("carries", "inherited", "embodies", "adapts")  # facts explained by a walk up the lineage


class _Chains:
    """Evidence lookups over the input facts and the derived propagation atoms."""

    def __init__(self, fb: FactBase, graph: AssetGraph, kb: KnowledgeBase, atoms: dict):
        self.fb, self.graph, self.kb = fb, graph, kb
        self.via = defaultdict(set)
        for child, parent, lic, term in atoms.get("via", []):
            self.via[(child, lic, term)].add(parent)
        self.edges = defaultdict(list)
        self.holds = defaultdict(list)
        for fact, evidence in fb.facts.items():
            if fact[0] == "edge":
                self.edges[(fact[1], fact[2])].append((fact[3], evidence))
            elif fact[0] == "licensed":
                self.holds[(fact[1], fact[2])].append((fact, evidence))
            elif fact[0] in ("unlicensed", "unrecognised"):
                self.holds[(fact[1], UNKNOWN)].append((fact, evidence))

    def name(self, a: int) -> str | None:
        """How reports name asset `a`; None for AUDIT, a finding about the audit as a whole."""
        return None if a == AUDIT else display_id(self.fb.keys[a], self.graph)

    def steps(self, fact: tuple) -> list[Step]:
        if fact[0] == "carries":
            return self.carries(*fact[1:])
        if fact[0] in CHAINED[1:]:
            return self.carries(*fact[1:], from_parent=True)
        if fact[0] == "edge":
            return self.edge(fact[1], fact[2], fact[3], self.fb.facts.get(fact, []))
        text = self.describe(fact)
        evidence = self.fb.facts.get(fact if fact[0] != "no_files" else self.asset_fact(fact[1])) or [None]
        subject = self.name(fact[1]) if isinstance(fact[1], int) else None
        return [_step(subject, text, e) for e in evidence]

    def asset_fact(self, a: int) -> tuple:
        """The fact that an asset is described, whose evidence is the manifests describing it."""
        return "asset", a, self.graph.assets[self.fb.keys[a]].kind

    def carries(self, a: int, lic: str, term: str, from_parent: bool = False) -> list[Step]:
        """The chain from `a` back to an asset whose own license holds the term (`from_parent`:
        the term came from upstream, so the walk leaves `a` even if `a` holds the license too)."""
        chain, seen = [], set()
        while (from_parent or (a, lic) not in self.holds) and a not in seen:
            from_parent = False
            seen.add(a)
            parents = sorted(self.via.get((a, lic, term), ()), key=lambda p: self.fb.keys[p])
            if not parents:
                break
            relation, evidence = sorted(self.edges[(a, parents[0])])[0]
            chain += self.edge(a, parents[0], relation, evidence)
            a = parents[0]
        for fact, evidence in self.holds.get((a, lic), []):
            chain += [_step(self.name(a), self.describe(fact), e) for e in evidence or [None]]
        chain.append(self.clause(lic, term))
        return chain

    def edge(self, child: int, parent: int, relation: str, evidence: list) -> list[Step]:
        text = f"{self.name(child)} {Relation(relation).phrase} {self.name(parent)}"
        return [_step(self.name(child), text, e) for e in evidence or [None]]

    def clause(self, lic: str, term: str) -> Step:
        t = self.kb.term(lic, term)
        if t is None:
            meaning = self.kb.term_kinds[term]["summary"]
            return Step(None, f"{lic}: {meaning}", None, None, None)
        return Step(None, f"{lic} {t.clause}: {t.text}", t.source, None, None)

    def describe(self, fact: tuple) -> str:
        name, args = fact[0], fact[1:]
        subject = self.name(args[0]) if args and isinstance(args[0], int) and name != "problem" else ""
        texts = {
            "licensed": lambda: f"{subject} is licensed {args[1]}",
            "unlicensed": lambda: f"{subject} has no usable license ({args[1].replace('_', ' ')})",
            "unrecognised": lambda: f"{subject} declares '{args[1]}', not a known license",
            "unversioned": lambda: f"{subject} declares '{args[1]}', a license family without a version",
            "publisher": lambda: f"{subject} is published by the Hub organisation {args[1]}",
            "release": lambda: f"{subject} is released for {args[1].replace('_', '-')} use as {args[2]}",
            "release_candidate": lambda: f"{subject} has no downstream asset in the audit",
            "card": lambda: f"{subject} has a card",
            "no_metadata": lambda: f"{subject}'s card has no YAML front matter",
            "heading": lambda: f"{subject}'s card has this section, but {SectionStatus(args[4]).phrase}",
            "problem": lambda: f"{args[1]}: {args[3]}",
            "disagrees": lambda: f"a statement of {subject}'s {args[1]} that another manifest contradicts",
            "asset": lambda: f"{subject} is described here ({args[1]})",
            "name_match": lambda: f"{subject}'s upstream {self.name(args[1])} matched by name to {args[2]}",
            "checksum_mismatch": lambda: f"{args[1]}: declared sha256 {args[2]}, file has {args[3]}",
            "unpinned": lambda: f"{subject} references {self.name(args[1])} without a version or revision",
            "in_cycle": lambda: f"{subject} is on the lineage cycle",
            "machine_generated": lambda: f"{subject} says it was machine-generated",
            "alternative": lambda: f"{subject} is offered under {args[2]} (alternative {args[1]})",
            "copyleft_trigger": lambda: (
                f"{args[0]}'s copyleft binds a release distributed as {args[1]}: "
                f"{self.kb.licenses[args[0]].copyleft_basis}"
            ),
            "ships_files": lambda: f"{subject}'s folder holds the files it distributes",
            "no_files": lambda: (
                f"{subject} is described without the files it distributes (no weights beside "
                "its card), so a missing file cannot be seen"
            ),
            "ships_license": lambda: f"{subject}'s folder ships a license file that holds or names {args[1]}",
            "has_notice": lambda: f"{subject}'s folder holds a NOTICE file",
            "repeats_notice": lambda: f"{subject}'s NOTICE carries the NOTICE text of {self.name(args[1])}",
            "ships_policy": lambda: f"{subject}'s folder ships a use policy file",
            "unchecked": lambda: (
                f"no file mlaudit reads shows whether {args[0].replace('_', '-')} is met: a person must check it"
            ),
            "name_starts": lambda: f"{subject}'s name begins with '{args[1]}'",
            "card_mentions": lambda: f"{subject}'s card states '{args[1]}'",
            "stale": lambda: (
                f"the knowledge base's entry for {args[0]} "
                + (
                    "was never verified against the license text"
                    if args[1] == NEVER
                    else f"was last verified against the license text on {args[1]}"
                )
            ),
        }
        return texts[name]() if name in texts else f"{name}{args}"


def _step(asset: str | None, text: str, evidence: Evidence | None) -> Step:
    if evidence is None:
        return Step(asset, text, None, None, None)
    return Step(asset, text, evidence.file, evidence.pointer or None, evidence.line)


def interpret(
    atoms: dict,
    fb: FactBase,
    graph: AssetGraph,
    kb: KnowledgeBase,
    rules: dict[str, Rule],
    profiles: dict | None = None,
) -> Interpretation:
    chains = _Chains(fb, graph, kb, atoms)
    because = defaultdict(list)
    for row in atoms.get("because", []):
        because[tuple(row[:-1])].append(row[-1])
    result = Interpretation()
    for row in atoms.get("finding", []):
        rule = rules[row[0]]
        facts = sorted(because[tuple(row)], key=lambda fact: (fact[0] in CHAINED, repr(fact)))
        result.findings.append(_finding(rule, row, facts, chains))
    result.findings.sort(
        key=lambda f: (Severity(f.severity).rank, f.rule, f.asset or "", [str(v) for v in f.detail.values()])
    )
    result.use_categories = {fb.keys[a]: c.replace("_", "-") for a, c in atoms.get("use_category", [])}
    if fb.release:
        result.obligations = _obligations(atoms, fb, chains, kb)
        result.outbound = sorted(lic for (lic,) in atoms.get("outbound", []))
    result.documentation = _documentation(atoms, chains, profiles or {})
    for a, i in sorted(atoms.get("chosen", []), key=lambda c: fb.keys[c[0]]):
        alternatives = fb.readings[fb.keys[a]].alternatives
        result.choices.append(Choice(chains.name(a), alternatives[i - 1], alternatives))
    return result


def engine_disagreements(differences: list[tuple[str, list, list]], rule: Rule) -> list[Finding]:
    """INP004 findings for the predicates on which clingo and pyDatalog differ, with the atoms."""
    found = []
    for predicate, only_clingo, only_pydatalog in differences:
        difference = (
            f"only clingo derives {_atoms(predicate, only_clingo)}; "
            f"only pyDatalog derives {_atoms(predicate, only_pydatalog)}"
        )
        fingerprint = hashlib.sha256(f"{rule.id}|{predicate}|{difference}".encode()).hexdigest()[:12]
        steps = [Step(None, f"clingo: {predicate}{row}", None, None, None) for row in only_clingo[:20]]
        steps += [Step(None, f"pyDatalog: {predicate}{row}", None, None, None) for row in only_pydatalog[:20]]
        found.append(
            Finding(
                f"{rule.id}-{fingerprint}",
                rule.id,
                rule.family,
                rule.severity,
                None,
                rule.message.format(predicate=predicate, difference=difference),
                rule.how_to_fix,
                {"predicate": predicate, "difference": difference},
                steps,
            )
        )
    return found


def _atoms(predicate: str, rows: list) -> str:
    shown = ", ".join(f"{predicate}{row}" for row in rows[:5])
    return (shown + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")) or "nothing"


def _documentation(atoms: dict, chains: _Chains, profiles: dict) -> list[Documentation]:
    """Per asset and profile: the score and what is missing, from the meets/lacks atoms."""
    met, lacking = defaultdict(set), defaultdict(set)
    for a, profile, item in atoms.get("meets", []):
        met[(a, profile)].add(item)
    for a, profile, item in atoms.get("lacks", []):
        lacking[(a, profile)].add(item)
    found = []
    for a, profile in sorted(set(met) | set(lacking), key=lambda k: (chains.name(k[0]), k[1])):
        items = {i.id: i for i in profiles[profile].items}
        total = len(met[(a, profile)]) + len(lacking[(a, profile)])
        missing = tuple(
            (i, items[i].expected, items[i].how_to_fix)
            for i in (x.id for x in profiles[profile].items)
            if i in lacking[(a, profile)]
        )
        found.append(Documentation(chains.name(a), profile, round(100 * len(met[(a, profile)]) / total), missing))
    return found


def _finding(rule: Rule, row: tuple, facts: list[tuple], chains: _Chains) -> Finding:
    a, values = row[1], row[2:]
    if len(values) != len(rule.detail):
        raise ValueError(f"{rule.id}: finding has {len(values)} detail values, metadata names {len(rule.detail)}")
    detail, identity = {}, []
    for spec, value in zip(rule.detail, values, strict=False):
        name, _, kind = spec.partition(":")
        detail[name] = chains.name(value) if kind == "asset" else value
        identity.append(chains.fb.keys[value] if kind == "asset" else str(value))
    asset = chains.name(a)
    fields = {k: (v.replace("_", "-") if k in ("term", "use", "reason") else v) for k, v in detail.items()}
    if "relation" in fields:
        fields["relation"] = Relation(fields["relation"]).noun
    if "term" in detail:
        term = chains.kb.term(detail.get("license"), detail["term"])
        fields["term_text"] = term.text if term else chains.kb.term_kinds[detail["term"]]["summary"]
    message = rule.message.format(asset=asset, **fields)
    key = "|".join([rule.id, chains.fb.keys[a], *identity])
    fingerprint = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    evidence = [step for fact in facts for step in chains.steps(fact)]
    return Finding(
        f"{rule.id}-{fingerprint}",
        rule.id,
        rule.family,
        rule.severity,
        asset,
        message,
        rule.how_to_fix,
        detail,
        list(dict.fromkeys(evidence)),
        tuple(row),
    )


def _obligations(atoms: dict, fb: FactBase, chains: _Chains, kb: KnowledgeBase) -> list[Obligation]:
    release = fb.keys.index(fb.release)
    status = {tuple(row[:3]): row[3].replace("_", "-") for row in atoms.get("obligation_status", [])}
    basis = defaultdict(list)
    for a, lic, term, fact in atoms.get("status_basis", []):
        basis[(a, lic, term)].append(fact)
    found = []
    for a, lic, term in sorted(atoms.get("inherited", []), key=lambda c: (kb.term_kinds[c[2]]["kind"], c[1], c[2])):
        kind = kb.term_kinds[term]["kind"]
        if a != release or kind not in ("condition", "limitation"):
            continue
        t = kb.term(lic, term)
        origins = sorted(chains.name(o) for o in _origins(release, lic, term, chains))
        facts = sorted(basis[(a, lic, term)], key=repr)
        found.append(
            Obligation(
                term,
                kind,
                lic,
                t.text if t else kb.term_kinds[term]["summary"],
                t.clause if t else "",
                t.source if t else "",
                tuple(origins),
                t.values if t else (),
                kb.licenses[lic].name if lic in kb.licenses else lic,
                status[(a, lic, term)],
                tuple(dict.fromkeys(step for fact in facts for step in chains.steps(fact))),
                _notices(facts, chains),
            )
        )
    return found


def _notices(facts: list[tuple], chains: _Chains) -> tuple[Notice, ...]:
    """The NOTICE texts of the upstream assets an obligation's status rests on."""
    return tuple(
        Notice(chains.name(fact[1]), where.file, text)
        for fact in facts
        if fact[0] == "has_notice"
        for text, where in shipped.notices(chains.graph.assets[chains.fb.keys[fact[1]]])
    )


def _origins(a: int, lic: str, term: str, chains: _Chains) -> set[int]:
    """Every asset upstream of `a` whose own license holds the term that reaches `a` (never `a`
    itself: a license binds its licensees, not the asset's own publisher)."""
    origins, stack, seen = set(), [a], set()
    while stack:
        x = stack.pop()
        if x in seen:
            continue
        seen.add(x)
        if x != a and (x, lic) in chains.holds:
            origins.add(x)
        stack.extend(chains.via.get((x, lic, term), ()))
    return origins


def openness(graph: AssetGraph, fb: FactBase) -> list[Documentation]:
    """The `mof` profile: the Model Openness Framework class of every model in scope that a MOF
    file describes (a classification computed in Python, see auditor/openness.py)."""
    from auditor import openness as mof

    found = []
    for i, key in enumerate(fb.keys[1:], start=1):
        if fb.cone is not None and i not in fb.cone:
            continue
        statements = [s for r in graph.assets[key].records if r.format == "mof" for s in r.statements]
        if not statements:
            continue
        result = mof.from_statements(statements)
        next_class = str(result.class_ - 1 if result.class_ > 1 else (3 if result.class_ == 0 else 1))
        score = 100 if result.class_ == 1 else round(result.progress[next_class])
        missing = tuple(
            (
                component,
                f"the component '{component}' in the release, under an open license",
                f"Release {component} ({why}) under an open license suited to its content type.",
            )
            for component, why in result.missing.get(next_class, ())
        )
        found.append(
            Documentation(
                display_id(key, graph),
                "mof",
                score,
                missing,
                result.class_,
                {k: round(v) for k, v in result.progress.items()},
            )
        )
    return found
