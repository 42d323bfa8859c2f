"""The release's lineage as an SVG diagram, for the HTML and PDF reports: what is drawn.

Only the release and its ancestors are drawn (every described asset when no release is known).
The path of each blocking (error) finding is highlighted: from the release to the finding's asset,
then along its evidence chain to the asset the chain ends at. Past COLLAPSE_ABOVE, the upstreams of
one kind that feed one asset by one relation fold into one box counting them by license, unless
one has its own upstream, an open error or warning, or lies on a blocking path. How the boxes are
laid out and drawn is lineage_draw.py's concern; every label is escaped there.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from itertools import pairwise

from auditor.parsed import JSONObject
from auditor.report import lineage_draw
from auditor.report.lineage_draw import Box, Diagram, Link
from auditor.vocabulary import Severity

COLLAPSE_ABOVE = 4  # more siblings than this fold into one box
SCREEN_FONT = 9.0  # px: the smallest text the HTML report shows
MAX_BOXES = 400  # boxes drawn at most, nearest the release first: bounds the page for any input
NOTHING_SHOWN = (
    '<svg xmlns="http://www.w3.org/2000/svg" class="lineage" viewBox="0 0 320 40" width="320" height="40" '
    'role="img" aria-label="No lineage"><text x="16" y="24" class="note">no asset is described</text></svg>'
)
COLOURS: dict[str | None, str] = {Severity.ERROR: "#b3261e", Severity.WARNING: "#a15c00", Severity.INFO: "#1d5fa8"}
PLURALS = {"code": "code assets", "other": "other assets"}
Edge = tuple[str, str]  # (child, parent)


def render(document: JSONObject) -> str:
    """The release's lineage as one SVG, which the HTML report shrinks to fit its page as long as
    its smallest text stays SCREEN_FONT px tall, and scrolls past that."""
    diagram = diagram_of(document)
    least = SCREEN_FONT / lineage_draw.SMALLEST_FONT
    return lineage_draw.draw(diagram).svg(least=least) if diagram.boxes else NOTHING_SHOWN


def pages(document: JSONObject, width: float, height: float, scale: float) -> list[str]:
    """The lineage cut into SVGs of at most `width` x `height` CSS px each, drawn at `scale`: the
    PDF's pages, where scaling the whole diagram down would shrink its text below reading size."""
    diagram = diagram_of(document)
    if not diagram.boxes:
        return [NOTHING_SHOWN]
    drawing = lineage_draw.draw(diagram)
    return [drawing.svg(window, scale) for window in drawing.windows(width / scale, height / scale)]


def diagram_of(document: JSONObject) -> Diagram:
    """The boxes and links to draw: the release's lineage, blocking paths marked, siblings folded."""
    assets = {a["id"]: a for a in document["assets"]}
    release = document["release"]["asset"] if document["release"]["asset"] in assets else None
    edges = [e for e in document["edges"] if e["child"] in assets and e["parent"] in assets]
    edges = [e for e in edges if e["child"] != e["parent"]]
    parents: defaultdict[str, list[str]] = defaultdict(list)
    for e in sorted(edges, key=lambda e: (e["child"], e["parent"])):
        parents[e["child"]].append(e["parent"])
    shown = _lineage(release, parents, assets)
    within = set(shown)
    edges = [e for e in edges if e["child"] in within and e["parent"] in within]
    blocking = _blocking(document, release, parents)
    severity = _worst_severity(document)
    flagged = {a for edge in blocking for a in edge} | set(severity) | _named(document) | {release or ""}
    folded = _folded(edges, assets, flagged)
    kept = [a for a in shown if a not in folded][:MAX_BOXES]
    boxes = [_box(assets[a], severity.get(a), a == release) for a in kept]
    boxes += [_group(key, [assets[a] for a in shown if folded.get(a) == key]) for key in sorted(set(folded.values()))]
    links = sorted(
        {
            Link(
                e["child"],
                folded.get(e["parent"], e["parent"]),
                e["relation"],
                blocking.get((e["child"], e["parent"]), ()),
            )
            for e in edges
        }
    )
    drawn = {b.key for b in boxes}
    links = [link for link in links if link.child in drawn and link.parent in drawn]
    hidden = len(shown) - len(kept) - len(folded)
    note = f"showing the {len(kept)} assets nearest the release; {hidden} more not drawn" if hidden else None
    return Diagram(boxes, links, note)


def _lineage(release: str | None, parents: dict[str, list[str]], assets: dict[str, JSONObject]) -> list[str]:
    """The release and its ancestors, nearest first (breadth-first); every asset without a release."""
    if release is None:
        return sorted(assets)
    seen, queue = {release: None}, deque([release])
    while queue:
        for parent in parents.get(queue.popleft(), ()):
            if parent not in seen:
                seen[parent] = None
                queue.append(parent)
    return list(seen)


def _path(start: str, end: str, parents: dict[str, list[str]]) -> list[Edge]:
    """The edges of a shortest upstream path from `start` to `end` ([] if there is none)."""
    came: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue and end not in came:
        child = queue.popleft()
        for parent in parents.get(child, ()):
            if parent not in came:
                came[parent] = child
                queue.append(parent)
    path: list[Edge] = []
    at = end if end in came else None
    while at is not None and came[at] is not None:
        path.append((came[at] or "", at))
        at = came[at]
    return path[::-1]


def _blocking(document: JSONObject, release: str | None, parents: dict[str, list[str]]) -> dict[Edge, tuple[str, ...]]:
    """Per edge, the open error findings whose path runs along it: from the release to the
    finding's asset, then from asset to asset of its evidence chain."""
    along: defaultdict[Edge, list[str]] = defaultdict(list)
    for f in document["findings"]:
        if f["status"] != "open" or f["severity"] != Severity.ERROR:
            continue
        stops = [a for a in [release, f["asset"]] + [s["asset"] for s in f["evidence"]] if a is not None]
        stops = [a for i, a in enumerate(stops) if i == 0 or a != stops[i - 1]]
        for start, end in pairwise(stops):
            for edge in _path(start, end, parents):
                if f["id"] not in along[edge]:
                    along[edge].append(f["id"])
    return {edge: tuple(ids) for edge, ids in along.items()}


def _named(document: JSONObject) -> set[str]:
    """The assets an open error or warning names in its evidence: never folded out of sight."""
    return {
        s["asset"]
        for f in document["findings"]
        if f["status"] == "open" and f["severity"] in (Severity.ERROR, Severity.WARNING)
        for s in f["evidence"]
        if s["asset"]
    }


def _folded(edges: list[JSONObject], assets: dict[str, JSONObject], flagged: set[str]) -> dict[str, str]:
    """The assets folded into a group box, with the group's key: upstreams with no upstream of
    their own and one child, of one kind, fed to that child by one relation, more than COLLAPSE_ABOVE."""
    children: defaultdict[str, set[Edge]] = defaultdict(set)
    for e in edges:
        children[e["parent"]].add((e["child"], e["relation"]))
    has_parents = {e["child"] for e in edges}
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for asset, uses in children.items():
        if asset in flagged or asset in has_parents or len(uses) != 1:
            continue
        ((child, relation),) = uses
        groups[f"\x00{assets[asset]['kind']}\x00{relation}\x00{child}"].append(asset)  # no asset id has a NUL
    return {a: key for key, members in groups.items() if len(members) > COLLAPSE_ABOVE for a in members}


def _worst_severity(document: JSONObject) -> dict[str, str]:
    worst: dict[str, str] = {}
    for f in document["findings"]:
        if f["status"] == "open" and f["asset"]:
            current = worst.get(f["asset"])
            if current is None or Severity(f["severity"]).rank < Severity(current).rank:
                worst[f["asset"]] = f["severity"]
    return worst


def _license(asset: JSONObject) -> str:
    return str(asset["license"] or asset["license_status"].replace("_", " "))


def _box(asset: JSONObject, severity: str | None, release: bool) -> Box:
    """An asset's box: its name (a dataset's without the `datasets/` its kind line states), kind, license."""
    name = asset["id"].removeprefix("datasets/") if asset["kind"] == "dataset" else asset["id"]
    findings = f": {severity} findings" if severity else ""
    return Box(
        key=asset["id"],
        lines=(name, asset["kind"] + ("" if asset["resolved"] else " · unresolved"), _license(asset)),
        title=f"{asset['id']} ({asset['kind']}, {_license(asset)}){findings}",
        stroke=COLOURS.get(severity or "", "#8b949e"),
        stroke_width=3 if severity in (Severity.ERROR, Severity.WARNING) else 1.2,
        fill="#fff8e6" if release else ("#f6f7f9" if asset["resolved"] else "#ffffff"),
        dashed=not asset["resolved"],
        group=False,
    )


def _group(key: str, members: list[JSONObject]) -> Box:
    """The box standing for folded siblings: how many, and their licenses, most common first."""
    _, kind, relation, child = key.split("\x00", 3)
    plural = PLURALS.get(kind, kind + "s")
    licenses = Counter(_license(a) for a in members).most_common()
    summary = ", ".join(f"{name} ×{count}" for name, count in licenses)
    listing = "; ".join(f"{a['id']} ({_license(a)})" for a in members)
    return Box(
        key=key,
        lines=(f"+ {len(members)} {plural}", "no open error or warning", summary),
        title=f"{len(members)} {plural} linked to {child} by {relation.replace('_', ' ')}: {listing}",
        stroke="#8b949e",
        stroke_width=1.2,
        fill="#f6f7f9",
        dashed=False,
        group=True,
    )
