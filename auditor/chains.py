"""Evidence chains: the steps from a finding's facts back to the files and license clauses they rest on.

A chain starts at the finding's asset and walks `via` atoms back, one parent per step, to the
asset whose own license holds the term, then to the clause of that license in the knowledge
base (an upstream known at several revisions and referenced without one binds by its newest,
and the chain says so). A relicensed upstream's newest revision is followed likewise: from the
asset up `newest_via` atoms to the reference that pins no revision. Each step names the file,
field and line it was read from, and states its fact in the words of the predicate's `phrase`
(auditor/schema.py).
"""

from __future__ import annotations

import string
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from functools import cache
from itertools import pairwise
from typing import TypeVar, cast

from auditor import schema
from auditor.facts import AUDIT, FactBase
from auditor.interpretation import Row, Step
from auditor.licenses import NEVER, UNKNOWN, KnowledgeBase
from auditor.licenses import Term as LicenseTerm
from auditor.model import AssetGraph, Evidence
from auditor.naming import display_id
from auditor.vocabulary import Relation, SectionStatus

Chain = tuple[Step, ...]
CHAINED = ("carries", "inherited", "embodies", "adapts", "follows_newest")  # facts explained by a walk up the lineage


@cache
def _template(predicate: str) -> tuple[tuple[str, int | None, str], ...] | None:
    """A predicate's phrase as (text, argument index, filter) parts, parsed once; None without one.
    In a phrase `{arg}` is the argument, `{arg:filter}` the argument through a filter."""
    known = schema.SCHEMA.get(predicate)
    if known is None or not known.phrase:
        return None
    index = {spec.split(":")[0]: i for i, spec in enumerate(known.args)}
    parts = string.Formatter().parse(known.phrase)
    return tuple((text, None if arg is None else index[arg], spec or "") for text, arg, spec, _ in parts)


def _verified(date: str) -> str:
    if date == NEVER:
        return "was never verified against the license text"
    return f"was last verified against the license text on {date}"


K = TypeVar("K")


def _grouped(pairs: Iterable[tuple[K, int]]) -> dict[K, set[int]]:
    """Each key with the set of its values: (child, licence, term) -> parents, (child, upstream) -> parents."""
    grouped: dict[K, set[int]] = defaultdict(set)
    for key, value in pairs:
        grouped[key].add(value)
    return grouped


class Chains:
    """Evidence lookups over the input facts and the derived propagation atoms."""

    def __init__(
        self,
        fb: FactBase,
        graph: AssetGraph,
        kb: KnowledgeBase,
        via: Iterable[Row],
        newest_via: Iterable[Row] = (),
        chosen: Iterable[Row] = (),
    ):
        self.fb, self.graph, self.kb = fb, graph, kb
        self.choice = {cast(int, a): cast(int, i) for a, i in chosen}  # the alternative relied on, per asset
        self.via = _grouped(((cast(int, c), cast(str, lic), cast(str, t)), cast(int, p)) for c, p, lic, t in via)
        self.following = _grouped(((cast(int, c), cast(int, up)), cast(int, p)) for c, p, up in newest_via)
        self.edges: dict[tuple[int, int], list[tuple[str, tuple[Evidence, ...]]]] = defaultdict(list)
        self.holds: dict[tuple[int, str], list[tuple[Row, tuple[Evidence, ...]]]] = defaultdict(list)
        self.newest: dict[tuple[int, int], tuple[Row, tuple[Evidence, ...]]] = {}  # unpinned edges to versions
        self._index(fb)
        self.filters: dict[str, Callable[[str], str]] = {
            "": str,
            "spaced": lambda v: v.replace("_", " "),
            "hyphenated": lambda v: v.replace("_", "-"),
            "fill": lambda v: SectionStatus(v).phrase,
            "relation": lambda v: Relation(v).phrase,
            "verified": _verified,
            "copyleft_basis": lambda v: str(getattr(kb.entry(v), "copyleft_basis", "")),
        }
        self.of_asset: dict[str, Callable[[int], str]] = {"distributes": self._distributes}
        self.names: dict[int, str] = {}
        self.made: dict[Row, Chain] = {}
        self.tails: dict[tuple[int, str, str], Chain] = {}  # the chain from an asset up, per term
        self.links: dict[tuple[int, int], Chain] = {}
        self.said: dict[Row, str] = {}
        self.terms: dict[tuple[str, str], LicenseTerm | None] = {}
        self.first: dict[tuple[int, str, str], int | None] = {}

    def _index(self, fb: FactBase) -> None:
        """The edges, held licenses and unpinned references of the facts, keyed for the walks up."""
        for fact, evidence in fb.facts.items():
            name = fact[0]  # tested first: a large audit has hundreds of thousands of facts
            if name == "edge":
                _, child, parent, relation = cast(tuple[str, int, int, str], fact)
                self.edges[(child, parent)].append((relation, evidence))
            elif name == "licensed":
                _, a, lic = cast(tuple[str, int, str], fact)
                self.holds[(a, lic)].append((fact, evidence))
            elif name == "alternative":
                _, a, i, lic = cast(tuple[str, int, int, str], fact)
                if self.choice.get(a) == i:  # the alternative the audit relies on
                    self.holds[(a, lic)].append((fact, evidence))
            elif name in ("unlicensed", "unrecognised"):
                _, a, _ = cast(tuple[str, int, str], fact)
                self.holds[(a, UNKNOWN)].append((fact, evidence))
            elif name == "tracks_newest":
                _, child, parent, _ = cast(tuple[str, int, int, str], fact)
                self.newest[(child, parent)] = (fact, evidence)

    def name(self, a: int) -> str | None:
        """How reports name asset `a`; None for AUDIT, a finding about the audit as a whole."""
        if a == AUDIT:
            return None
        if a not in self.names:
            self.names[a] = display_id(self.fb.keys[a], self.graph)
        return self.names[a]

    def steps(self, fact: Row) -> Chain:
        """The chain of a finding's fact, made once: a lake's findings share most of their facts
        (an upstream's license, the path a term takes down to every descendant). Not to be changed."""
        if fact not in self.made:
            self.made[fact] = self._steps(fact)
        return self.made[fact]

    def _steps(self, fact: Row) -> Chain:
        if fact[0] == "follows_newest":
            return self.follows(cast(int, fact[1]), cast(int, fact[2]))
        if fact[0] in CHAINED:
            return self.carries(fact[1], fact[2], fact[3], from_parent=fact[0] != "carries")
        text = self.describe(fact)
        evidence = self.fb.facts.get(fact if fact[0] != "no_files" else self.asset_fact(fact[1])) or [None]
        subject = self.name(fact[1]) if isinstance(fact[1], int) else None
        return tuple(_step(subject, text, e) for e in evidence)

    def asset_fact(self, a: int) -> Row:
        """The fact that an asset is described, whose evidence is the manifests describing it."""
        return "asset", a, self.graph.assets[self.fb.keys[a]].kind

    def carries(self, a: int, lic: str, term: str, from_parent: bool = False) -> Chain:
        """The chain from `a` back to an asset whose own license holds the term (`from_parent`:
        the term came from upstream, so the walk leaves `a` even if `a` holds the license too).
        Each asset's part of the way up is made once, for every chain that passes through it."""
        parent = self.upstream(a, lic, term) if from_parent else None
        tail = self._tail(a if parent is None else parent, lic, term)
        if tail is None:  # the walk meets a cycle: it stops where it first comes back
            return self._walk(a, lic, term, from_parent)
        return tail if parent is None else (*self._link(a, parent), *tail)

    def _tail(self, a: int, lic: str, term: str) -> Chain | None:
        """The chain from `a` up (`a` holding the license ends it at once), kept for each asset on
        the way; None when the walk comes back to an asset, as a lineage with a cycle may."""
        links: list[tuple[int, int]] = []
        walked: set[int] = set()
        while (a, lic, term) not in self.tails:
            parent = None if (a, lic) in self.holds else self.upstream(a, lic, term)
            if parent is None:
                self.tails[(a, lic, term)] = (*self._held(a, lic), self.clause(lic, term))
            elif parent in walked or parent == a:
                return None
            else:
                walked.add(a)
                links.append((a, parent))
                a = parent
        tail = self.tails[(a, lic, term)]
        for child, parent in reversed(links):
            tail = self.tails[(child, lic, term)] = (*self._link(child, parent), *tail)
        return tail

    def _walk(self, a: int, lic: str, term: str, from_parent: bool) -> Chain:
        """The chain walked step by step, each asset once: for a lineage with a cycle."""
        chain: list[Step] = []
        seen: set[int] = set()
        while (from_parent or (a, lic) not in self.holds) and a not in seen:
            from_parent = False
            seen.add(a)
            parent = self.upstream(a, lic, term)
            if parent is None:
                break
            chain += self._link(a, parent)
            a = parent
        return (*chain, *self._held(a, lic), self.clause(lic, term))

    def _link(self, a: int, parent: int) -> Chain:
        """The step from `a` to its parent: the edge, and which revision binds when the reference
        pins none (the newest); each link made once, for every chain it is in."""
        if (a, parent) not in self.links:
            relation = min(self.edges[(a, parent)])[0]
            link = self.steps(("edge", a, parent, relation))
            if (a, parent) in self.newest:
                fact, evidence = self.newest[(a, parent)]
                link = (*link, *(_step(self.name(a), self.describe(fact), e) for e in evidence[-1:]))
            self.links[(a, parent)] = link
        return self.links[(a, parent)]

    def _held(self, a: int, lic: str) -> Chain:
        """The steps stating that `a`'s own license is `lic` (or that its terms are unknown), or
        that `lic` is part of the alternative chosen among those `a` is offered under."""
        return tuple(
            step
            for fact, evidence in self.holds.get((a, lic), [])
            for step in (self._chose(a, evidence) if fact[0] == "alternative" else self.steps(fact))
        )

    def _chose(self, a: int, evidence: tuple[Evidence, ...]) -> Chain:
        """The steps stating the alternatives `a` is offered under and the one the audit chose."""
        reading = self.fb.readings[self.fb.keys[a]]
        chosen = " AND ".join(reading.alternatives[self.choice[a] - 1])
        text = f"{self.name(a)} is licensed {reading.expression} ({chosen} chosen)"
        return tuple(_step(self.name(a), text, e) for e in evidence)

    def follows(self, a: int, upstream: int) -> Chain:
        """The chain from `a` up its lineage to a reference to `upstream` that pins no revision: the
        shortest path (the first by name of those), found breadth first, as a lineage may hold cycles."""
        came = {a: a}  # each asset reached, and the one below it on the way up
        queue = deque([a])
        while queue:
            node = queue.popleft()
            if (node, upstream) in self.newest:
                path = [node]
                while came[path[-1]] != path[-1]:
                    path.append(came[path[-1]])
                links = [(child, parent, min(self.edges[(child, parent)])[0]) for parent, child in pairwise(path)]
                steps = (step for link in reversed(links) for step in self.steps(("edge", *link)))
                return (*steps, *self.steps(self.newest[(node, upstream)][0]))
            for parent in sorted(self.following.get((node, upstream), ()), key=lambda p: self.fb.keys[p]):
                if parent not in came:
                    came[parent] = node
                    queue.append(parent)
        return ()

    def upstream(self, a: int, lic: str, term: str) -> int | None:
        """The parent a chain follows from `a` for the term: the first by key of those it came
        through, found once (a lake's chains pass through the same assets again and again)."""
        if (a, lic, term) not in self.first:
            parents = self.via.get((a, lic, term))
            self.first[(a, lic, term)] = min(parents, key=self.fb.keys.__getitem__) if parents else None
        return self.first[(a, lic, term)]

    def clause(self, lic: str, term: str) -> Step:
        """The step citing the license's clause that states the term (its kind's summary without one)."""
        t = self.term(lic, term)
        if t is None:
            meaning = self.kb.term_kinds[term]["summary"]
            return Step(None, f"{lic}: {meaning}", None, None, None)
        return Step(None, f"{lic} {t.clause}: {t.text} ({self.read_on(lic)})", t.source, None, None)

    def read_on(self, lic: str) -> str:
        """When the license's terms were read from its text, as a chain says it: a lawyer weighs a
        clause read last week apart from one never checked against the license's words."""
        entry = self.kb.entry(lic)
        if entry is None or entry.verified_at is None:
            return "not checked against the license's text"
        if entry.text_read is None:
            return f"entry written {entry.verified_at}, its full text not available to read"
        return f"text read {entry.verified_at}"

    def term(self, lic: str, term: str) -> LicenseTerm | None:
        """The license's entry for the term, looked up once: many findings name the same."""
        if (lic, term) not in self.terms:
            self.terms[(lic, term)] = self.kb.term(lic, term)
        return self.terms[(lic, term)]

    def describe(self, fact: Row) -> str:
        """The fact in the words of its predicate's phrase; asset ids as reports name them."""
        if fact not in self.said:
            self.said[fact] = self._describe(fact)
        return self.said[fact]

    def _distributes(self, a: int) -> str:
        """What an asset of its kind distributes: a dataset its data files, any other its weights."""
        return "data files" if self.graph.assets[self.fb.keys[a]].kind == "dataset" else "weights"

    def _describe(self, fact: Row) -> str:
        parts = _template(fact[0])
        if parts is None:
            return f"{fact[0]}{fact[1:]}"
        types = schema.SCHEMA[fact[0]].types
        said = []
        for text, i, spec in parts:
            said.append(text)
            if i is not None and spec in self.of_asset:
                said.append(self.of_asset[spec](cast(int, fact[i + 1])))
            elif i is not None:
                said.append(self.filters[spec](str(self.name(fact[i + 1]) if types[i] == "asset" else fact[i + 1])))
        return "".join(said)


def _step(asset: str | None, text: str, evidence: Evidence | None) -> Step:
    if evidence is None:
        return Step(asset, text, None, None, None)
    return Step(asset, text, evidence.file, evidence.pointer or None, evidence.line)
