"""The release's lineage as an SVG diagram, for the HTML and PDF reports.

Assets are boxes (name, kind, license), edges are arrows from an asset to its upstream labelled
with the relation; assets with open findings get a coloured border. The layout is layered: the
release at the bottom, each upstream one row above its lowest child, rows ordered to keep edges
short (one barycentre pass). Every label is escaped: manifests are untrusted text.
"""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape

from auditor.parsed import JSONObject
from auditor.readers.values import shorten
from auditor.vocabulary import Severity

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 224, 54, 26, 64, 16  # 30 bold 12 px characters fit a box
MAX_ASSETS = 60
NOTHING_SHOWN = (
    '<svg xmlns="http://www.w3.org/2000/svg" class="lineage" viewBox="0 0 320 40" width="320" height="40" '
    'role="img" aria-label="No lineage"><text x="16" y="24" class="note">no asset is described</text></svg>'
)
COLOURS: dict[str | None, str] = {Severity.ERROR: "#b3261e", Severity.WARNING: "#a15c00", Severity.INFO: "#1d5fa8"}


def render(document: JSONObject) -> str:
    """An SVG of the release and its upstream lineage (the whole graph when no release is known)."""
    assets = {a["id"]: a for a in document["assets"]}
    edges = [e for e in document["edges"] if e["child"] in assets and e["parent"] in assets]
    release = document["release"]["asset"] if document["release"]["asset"] in assets else None
    shown = _lineage(release, edges, assets)
    if not shown:
        return NOTHING_SHOWN
    layers = _layers(shown, [e for e in edges if e["child"] in shown and e["parent"] in shown], release)
    position = {}
    width = max(len(row) for row in layers) * (BOX_W + GAP_X) - GAP_X + 2 * MARGIN
    height = len(layers) * (BOX_H + GAP_Y) - GAP_Y + 2 * MARGIN
    for depth, row in enumerate(layers):
        offset = (width - (len(row) * (BOX_W + GAP_X) - GAP_X)) / 2
        for i, asset_id in enumerate(row):
            position[asset_id] = (offset + i * (BOX_W + GAP_X), height - MARGIN - BOX_H - depth * (BOX_H + GAP_Y))
    severity = _worst_severity(document)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lineage" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="Lineage of the release">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6470"/></marker></defs>',
    ]
    for e in sorted(edges, key=lambda e: (e["child"], e["parent"], e["relation"])):
        if e["child"] in position and e["parent"] in position:
            parts.append(_edge(position[e["child"]], position[e["parent"]], e["relation"]))
    for asset_id, (x, y) in sorted(position.items()):
        parts.append(_box(assets[asset_id], x, y, severity.get(asset_id), asset_id == release))
    if len(shown) < len(_lineage(release, edges, assets, limit=None)):
        parts.append(
            f'<text x="{MARGIN}" y="{MARGIN}" class="note">showing {len(shown)} assets nearest the release</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _lineage(
    release: str | None, edges: list[JSONObject], assets: dict[str, JSONObject], limit: int | None = MAX_ASSETS
) -> list[str]:
    """The release and its ancestors, nearest first (breadth-first), at most `limit` of them."""
    if release is None:
        return sorted(assets)[:limit]
    parents: defaultdict[str, list[str]] = defaultdict(list)
    for e in edges:
        parents[e["child"]].append(e["parent"])
    seen, queue = [release], [release]
    while queue and (limit is None or len(seen) < limit):
        for parent in sorted(parents[queue.pop(0)]):
            if parent not in seen and (limit is None or len(seen) < limit):
                seen.append(parent)
                queue.append(parent)
    return seen


def _layers(shown: list[str], edges: list[JSONObject], release: str | None) -> list[list[str]]:
    """Rows from the release upwards: an asset sits one row above the highest child below it."""
    parents: defaultdict[str, set[str]] = defaultdict(set)
    children: defaultdict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e["child"] != e["parent"]:
            parents[e["child"]].add(e["parent"])
            children[e["parent"]].add(e["child"])
    depth = {a: 0 for a in shown}
    for _ in range(len(shown)):  # longest path from the release, bounded so cycles end
        changed = False
        for child in shown:
            for parent in parents[child]:
                if depth[parent] < depth[child] + 1 <= len(shown):
                    depth[parent] = depth[child] + 1
                    changed = True
        if not changed:
            break
    rows: defaultdict[int, list[str]] = defaultdict(list)
    for a in shown:
        rows[depth[a]].append(a)
    ordered: list[list[str]] = []
    placed: dict[str, int] = {}
    for d in sorted(rows):
        row = sorted(rows[d], key=lambda a: (_barycentre(a, children, placed), a))
        placed.update({a: i for i, a in enumerate(row)})
        ordered.append(row)
    return ordered


def _barycentre(asset: str, children: dict[str, set[str]], placed: dict[str, int]) -> float:
    below = [placed[c] for c in children[asset] if c in placed]
    return sum(below) / len(below) if below else 0.0


def _worst_severity(document: JSONObject) -> dict[str, str]:
    worst: dict[str, str] = {}
    for f in document["findings"]:
        if f["status"] == "open" and f["asset"]:
            current = worst.get(f["asset"])
            if current is None or Severity(f["severity"]).rank < Severity(current).rank:
                worst[f["asset"]] = f["severity"]
    return worst


def _box(asset: JSONObject, x: float, y: float, severity: str | None, release: bool) -> str:
    stroke = COLOURS.get(severity or "", "#8b949e")
    width = 3 if severity in (Severity.ERROR, Severity.WARNING) else 1.2
    fill = "#fff8e6" if release else ("#f6f7f9" if asset["resolved"] else "#ffffff")
    dash = "" if asset["resolved"] else ' stroke-dasharray="5 3"'
    license_text = asset["license"] or asset["license_status"].replace("_", " ")
    title = f"{asset['id']} ({asset['kind']}, {license_text}){': ' + severity + ' findings' if severity else ''}"
    # The labels sit in a nested viewport the size of the box, so a wide label is clipped at its
    # edge instead of running over its neighbours; the full text is in the <title>.
    return (
        f'<g class="asset"><title>{escape(title)}</title>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{width}"{dash}/>'
        f'<svg x="{x:.0f}" y="{y:.0f}" width="{BOX_W - 4}" height="{BOX_H}" overflow="hidden">'
        f'<text x="8" y="19" class="name">{escape(shorten(asset["id"], 30))}</text>'
        f'<text x="8" y="35" class="kind">{escape(asset["kind"])}'
        f"{'' if asset['resolved'] else ' · unresolved'}</text>"
        f'<text x="8" y="49" class="license">{escape(shorten(license_text, 32))}</text></svg></g>'
    )


def _edge(child: tuple[float, float], parent: tuple[float, float], relation: str) -> str:
    x1, y1 = child[0] + BOX_W / 2, child[1]
    x2, y2 = parent[0] + BOX_W / 2, parent[1] + BOX_H
    label = relation.replace("_", " ")
    return (
        f'<g class="edge"><line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="#5b6470" '
        f'stroke-width="1.2" marker-end="url(#arrow)"/>'
        f'<text x="{(x1 + x2) / 2 + 4:.0f}" y="{(y1 + y2) / 2:.0f}" class="relation">{escape(label)}</text></g>'
    )
