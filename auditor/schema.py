"""The fact schema: every predicate exchanged between Python and the rule base, defined once.

Input facts describe the asset graph and the audit's settings; knowledge facts come from
rules/licenses/ and rules/profiles/; derived predicates are what the rules conclude and Python
reads back. Nothing else builds ASP text: `render` is the only writer, `atom` the only reader.

Argument types: `asset` an interned integer id, `symbol` a lowercase constant from a fixed
vocabulary, `string` free text (quoted), `int` a number, `term` any ground term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property


@dataclass(frozen=True, eq=False)
class Predicate:
    name: str
    args: tuple[str, ...]  # "name:type" pairs
    doc: str
    role: str  # input | knowledge | derived

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

    def __call__(self, *values) -> tuple:
        if len(values) != self.arity:
            raise TypeError(f"{self.name}/{self.arity} given {len(values)} arguments")
        return (self.name, *values)


def _p(name: str, args: str, doc: str, role: str) -> Predicate:
    return Predicate(name, tuple(args.split()), doc, role)


PREDICATES = [
    # -- the audit's input: asset graph and release settings
    _p("asset", "a:asset kind:symbol", "an asset of the graph (model, dataset, code, other)", "input"),
    _p("release", "a:asset use:symbol distribution:symbol", "the asset being released and how", "input"),
    _p("release_candidate", "a:asset", "an asset that could be the release when none is configured", "input"),
    _p("edge", "child:asset parent:asset relation:symbol", "a typed lineage edge", "input"),
    _p("licensed", "a:asset license:string", "a known license the asset is read to be under", "input"),
    _p("alternative", "a:asset choice:int license:string", "a license of one alternative the asset is offered under (SPDX OR)", "input"),
    _p("unlicensed", "a:asset reason:symbol", "no usable license: missing, not_a_license, unknown, unreadable", "input"),
    _p("unrecognised", "a:asset text:string", "a declared license the knowledge base does not know", "input"),
    _p("unresolved", "a:asset", "referenced as an upstream but described by no manifest", "input"),
    _p("card", "a:asset", "the asset has a readable card", "input"),
    _p("no_metadata", "a:asset", "the asset's card has no YAML front matter", "input"),
    _p("heading", "a:asset heading:string status:symbol", "a card heading (normalised) and its fill status", "input"),
    _p("problem", "a:asset file:string code:symbol message:string", "a manifest that could not be read, or only in part", "input"),
    _p("disagrees", "a:asset aspect:symbol detail:string", "manifests of one asset contradict each other (license, version, upstream)", "input"),
    _p("card_mentions", "a:asset phrase:string", "the asset's card contains the phrase (case-insensitive)", "input"),
    _p("name_starts", "a:asset prefix:string", "the asset's name begins with the prefix (ignoring case and separators)", "input"),
    # -- knowledge: licenses, terms, documentation profiles
    _p("license", "license:string family:symbol", "a license of the knowledge base", "knowledge"),
    _p("term", "license:string term:symbol", "a term (permission, condition, limitation) of a license", "knowledge"),
    _p("term_kind", "term:symbol kind:symbol", "permission, condition or limitation", "knowledge"),
    _p("use_rank", "term:symbol rank:int", "a limitation that sets the use category (1 unspecified .. 3 academic-only)", "knowledge"),
    _p("binds", "license:string relation:symbol", "the license's own text reaches across this relation", "knowledge"),
    _p("training_binding", "license:string", "the license's own text reaches models trained on the material", "knowledge"),
    _p("term_value", "license:string term:symbol value:string", "the value a term prescribes (a name prefix, a statement, a phrase)", "knowledge"),
    _p("persists", "term:symbol", "a term every derivative's license must keep", "knowledge"),
    _p("share_alike_compatible", "license:string other:string", "adaptations under the license may also be shared under the other", "knowledge"),
    _p("rule_severity", "rule:string severity:symbol", "the severity a rule's metadata gives", "knowledge"),
    _p("profile", "profile:string kind:symbol", "a documentation profile applies to assets of the kind", "knowledge"),
    _p("selected", "profile:string", "the audit uses this documentation profile", "input"),
    _p("item", "profile:string item:string", "a documentation item of a profile", "knowledge"),
    _p("item_heading", "profile:string item:string heading:string", "a (normalised) card heading that meets the item", "knowledge"),
    _p("item_field", "profile:string item:string field:string", "a manifest field that meets the item", "knowledge"),
    _p("item_license", "profile:string item:string", "a usable license meets the item", "knowledge"),
    _p("required_item", "profile:string item:string", "the release lacking the item is a finding", "knowledge"),
    _p("states", "a:asset field:string", "a manifest of the asset fills this field", "input"),
    # -- derived by the rules and read back
    _p("finding", "rule:string a:asset detail:term", "a finding; arity 2 + number of detail values", "derived"),
    _p("because", "rule:string a:asset detail:term fact:term", "a fact a finding rests on", "derived"),
    _p("carries", "a:asset license:string term:symbol", "the asset is bound by a term of a license", "derived"),
    _p("via", "child:asset parent:asset license:string term:symbol", "the term reached the child through this parent", "derived"),
    _p("use_category", "a:asset category:symbol", "commercial, unspecified, non-commercial or academic-only", "derived"),
    _p("lacks", "a:asset profile:string item:string", "the asset does not meet a documentation item", "derived"),
    _p("meets", "a:asset profile:string item:string", "the asset meets a documentation item", "derived"),
    _p("chosen", "a:asset choice:int", "the alternative the solver relied on for an asset offered under several", "derived"),
    _p("outbound", "license:string", "a license the release may be published under", "derived"),
    _p("removed", "a:asset", "an upstream asset a repair removes (or relicenses)", "derived"),
]
SCHEMA = {p.name: p for p in PREDICATES}


def render(fact: tuple) -> str:
    """One fact as ASP text, checked against the schema."""
    return _writer(fact[0])(fact)


@cache
def _writer(name: str):
    """A function writing facts of one predicate: built once, since a large audit writes millions."""
    pred = SCHEMA[name]
    if pred.role == "derived":
        raise ValueError(f"{pred.name} is derived by the rules, not given as input")
    convert = [_CONVERTERS[t] for t in pred.types]

    def write(fact: tuple) -> str:
        if len(fact) != len(convert) + 1:
            raise TypeError(f"{name}/{len(convert)} given {len(fact) - 1} arguments")
        return f"{name}({','.join([c(v) for c, v in zip(convert, fact[1:])])})."

    return write


def _number(value) -> str:
    return str(int(value))


@cache
def _symbol(value: str) -> str:
    if not value.replace("_", "a").isalnum() or not value[0].islower():
        raise ValueError(f"{value!r} is not a valid symbol")
    return value


def _string(value) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_CONVERTERS = {"asset": _number, "int": _number, "symbol": _symbol, "string": _string, "term": _string}


_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|-?\d+|[A-Za-z_][A-Za-z0-9_\']*|[(),]')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


def atom(text: str) -> tuple[str, tuple]:
    """An atom as clingo prints it, `name(arg,...)`, as (name, plain Python values).

    Reading the printed form is several times faster than walking Symbol objects through
    clingo's Python API, which matters when a large audit reads back 100k atoms.
    """
    tokens = _TOKEN.findall(text)
    name = tokens[0]
    if len(tokens) == 1:
        return name, ()
    args, _ = _arguments(tokens, 2)
    return name, tuple(args)


def _arguments(tokens: list[str], i: int) -> tuple[list, int]:
    """Terms from tokens[i] up to the matching ")", and the index after it."""
    args = []
    while tokens[i] != ")":
        term, i = _parse_term(tokens, i)
        args.append(term)
        if tokens[i] == ",":
            i += 1
    return args, i + 1


def _parse_term(tokens: list[str], i: int):
    token = tokens[i]
    if token[0] == '"':
        return re.sub(r'\\[\\"n]', lambda m: _UNESCAPE[m.group(0)], token[1:-1]), i + 1
    if token[0] == "-" or token.isdigit():
        return int(token), i + 1
    if token == "(":
        args, i = _arguments(tokens, i + 1)
        return ("", *args), i
    if i + 1 < len(tokens) and tokens[i + 1] == "(":
        args, i = _arguments(tokens, i + 2)
        return (token, *args), i
    return token, i + 1
