"""The fact schema: every predicate exchanged between Python and the rule base, defined once.

Input facts describe the asset graph and the audit's settings; knowledge facts come from
rules/licenses/ and rules/profiles/ (their predicates are a group of their own, `Knowledge` in
auditor/schema_knowledge.py); derived predicates are what the rules conclude and Python
reads back. Nothing else builds ASP text: asptext.render is the only writer, asptext.atom the only reader.
A fact a rule cites as evidence has a `phrase`, how its evidence chain states it (auditor/chains.py).

Argument types: `asset` an interned integer id, `symbol` a lowercase constant from a fixed
vocabulary, `string` free text (quoted), `int` a number, `term` any ground term.

The table is the class `S`, one attribute a predicate: `S.edge(child, parent, relation)` builds a
fact, and a new fact is one entry here. Each derived predicate is read back as a row with named
fields (`row.parent`, see asptext.py), generated into auditor/predicates.py from this table.
"""

from __future__ import annotations

from auditor.predicate_spec import Predicate
from auditor.predicate_spec import predicate as _p
from auditor.schema_knowledge import Knowledge


class S(Knowledge):
    """Every predicate, an attribute named as in the rules: `S.edge(child, parent, relation)` builds an
    edge fact, and a misspelt predicate fails the type check, not an audit."""

    # fmt: off
    # -- the audit's input: asset graph and release settings
    asset = _p(
        "a:asset kind:symbol", "input",
        "an asset of the graph (model, dataset, code, other)",
        phrase="{a} is described here ({kind})",
    )
    release = _p(
        "a:asset use:symbol distribution:symbol", "input",
        "the asset being released and how",
        phrase="{a} is released for {use:hyphenated} use as {distribution}",
    )
    release_candidate = _p(
        "a:asset", "input", "an asset that could be the release when none is configured",
        phrase="{a} has no downstream asset in the audit",
    )
    release_unidentified = _p(
        "candidates:int first:string", "input",
        "no release is configured and several assets could be it (how many, the first by name)",
    )
    edge = _p(
        "child:asset parent:asset relation:symbol", "input",
        "a typed lineage edge",
        phrase="{child} {relation:relation} {parent}",
    )
    licensed = _p(
        "a:asset license:string", "input",
        "a known license the asset is read to be under",
        phrase="{a} is licensed {license}",
    )
    license_exception = _p(
        "a:asset license:string expression:string", "input",
        "the asset's license is granted with an exception (SPDX WITH), kept whole as the expression",
        phrase="{a} is licensed {expression}",
    )
    alternative = _p(
        "a:asset choice:int license:string", "input",
        "a license of one alternative the asset is offered under (SPDX OR)",
        phrase="{a} is offered under {license} (alternative {choice})",
    )
    unlicensed = _p(
        "a:asset reason:symbol", "input",
        "no usable license: missing, not_a_license, unknown, unreadable",
        phrase="{a} has no usable license ({reason:spaced})",
    )
    unlicensed_part = _p(
        "a:asset text:string reason:symbol", "input",
        "a member of a license list that names no usable license, beside known licenses that still bind",
        phrase="{a} lists '{text}', which names no usable license ({reason:spaced})",
    )
    unrecognised = _p(
        "a:asset text:string", "input",
        "a declared license the knowledge base does not know",
        phrase="{a} declares '{text}', not a known license",
    )
    unversioned = _p(
        "a:asset text:string", "input",
        "a declared license names a license family without its version or variant",
        phrase="{a} declares '{text}', a license family without a version",
    )
    unresolved = _p("a:asset", "input", "referenced as an upstream but described by no manifest")
    card = _p("a:asset", "input", "the asset has a readable card", phrase="{a} has a card")
    no_metadata = _p(
        "a:asset", "input", "the asset's card has no YAML front matter",
        phrase="{a}'s card has no YAML front matter",
    )
    heading = _p(
        "a:asset profile:string item:string heading:string status:symbol", "input",
        "a card heading (normalised) that means the profile's item, listed or by a keyword, and the fill status "
        "it earns for it",
        phrase="{a}'s card has this section, but {status:fill}",
    )
    problem = _p(
        "a:asset file:string code:symbol message:string", "input",
        "a manifest that could not be read, or only in part",
        phrase="{file}: {message}",
    )
    disagrees = _p(
        "a:asset aspect:symbol detail:string", "input",
        "manifests of one asset contradict each other (license, version, upstream)",
        phrase="a statement of {a}'s {aspect} that another manifest contradicts",
    )
    has_source = _p("a:asset", "input", "a manifest states where the asset can be obtained")
    has_supplier = _p("a:asset", "input", "a manifest states who supplies or created the asset")
    has_checksum = _p("a:asset", "input", "a manifest gives a checksum of the asset's files")
    checksum_mismatch = _p(
        "a:asset file:string declared:string actual:string", "input",
        "a declared checksum differs from the file's",
        phrase="{file}: declared sha256 {declared}, file has {actual}",
    )
    same_weights = _p(
        "a:asset twin:asset file:string digest:string", "input",
        "the asset holds a weight file byte-identical to one of another asset, and no lineage joins the two",
        phrase="{a}'s {file} is byte-identical (sha256 {digest}) to a weight file of {twin}; neither names the other",
    )
    unpinned = _p(
        "child:asset parent:asset", "input",
        "the manifest could pin the upstream's version but does not",
        phrase="{child} references {parent} without a version or revision",
    )
    tracks_newest = _p(
        "child:asset parent:asset revision:string", "input",
        "a reference bound to an asset's newest known revision: it pins none the audit knows, or a branch",
        phrase="{child} follows the newest known revision of {parent}, {revision}: its reference pins no revision "
        "the audit knows, or pins a branch that names it",
    )
    relicensed = _p(
        "a:asset old_revision:string old:string new_revision:string new:string", "input", "a license change",
        phrase="{a} is licensed {old} at revision {old_revision} and {new} at revision {new_revision}",
    )
    name_match = _p(
        "child:asset parent:asset file:string", "input",
        "the upstream was matched by name only, to this file",
        phrase="{child}'s upstream {parent} matched by name to {file}",
    )
    in_cycle = _p(
        "a:asset cycle:asset", "input",
        "the asset is on a lineage cycle (named by its first member)",
        phrase="{a} is on the lineage cycle through {cycle}",
    )
    lineage_incomplete = _p(
        "a:asset file:string message:string", "input",
        "a manifest says the upstreams it lists are not all of the asset's, or names one of unknown identity",
        phrase="{file}: {message}",
    )
    machine_generated = _p(
        "a:asset", "input", "the dataset says it was generated by a model",
        phrase="{a} says it was machine-generated",
    )
    card_unseen = _p(
        "a:asset", "input",
        "the release has a card the audit does not hold: a row of Hub records gives its metadata, not its text",
        phrase="{a} is described by a row of Hub records, which gives its card's metadata but not its text, so "
        "what its card states cannot be seen",
    )
    card_mentions = _p(
        "a:asset phrase:string", "input",
        "the asset's card contains the phrase (case-insensitive)",
        phrase="{a}'s card states '{phrase}'",
    )
    card_negates = _p(
        "a:asset phrase:string", "input", "every mention of the phrase in the card follows a negation in its clause",
        phrase="{a}'s card states '{phrase}' only after a negation in the same clause, which does not display it",
    )
    name_starts = _p(
        "a:asset prefix:string", "input",
        "the asset's name begins with the prefix (ignoring case and separators)",
        phrase="{a}'s name begins with '{prefix}'",
    )
    publisher = _p(
        "a:asset org:string", "input",
        "the Hub organisation that publishes the asset (lowercase)",
        phrase="{a} is published by the Hub organisation {org}",
    )
    ships_files = _p(
        "a:asset", "input",
        "the asset's folder holds files it distributes (its weights, a dataset's data files) beside its card",
        phrase="{a}'s folder holds the files it distributes",
    )
    ships_license = _p(
        "a:asset license:string", "input",
        "the asset's folder holds a license file with the license's text, or its URI where that suffices",
        phrase="{a}'s folder ships a license file that holds the text of {license} (or its URI, where that suffices)",
    )
    has_notice = _p(
        "a:asset", "input",
        "the asset's folder holds a NOTICE file with text",
        phrase="{a}'s folder holds a NOTICE file",
    )
    repeats_notice = _p(
        "a:asset upstream:asset", "input",
        "the asset's NOTICE carries the upstream's NOTICE text (whitespace aside)",
        phrase="{a}'s NOTICE carries the NOTICE text of {upstream}",
    )
    notice_states = _p(
        "a:asset text:string", "input",
        "a NOTICE file of the asset's folder states the notice a license prescribes (any case, whitespace aside)",
        phrase="{a}'s NOTICE states \"{text}\"",
    )
    ships_policy = _p(
        "a:asset", "input",
        "the asset's folder holds a use policy file (USE_POLICY.md, Acceptable-Use-Policy)",
        phrase="{a}'s folder ships a use policy file",
    )
    # -- the documentation profiles the audit uses and what the manifests fill
    selected = _p("profile:string", "input", "the audit uses this documentation profile")
    described_in = _p("a:asset format:string", "input", "a manifest of this format describes the asset")
    states = _p("a:asset field:string", "input", "a manifest of the asset fills this field")
    # -- derived by the rules and read back
    finding = _p("rule:string a:asset detail:term", "derived", "a finding; arity 2 + number of detail values")
    because = _p("rule:string a:asset detail:term fact:term", "derived", "a fact a finding rests on")
    carries = _p("a:asset license:string term:symbol", "derived", "the asset is bound by a term of a license")
    via = _p(
        "child:asset parent:asset license:string term:symbol", "derived",
        "the term reached the child through this parent",
    )
    follows_newest = _p("a:asset upstream:asset", "derived", "a relicensed upstream's newest revision binds the asset")
    newest_via = _p("child:asset parent:asset upstream:asset", "derived", "the child follows it through this parent")
    inherited = _p(
        "a:asset license:string term:symbol", "derived",
        "a term of the release's lineage that reaches it from upstream",
    )
    obligation_status = _p(
        "a:asset license:string term:symbol status:symbol", "derived",
        "whether the release meets an inherited term: met, unmet or cannot_tell",
    )
    status_basis = _p(
        "a:asset license:string term:symbol fact:term", "derived", "a fact an obligation's status rests on",
    )
    untriggered = _p(
        "a:asset license:string term:symbol", "derived",
        "an inherited condition the release's distribution does not trigger (met, whatever its files)",
    )
    embodies = _p(
        "a:asset license:string term:symbol", "derived",
        "the asset is the material, a copy or an adaptation of it (not a collection)",
    )
    adapts = _p(
        "a:asset license:string term:symbol", "derived", "the asset is or bundles an adaptation of the material",
    )
    use_category = _p("a:asset category:symbol", "derived", "commercial, unspecified, non-commercial or academic-only")
    lacks = _p("a:asset profile:string item:string", "derived", "the asset does not meet a documentation item")
    meets = _p("a:asset profile:string item:string", "derived", "the asset meets a documentation item")
    chosen = _p(
        "a:asset choice:int", "derived", "the alternative the solver relied on for an asset offered under several",
    )
    outbound = _p("a:asset license:string", "derived", "a license the release may be published under")
    outbound_requirement = _p(
        "a:asset license:string term:symbol", "derived",
        "a term the release inherits that limits the licenses it may be published under",
    )
    position_holding = _p(
        "position:string relation:symbol holding:symbol", "derived", "how the legal position reads a work so made",
        phrase="the {position} position reads a model that {relation:relation} the material as holding it by {holding}",
    )
    no_files = _p(
        "a:asset", "derived",
        "the asset is described without the files it distributes (cited as evidence, not read back)",
        phrase="{a} is described without the files it distributes (no {a:distributes} beside its card), so a missing "
        "file cannot be seen",
    )
    kept_files = _p(
        "a:asset distribution:symbol", "derived", "the release's users are not given the files its folder holds",
        phrase="{a}'s folder holds its {a:distributes}, but it is released as {distribution}: its users are not given "
        "that folder, so a file missing there does not show what they are given",
    )
    unchecked = _p(
        "term:symbol", "derived",
        "no check decides whether the release meets the term (cited as evidence, not read back)",
        phrase="no file mlaudit reads shows whether the release meets this term ({term:spaced}): "
        "a person must check it",
    )
    removed = _p("a:asset", "derived", "an upstream asset a repair removes (or relicenses)")
    changed = _p("a:asset", "derived", "an asset a repair takes under another of its license alternatives")
    raises = _p("rule:string", "derived", "an error-level conflict of the release that a repair brings about")
    fixed = _p("k:int", "derived", "a change to the release itself (fix_option k) that a repair makes")
    # -- inputs of the repair search only (rules/repair/), never of the audit
    aimed = _p("n:int rule:string a:asset detail:ground", "repair", "finding n, which the repair search tries to clear")
    accepted = _p(
        "rule:string a:asset detail:ground", "repair",
        "an error-level conflict a reviewer's resolution accepts, which the whole release's repair need not clear",
    )
    existing = _p(
        "rule:string a:asset detail:ground", "repair",
        "an error-level conflict of the release the audit found, which no repair brings about (searched or not)",
    )
    was_chosen = _p("a:asset choice:int", "repair", "the alternative the audit chose, so a repair can count changes")
    fix_option = _p(
        "k:int kind:symbol", "repair",
        "a change to the release itself that a repair may make: rename, add_text, add_file or relicense",
    )
    fix_gives = _p("k:int fact:ground", "repair", "a fact about the release that change k makes true")
    fix_replaces = _p("k:int what:symbol", "repair", "the release's facts change k replaces: its name or its license")
    as_found = _p(
        "fact:ground", "repair",
        "a fact about the release as audited that a change of its name or license replaces",
    )
    # fmt: on


PREDICATES = [p for group in (S, Knowledge) for p in vars(group).values() if isinstance(p, Predicate)]
SCHEMA = {p.name: p for p in PREDICATES}
# Predicates read back at several arities: `detail` stands for the values a rule's metadata names.
VARIADIC = frozenset({"finding", "because"})
