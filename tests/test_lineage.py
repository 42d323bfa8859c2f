"""The lineage diagram: what is drawn (the release's lineage only, blocking paths marked, siblings
folded past a threshold and never those a blocking finding runs through), how (no box overlaps
another, no line crosses a box or a label, arrows end at borders, names cut with an ellipsis and
given whole in a tooltip), the PDF's parts, and byte-identical output."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from itertools import pairwise

import pytest
from conftest import ROOT, card, run_audit, write_tree
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lineage_release import OUTSIDE, RELEASE, large_release

from auditor.report import lineage, lineage_draw, lineage_layout

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> dict:
    return run_audit(large_release(tmp_path_factory.mktemp("large") / "r", 150))


def blocking_errors(doc: dict) -> list[dict]:
    return [f for f in doc["findings"] if f["status"] == "open" and f["severity"] == "error"]


def folded_members(diagram) -> dict[str, str]:
    """Each asset folded into a group box, with the group's key (group titles list their members)."""
    return {
        member.split(" (")[0]: box.key
        for box in diagram.boxes
        if box.group
        for member in box.title.split(": ", 1)[1].split("; ")
    }


def test_only_the_release_and_its_ancestors_are_drawn(large):
    diagram = lineage.diagram_of(large)
    drawn = {b.key for b in diagram.boxes if not b.group} | set(folded_members(diagram))
    # the release is named: its graph is cut to its lineage, and the rest of the folder counted
    assert large["release"]["outside_lineage"]["assets"] == OUTSIDE
    assert not any(a["id"].startswith("other/") for a in large["assets"])
    assert drawn == {a["id"] for a in large["assets"]}  # every ancestor, as a box or in a group
    assert RELEASE in {b.key for b in diagram.boxes}


def test_siblings_past_the_threshold_fold_into_a_box_counting_their_licenses(large):
    diagram = lineage.diagram_of(large)
    groups = [b for b in diagram.boxes if b.group]
    assert len(groups) == 6  # one per fine-tune stage: its datasets with nothing open
    members = folded_members(diagram)
    assert len(members) > 100 and len(diagram.boxes) < 40
    for box in groups:
        count = sum(1 for key in members.values() if key == box.key)
        assert count > lineage.COLLAPSE_ABOVE and box.lines[0] == f"+ {count} datasets"
        assert box.lines[2].split(" ×")[0] in {"CC-BY-4.0", "Apache-2.0", "MIT", "ODC-By-1.0"}
    licenses = {a["id"]: a["license"] for a in large["assets"]}
    group = groups[0]
    listed = group.title.split(": ", 1)[1].split("; ")
    assert all(f"{m.split(' (')[0]} ({licenses[m.split(' (')[0]]})" == m for m in listed)


def test_assets_on_a_blocking_path_or_with_open_errors_or_warnings_are_never_folded(large):
    diagram = lineage.diagram_of(large)
    members = folded_members(diagram)
    on_paths = {a for link in diagram.links if link.findings for a in (link.child, link.parent)}
    assert on_paths and not on_paths & set(members)
    named = {
        s["asset"]
        for f in large["findings"]
        if f["status"] == "open" and f["severity"] in ("error", "warning")
        for s in f["evidence"] + [{"asset": f["asset"]}]
    }
    assert named - {None} and not named & set(members)
    non_commercial = {a["id"] for a in large["assets"] if a["license"] == "CC-BY-NC-4.0"}
    assert non_commercial & on_paths  # the conflict's cause is drawn, on its red path


@pytest.mark.parametrize(
    "siblings, boxes", [(lineage.COLLAPSE_ABOVE, lineage.COLLAPSE_ABOVE + 1), (lineage.COLLAPSE_ABOVE + 1, 2)]
)
def test_folding_starts_past_the_threshold(tmp_path, siblings, boxes):
    names = [f"org/d{i}" for i in range(siblings)]
    files = {f"datasets/{n}/README.md": card("license: mit\ntask_categories: [text-generation]") for n in names}
    files["acme/m/README.md"] = card(f"license: mit\ndatasets: [{', '.join(names)}]")
    diagram = lineage.diagram_of(run_audit(write_tree(tmp_path / "r", files)))
    assert len(diagram.boxes) == boxes


def test_each_blocking_finding_has_a_path_from_the_release_to_the_asset_its_chain_ends_at(large):
    diagram = lineage.diagram_of(large)
    for finding in blocking_errors(large):
        links = [link for link in diagram.links if finding["id"] in link.findings]
        cause = [s["asset"] for s in finding["evidence"] if s["asset"]][-1]
        assert reaches(RELEASE, cause, links), finding["id"]
    assert len(blocking_errors(large)) >= 5


def reaches(start: str, end: str, links) -> bool:
    parents = defaultdict(set)
    for link in links:
        parents[link.child].add(link.parent)
    seen, todo = {start}, [start]
    while todo:
        for parent in parents[todo.pop()] - seen:
            seen.add(parent)
            todo.append(parent)
    return end in seen


def test_the_same_document_gives_the_same_bytes_in_another_process(large, tmp_path):
    svg = lineage.render(large)
    assert svg == lineage.render(large)
    (tmp_path / "doc.json").write_text(__import__("json").dumps(large))
    script = "import json,sys; from auditor.report import lineage; sys.stdout.write(lineage.render(json.load(open(sys.argv[1]))))"
    env = {**os.environ, "PYTHONHASHSEED": "7", "PYTHONPATH": str(ROOT)}
    other = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "doc.json")], capture_output=True, text=True, env=env, check=True
    )
    assert other.stdout == svg


def test_long_names_are_cut_with_an_ellipsis_and_given_whole_in_the_title(tmp_path):
    long = "org/" + "very-long-model-name-" * 4 + "end"
    files = {f"{long}/README.md": card("license: mit"), "acme/m/README.md": card(f"license: mit\nbase_model: {long}")}
    svg = ET.fromstring(lineage.render(run_audit(write_tree(tmp_path / "r", files))))
    (group,) = [
        g
        for g in svg.iter(f"{SVG}g")
        if g.find(f"{SVG}title") is not None and g.find(f"{SVG}title").text.startswith(long)
    ]
    name = group.find(f".//{SVG}text").text
    assert name.endswith("…") and long.startswith(name[:-1]) and len(name) < len(long)
    assert group.find(f"{SVG}title").text.startswith(long + " (model, MIT)")
    assert lineage_draw.text_width(name, lineage_draw.FONTS["name"]) <= lineage_draw.BOX_W - 2 * lineage_draw.PAD
    assert lineage_draw.fit("org/short", 12, 200) == "org/short"


def test_names_are_escaped_and_nothing_is_capped(tmp_path):
    lineage_of = "".join(
        f'[[lineage]]\nchild = "org/p{i}"\nparent = "datasets/<script>{i}"\nrelation = "trained_on"\n'
        for i in range(49)
    )  # names no card field would take as a Hub id
    files = {
        "mlaudit.toml": '[release]\nasset = "org/top"\n' + lineage_of,
        "org/top/README.md": card("license: mit\nbase_model: [" + ", ".join(f"org/p{i}" for i in range(49)) + "]"),
    }
    files.update({f"org/p{i}/README.md": card("license: mit") for i in range(49)})
    svg = lineage.render(run_audit(write_tree(tmp_path / "r", files)))
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert svg.count('class="asset"') == 99 and 'class="note"' not in svg


# --- geometry, on the SVG as drawn ------------------------------------------------------------


def geometry(svg: str) -> tuple[list[tuple], list[list[tuple]], list[tuple]]:
    """The rectangles of boxes and labels, the polylines, and the arrowheads' tips."""
    root = ET.fromstring(svg)
    rects, lines, tips = [], [], []
    for g in root.iter(f"{SVG}g"):
        if g.get("class", "").split()[0] in ("asset", "junction"):
            r = g.find(f"{SVG}rect")
            x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
            rects.append((x, y, x + w, y + h))
        elif g.get("class", "").startswith("edge"):
            lines.append([tuple(map(float, p.split(","))) for p in g.find(f"{SVG}polyline").get("points").split()])
            if (head := g.find(f"{SVG}polygon")) is not None:
                tips.append(tuple(map(float, head.get("points").split()[0].split(","))))
    return rects, lines, tips


def crosses(segment, rect, inset=0.5) -> bool:
    """Whether a segment enters the rectangle shrunk by `inset` (Liang-Barsky clipping)."""
    (x1, y1), (x2, y2) = segment
    left, top, right, bottom = rect[0] + inset, rect[1] + inset, rect[2] - inset, rect[3] - inset
    t0, t1, dx, dy = 0.0, 1.0, x2 - x1, y2 - y1
    for p, q in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            t0 = max(t0, q / p)
        else:
            t1 = min(t1, q / p)
    return t0 < t1


def check_drawing(svg: str) -> None:
    rects, lines, tips = geometry(svg)
    for a, b in ((a, b) for i, a in enumerate(rects) for b in rects[i + 1 :]):
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], ("overlap", a, b)
    for line in lines:
        for segment in pairwise(line):
            assert not any(crosses(segment, r) for r in rects), ("crossing", segment)
    for tip in tips:  # on a box's top or bottom: every line joins adjacent layers, cycles' included
        assert any(_on_border(tip, r) for r in rects), tip


def _on_border(point, rect) -> bool:
    x, y = point
    return rect[0] <= x <= rect[2] and min(abs(y - rect[1]), abs(y - rect[3])) < 0.2


def test_no_box_overlaps_another_and_no_line_crosses_a_box_at_150_assets(large):
    check_drawing(lineage.render(large))


@st.composite
def documents(draw):
    """A random lineage (cycles included) with random error findings along random chains."""
    n = draw(st.integers(2, 30))
    ids = [f"org/a{i}" for i in range(n)]
    edges = draw(
        st.lists(
            st.tuples(
                st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(["finetune", "trained_on", "merge"])
            ),
            max_size=60,
        )
    )
    chains = draw(st.lists(st.lists(st.integers(0, n - 1), min_size=1, max_size=4), max_size=4))
    assets = [
        {
            "id": a,
            "kind": draw(st.sampled_from(["model", "dataset"])),
            "resolved": True,
            "license": "MIT",
            "license_status": "declared",
        }
        for a in ids
    ]
    findings = [
        {
            "id": f"E{k}",
            "status": "open",
            "severity": "error",
            "asset": ids[0],
            "evidence": [{"asset": ids[i]} for i in chain],
        }
        for k, chain in enumerate(chains)
    ]
    edge_rows = [{"child": ids[c], "parent": ids[p], "relation": r} for c, p, r in edges]
    return {"assets": assets, "edges": edge_rows, "findings": findings, "release": {"asset": ids[0]}}


def cycle_of_four() -> dict:
    """Four models fine-tuned from each other in cycles, two also trained on each other."""
    finetunes = [(0, 1), (0, 2), (1, 0), (1, 2), (2, 1), (3, 0)]
    edges = [(c, p, "finetune") for c, p in finetunes] + [(1, 3, "trained_on"), (3, 1, "trained_on")]
    return {
        "assets": [
            {"id": f"org/a{i}", "kind": "model", "resolved": True, "license": "MIT", "license_status": "declared"}
            for i in range(4)
        ],
        "edges": [{"child": f"org/a{c}", "parent": f"org/a{p}", "relation": r} for c, p, r in edges],
        "findings": [],
        "release": {"asset": "org/a0"},
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
@example(
    doc={
        "assets": [
            {"id": "org/a0", "kind": "model", "resolved": True, "license": "MIT", "license_status": "declared"},
            {"id": "org/a1", "kind": "model", "resolved": True, "license": "MIT", "license_status": "declared"},
        ],
        "edges": [
            {"child": "org/a0", "parent": "org/a1", "relation": "finetune"},
            {"child": "org/a1", "parent": "org/a0", "relation": "finetune"},
            {"child": "org/a1", "parent": "org/a0", "relation": "trained_on"},
        ],
        "findings": [],
        "release": {"asset": "org/a0"},
    },
)  # a two-asset cycle: igraph's own bends of its reversed edge include one in its upstream's layer
@example(doc=cycle_of_four())  # a line slanting to a label beside a box in the box's layer ran through it
def test_any_lineage_is_drawn_without_overlaps_or_crossings_and_blocking_paths_stay_unfolded(doc):
    diagram = lineage.diagram_of(doc)
    check_drawing(lineage.render(doc))
    on_paths = {a for link in diagram.links if link.findings for a in (link.child, link.parent)}
    assert not on_paths & set(folded_members(diagram))


@st.composite
def graphs(draw) -> tuple[int, list[tuple[int, int]]]:
    """A random directed graph, cycles and repeated edges included (no loops: no link joins a
    vertex to itself)."""
    n = draw(st.integers(2, 25))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] != e[1])
    return n, draw(st.lists(pairs, max_size=60))


@settings(max_examples=200, deadline=None)
@given(graphs())
@example(
    graph=(8, [(7, 2), (6, 7), (3, 7), (4, 7), (5, 7), (7, 5), (3, 5), (2, 4)])
)  # igraph's bends: 2 on edge 0, 0 on edge 1
@example(
    graph=(8, [(6, 2), (3, 5), (6, 4), (7, 2), (4, 5), (6, 0), (2, 5), (3, 6), (5, 3)])
)  # edge 0 given edge 3's bend
def test_every_edge_runs_through_one_vertex_per_layer_and_a_layers_vertices_stay_a_unit_apart(graph):
    n, edges = graph
    laid = lineage_layout.layout(n, edges)
    assert [(chain[0], chain[-1]) for chain in laid.chains] == edges
    assert sorted(v for chain in laid.chains for v in chain[1:-1]) == list(range(n, len(laid.coords)))
    layer = [y for _, y in laid.coords]
    assert all(abs(layer[u] - layer[v]) == 1 for chain in laid.chains for u, v in pairwise(chain))
    rows = defaultdict(list)
    for x, y in laid.coords:
        rows[y].append(x)
    assert all(b - a >= 1 - 1e-9 for row in rows.values() for a, b in pairwise(sorted(row)))


def test_the_pdf_parts_show_every_box_whole_at_least_once(large):
    drawing = lineage_draw.draw(lineage.diagram_of(large))
    windows = drawing.windows(900, 500)
    assert len(windows) > 1 and all(w[2] - w[0] <= 900 and w[3] - w[1] <= 500 for w in windows)
    for solid in drawing.solids:
        assert any(w[0] <= solid[0] and solid[2] <= w[2] and w[1] <= solid[1] and solid[3] <= w[3] for w in windows)
    parts = lineage.pages(large, 900, 500, 1.0)
    shown = sum(part.count('class="asset') for part in parts)
    assert len(parts) == len(windows) and shown >= len(lineage.diagram_of(large).boxes)


def test_past_the_bound_the_boxes_nearest_the_release_are_drawn_with_a_note(large, monkeypatch):
    monkeypatch.setattr(lineage, "MAX_BOXES", 10)
    diagram = lineage.diagram_of(large)
    assets = [b for b in diagram.boxes if not b.group]
    assert len(assets) == 10 and assets[0].key == RELEASE and "acme/chat-7b-stage6" in {b.key for b in assets}
    assert diagram.note is not None and diagram.note.startswith("showing the 10 assets nearest the release;")
    assert 'class="note">showing the 10 assets nearest' in lineage.render(large)
    drawn = {b.key for b in diagram.boxes}
    assert all(link.child in drawn and link.parent in drawn for link in diagram.links)
