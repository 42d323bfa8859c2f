"""Drawing the lineage diagram, laid out in layers (lineage_layout.py), as SVG.

A link runs from its asset through a small label naming the relation (one label per asset and
relation, shared by the upstreams it names) to the upstream, so the layout places labels as it
places boxes, in layers of their own. Long links bend at the layout's dummy vertices, one in each
layer between their ends. A line slants only in the gap between two layers and runs straight up
or down inside a layer (through a dummy, or to a label lower than the layer's boxes); the layout
keeps the vertices and dummies of a layer at least a unit apart, and a unit is wider than a box,
so no line crosses a box or a label. The release's layer is drawn at the bottom; arrows point
upstream and end at the upstream's border. Text is cut to its box by a width estimate that errs
wide (DejaVu Sans Bold's widths, rounded up), with an ellipsis; the full name is in the box's
<title>. Every label is escaped.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from xml.sax.saxutils import escape, quoteattr

from auditor.report.lineage_layout import layout

BOX_W, BOX_H, UNIT, LABEL_H, GAP_Y, MARGIN, PAD, NOTE_H = 264, 54, 288, 18, 34, 16, 8, 22
FONTS = {"name": 12.0, "kind": 11.0, "license": 11.0, "relation": 10.5, "note": 11.0}  # px, as in lineage.css
SMALLEST_FONT = min(FONTS.values())
NARROW, WIDE, BROAD = frozenset("'ijl /\\|IJ,.:;-f!()[]"), frozenset("mwMW@%"), frozenset("#+<=>^~&")
LINE, HIGHLIGHT = "#5b6470", "#b3261e"
ARROW_LENGTH, ARROW_HALF_WIDTH = 8.0, 4.0
Rect = tuple[float, float, float, float]  # left, top, right, bottom
Point = tuple[float, float]


@dataclass(frozen=True, order=True)
class Link:
    """A lineage edge as drawn: the upstream may be a group box; `findings` are the blocking ones along it."""

    child: str
    parent: str
    relation: str
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Box:
    key: str
    lines: tuple[str, str, str]  # name, kind, license
    title: str
    stroke: str
    stroke_width: float
    fill: str
    dashed: bool
    group: bool


@dataclass(frozen=True)
class Diagram:
    boxes: list[Box]
    links: list[Link]
    note: str | None


@dataclass(frozen=True)
class Drawing:
    """The diagram drawn: each SVG element with the rectangle it covers, the rectangles of boxes and
    labels (where a page may not cut), and each layer's top and bottom."""

    width: float
    height: float
    parts: list[tuple[Rect, str, bool]]  # an element, the rectangle it covers, whether it is drawn whole or not at all
    solids: list[Rect]
    bands: list[tuple[float, float]]

    def svg(self, window: Rect | None = None, scale: float = 1.0, least: float = 1.0) -> str:
        """The SVG of the whole drawing, or of the part inside `window`, drawn at `scale`, which a
        page may shrink down to `least` times that to fit (then it scrolls)."""
        left, top, right, bottom = window or (0, 0, self.width, self.height)
        w, h = right - left, bottom - top
        frame = (left, top, right, bottom)
        shown = [part for rect, part, whole in self.parts if (_within(rect, frame) if whole else _meets(rect, frame))]
        return "\n".join(
            [
                '<svg xmlns="http://www.w3.org/2000/svg" class="lineage" '
                f'viewBox="{left:.1f} {top:.1f} {w:.1f} {h:.1f}" '
                f'width="{w * scale:.1f}" height="{h * scale:.1f}" style="min-width: {w * scale * least:.1f}px" '
                'role="img" aria-label="Lineage of the release">',
                *shown,
                "</svg>",
            ]
        )

    def windows(self, width: float, height: float) -> list[Rect]:
        """Parts of at most `width` x `height` that together show every box and label whole: rows
        cut between layers, each row cut in columns, the next column starting at the left edge of
        the leftmost box the last one cut (a part draws only the boxes it holds whole)."""
        windows: list[Rect] = []
        for top, bottom in self._rows(height):
            solids = [r for r in self.solids if top <= r[1] and r[3] <= bottom]
            left = 0.0
            while left < self.width and solids:
                right = min(left + width, self.width)
                if any(left <= r[0] and r[2] <= right for r in solids):
                    windows.append((left, top, right, bottom))
                left = max(min([r[0] for r in solids if r[0] < right < r[2]], default=right), left + 1)
        return windows

    def _rows(self, height: float) -> list[tuple[float, float]]:
        """Spans of whole layers, each at most `height` tall (or one layer), top first."""
        rows: list[tuple[float, float]] = []
        top = 0.0
        for i, (_, band_bottom) in enumerate(self.bands):
            end = self.height if i == len(self.bands) - 1 else band_bottom + GAP_Y / 2
            if rows and end - rows[-1][0] <= height:
                rows[-1] = (rows[-1][0], end)
            else:
                rows.append((top, end))
            top = end
        return rows


def _within(a: Rect, b: Rect) -> bool:
    return b[0] <= a[0] and a[2] <= b[2] and b[1] <= a[1] and a[3] <= b[3]


def _meets(a: Rect, b: Rect) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def text_width(text: str, size: float) -> float:
    """An estimate of the text's width in px that errs wide."""
    return size * sum(_advance(ch) for ch in text)


def _advance(ch: str) -> float:
    if ch in NARROW:
        return 0.46
    if ch in WIDE:
        return 1.11
    if ch.isupper() or ch in BROAD:
        return 0.88
    return 0.72 if ch.isascii() else 1.1


def fit(text: str, size: float, room: float) -> str:
    """The text, or as much of it as fits `room` px followed by an ellipsis."""
    if text_width(text, size) <= room:
        return text
    kept, width = "", text_width("…", size)
    for ch in text:
        width += size * _advance(ch)
        if width > room:
            break
        kept += ch
    return kept + "…"


def draw(diagram: Diagram) -> Drawing:
    """The diagram laid out in layers (lineage_layout.py) and drawn."""
    boxes = {b.key: b for b in diagram.boxes}
    junctions = sorted({(link.child, link.relation) for link in diagram.links})
    # The boxes in the diagram's order, nearest the release first: igraph's crossing reduction
    # starts from the vertices' order, and this one gives narrower layouts than sorted names.
    keys = [b.key for b in diagram.boxes] + [f"{child}\x00{relation}" for child, relation in junctions]
    index = {key: i for i, key in enumerate(keys)}
    through: defaultdict[int, set[str]] = defaultdict(set)  # per label, the blocking findings through it
    segments: list[tuple[int, int, tuple[str, ...]]] = []
    for link in diagram.links:
        junction = index[f"{link.child}\x00{link.relation}"]
        segments.append((junction, index[link.parent], link.findings))
        through[junction].update(link.findings)
    for child, relation in junctions:
        junction = index[f"{child}\x00{relation}"]
        segments.append((index[child], junction, tuple(sorted(through[junction]))))
    laid = layout(len(keys), [(s, t) for s, t, _ in segments])
    places = _Places(keys, boxes, laid.coords, diagram.note)
    order = sorted(enumerate(segments), key=_drawn_order)
    parts = [(*places.edge(laid.chains[i], findings), False) for i, (_, _, findings) in order]
    parts += [(*places.node(i, tuple(sorted(through[i]))), True) for i in range(len(keys))]
    if diagram.note:
        note = f'<text x="{MARGIN}" y="{NOTE_H - 6}" class="note">{escape(diagram.note)}</text>'
        parts.append(((MARGIN, 0, MARGIN, NOTE_H), note, False))
    solids = [places.rect(i) for i in range(len(keys))]
    return Drawing(places.width, places.height, parts, solids, places.bands)


def _drawn_order(item: tuple[int, tuple[int, int, tuple[str, ...]]]) -> tuple[bool, int]:
    """Blocking paths last, so that they are drawn over the other lines."""
    return bool(item[1][2]), item[0]


class _Places:
    """Where each vertex of the layout is drawn (layers top to bottom, the release's last), and
    how its box or label and the lines between them are drawn."""

    def __init__(self, keys: list[str], boxes: dict[str, Box], coords: list[tuple[float, int]], note: str | None):
        self.keys, self.boxes, self.coords = keys, boxes, coords  # keys name the vertices before the dummies
        xs = [x for x, _ in coords]
        self.x0 = min(xs)
        heights: dict[int, float] = {}
        for i, (_, layer) in enumerate(coords):
            heights[layer] = max(heights.get(layer, LABEL_H), BOX_H if self._is_box(i) else LABEL_H)
        top: float = MARGIN + (NOTE_H if note else 0)
        self.band: dict[int, tuple[float, float]] = {}
        for layer in sorted(heights, reverse=True):
            self.band[layer] = (top, top + heights[layer])
            top += heights[layer] + GAP_Y
        self.bands = [self.band[layer] for layer in sorted(heights, reverse=True)]
        self.width = 2 * MARGIN + BOX_W + (max(xs) - self.x0) * UNIT
        self.height = top - GAP_Y + MARGIN

    def _is_box(self, i: int) -> bool:
        return i < len(self.keys) and self.keys[i] in self.boxes

    def _x(self, x: float) -> float:
        return MARGIN + BOX_W / 2 + (x - self.x0) * UNIT

    def _label(self, i: int) -> str:
        return self.keys[i].split("\x00")[1].replace("_", " ")

    def rect(self, i: int) -> Rect:
        """The rectangle of vertex i's box or label; a dummy's is a line across its layer."""
        x, layer = self.coords[i]
        top, bottom = self.band[layer]
        if i >= len(self.keys):
            return (self._x(x), top, self._x(x), bottom)
        if self._is_box(i):
            w, h = float(BOX_W), float(BOX_H)
        else:
            w, h = text_width(self._label(i), FONTS["relation"]) + 2 * 4, float(LABEL_H)
        y = (top + bottom - h) / 2
        return (self._x(x) - w / 2, y, self._x(x) + w / 2, y + h)

    def edge(self, chain: list[int], findings: tuple[str, ...]) -> tuple[Rect, str]:
        """A line from border to border through the vertices of its chain, one per layer; an arrow
        at an upstream's border."""
        points: list[Point] = []
        for u, v in pairwise(chain):
            for point in self._link(u, v):
                if not points or point != points[-1]:
                    points.append(point)
        colour, width = (HIGHLIGHT, 2.5) if findings else (LINE, 1.2)
        head = ""
        if self._is_box(chain[-1]):
            points[-1], arrow = _arrow(points[-2], points[-1])
            head = f'<polygon points="{_points(arrow)}" fill="{colour}"/>'
        data = f" data-findings={quoteattr(' '.join(findings))}" if findings else ""
        svg = (
            f'<g class="edge{" blocking" if findings else ""}"{data}><polyline points="{_points(points)}" fill="none" '
            f'stroke="{colour}" stroke-width="{width}"/>{head}</g>'
        )
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return (min(xs) - 5, min(ys) - 9, max(xs) + 5, max(ys) + 9), svg

    def _link(self, u: int, v: int) -> list[Point]:
        """From vertex u's border to v's in the next layer: slanting only in the gap between the two
        layers, where nothing is drawn, and straight up or down inside a layer, to the edge of a
        label lower than the layer's boxes, since the layout keeps a layer's other vertices a
        unit away."""
        a, b = self.rect(u), self.rect(v)
        ax, bx = (a[0] + a[2]) / 2, (b[0] + b[2]) / 2
        (a_top, a_bottom), (b_top, b_bottom) = self.band[self.coords[u][1]], self.band[self.coords[v][1]]
        if b_top < a_top:
            return [(ax, a[1]), (ax, a_top), (bx, b_bottom), (bx, b[3])]
        return [(ax, a[3]), (ax, a_bottom), (bx, b_top), (bx, b[1])]

    def node(self, i: int, findings: tuple[str, ...]) -> tuple[Rect, str]:
        rect = self.rect(i)
        if not self._is_box(i):
            data = f" data-findings={quoteattr(' '.join(findings))}" if findings else ""
            stroke = f' stroke="{HIGHLIGHT}" stroke-width="1.5"' if findings else ""
            return rect, (
                f'<g class="junction{" blocking" if findings else ""}"{data}><rect x="{rect[0]:.1f}" y="{rect[1]:.1f}" '
                f'width="{rect[2] - rect[0]:.1f}" height="{LABEL_H}" rx="3" fill="#eef0f3"{stroke}/>'
                f'<text x="{(rect[0] + rect[2]) / 2:.1f}" y="{rect[1] + 13:.1f}" text-anchor="middle" '
                f'class="relation">{escape(self._label(i))}</text></g>'
            )
        return rect, _box(self.boxes[self.keys[i]], rect[0], rect[1])


def _box(box: Box, x: float, y: float) -> str:
    """An asset's box; the labels sit in a nested viewport the size of the box, so that a label
    wider than estimated is clipped at its edge rather than run over a neighbour."""
    room = BOX_W - 2 * PAD
    name, kind, license_text = (fit(text, FONTS[cls], room) for text, cls in zip(box.lines, FONTS, strict=False))
    dash = ' stroke-dasharray="5 3"' if box.dashed else ""
    return (
        f'<g class="asset{" group" if box.group else ""}">'
        f"<title>{escape(box.title)}</title>"
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{box.fill}" '
        f'stroke="{box.stroke}" '
        f'stroke-width="{box.stroke_width}"{dash}/>'
        f'<svg x="{x:.1f}" y="{y:.1f}" width="{BOX_W - 4}" height="{BOX_H}" overflow="hidden">'
        f'<text x="{PAD}" y="19" class="name">{escape(name)}</text>'
        f'<text x="{PAD}" y="35" class="kind">{escape(kind)}</text>'
        f'<text x="{PAD}" y="49" class="license">{escape(license_text)}</text></svg></g>'
    )


def _arrow(start: Point, tip: Point) -> tuple[Point, list[Point]]:
    """Where the line stops, and the arrowhead whose tip touches the border at `tip`."""
    length = math.dist(start, tip) or 1.0
    ux, uy = (tip[0] - start[0]) / length, (tip[1] - start[1]) / length
    base = (tip[0] - ARROW_LENGTH * ux, tip[1] - ARROW_LENGTH * uy)
    side = (-uy * ARROW_HALF_WIDTH, ux * ARROW_HALF_WIDTH)
    return base, [tip, (base[0] + side[0], base[1] + side[1]), (base[0] - side[0], base[1] - side[1])]


def _points(points: list[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
