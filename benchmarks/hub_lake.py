"""Hub-shaped lakes: the benchmark's synthetic lineage graph (bench_pipeline.Lineage, with its
heavy-tailed fan-out and licence mix) written as tables of Hub records, the rows the Hub's API
returns (id, sha, lastModified, tags, cardData), as JSON Lines, gzip-compressed JSON Lines and Parquet.

Models and datasets go to separate tables (models.jsonl, datasets.jsonl), as Hub-wide dumps keep
them. Like the API's rows, each carries the Hub's computed tags (`license:x`, `dataset:org/name`,
`base_model:org/name` and `base_model:<relation>:org/name`) beside the card data; a share of rows
has no card data at all (listed without it), so their licence and lineage come from the tags alone.

    python benchmarks/hub_lake.py 100000 OUT      # OUT/jsonl/*.jsonl, OUT/jsonl-gz/*.jsonl.gz, OUT/parquet/*.parquet

The output is large (about 0.5 GB at a million rows): write it to a temporary folder or to
benchmarks/out/ (git-ignored), never into the repository.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pipeline import TAGS, Lineage, Spec, choose_release

FORMATS = ("jsonl", "jsonl-gz", "parquet")  # the lake's folders, one a form of the same tables
NO_CARD_DATA = 0.1  # share of rows listed without their card data: tags only
MODIFIED = "2026-11-30T12:00:00.000Z"


def row(spec: Spec, with_card: bool) -> dict[str, Any]:
    """The Hub record of one generated asset."""
    card = card_data(spec) if spec.metadata else None
    return {
        "id": spec.id,
        "sha": hashlib.sha1(spec.id.encode()).hexdigest(),
        "lastModified": MODIFIED,
        "tags": hub_tags(spec),
        "cardData": card if with_card else None,
    }


def card_data(spec: Spec) -> dict[str, Any]:
    """What the asset's card front matter says, as the API returns it in cardData."""
    data: dict[str, Any] = {}
    if spec.licenses:
        data["license"] = spec.licenses[0] if len(spec.licenses) == 1 else list(spec.licenses)
    if spec.license_name:
        data["license_name"] = spec.license_name
    if spec.kind == "dataset":
        data["task_categories"] = ["text-generation"]
        if spec.sources:
            data["source_datasets"] = list(spec.sources)
        return data
    data["library_name"] = "peft" if spec.relation == "adapter" else "transformers"
    if spec.bases:
        data["base_model"] = spec.bases[0] if len(spec.bases) == 1 else list(spec.bases)
    if spec.declares_relation and spec.relation:
        data["base_model_relation"] = spec.relation
    if spec.relation:
        data["tags"] = list(TAGS[spec.relation])
    if spec.datasets:
        data["datasets"] = list(spec.datasets)
    if spec.evals:
        results = [{"dataset": {"name": t.split("/")[-1], "type": t}} for t in spec.evals]
        data["model-index"] = [{"name": spec.id.split("/")[1], "results": results}]
    return data


def hub_tags(spec: Spec) -> list[str]:
    """The tags the Hub computes from the card: licence, datasets and base models with their relation."""
    if not spec.metadata:
        return []
    relation = "merge" if len(spec.bases) > 1 else spec.relation
    tags = [f"license:{lic}" for lic in spec.licenses]
    tags += [f"dataset:{d}" for d in spec.datasets]
    tags += [t for b in spec.bases for t in (f"base_model:{b}", f"base_model:{relation}:{b}")]
    return tags


def write(size: int, seed: int, out: Path) -> tuple[Spec, int]:
    """Generate a lake of `size` assets into `out`/jsonl, `out`/jsonl-gz and `out`/parquet; returns
    the deep release the benchmark audits and the size of its upstream cone."""
    import duckdb

    lineage = Lineage(size, seed)
    specs = lineage.build()
    release, cone = choose_release(specs)
    for fmt in FORMATS:
        (out / fmt).mkdir(parents=True, exist_ok=True)
    for kind in ("model", "dataset"):
        jsonl = out / "jsonl" / f"{kind}s.jsonl"
        with jsonl.open("w", encoding="utf-8") as fh:
            for i, spec in enumerate(s for s in specs if s.kind == kind):
                with_card = spec is release or (i * 7919) % 100 >= NO_CARD_DATA * 100
                fh.write(json.dumps(row(spec, with_card), separators=(",", ":")) + "\n")
        with jsonl.open("rb") as source, gzip.GzipFile(out / "jsonl-gz" / f"{jsonl.name}.gz", "wb", mtime=0) as target:
            shutil.copyfileobj(source, target)
        columns = (
            "{'id': 'VARCHAR', 'sha': 'VARCHAR', 'lastModified': 'VARCHAR', 'tags': 'VARCHAR[]', 'cardData': 'JSON'}"
        )
        duckdb.connect().execute(
            f"COPY (SELECT id, sha, lastModified, tags, cardData::VARCHAR AS cardData "
            f"FROM read_json(?, format='newline_delimited', columns={columns})) TO ? (FORMAT parquet)",
            [str(jsonl), str(out / "parquet" / f"{kind}s.parquet")],
        )
    return release, cone


def main(argv: list[str]) -> int:
    size, out = int(argv[0]), Path(argv[1])
    release, cone = write(size, int(argv[2]) if len(argv) > 2 else 1, out)
    print(f"{size:,} assets in {out}; deep release {release.id} (depth {release.depth}, {cone:,} upstream)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
