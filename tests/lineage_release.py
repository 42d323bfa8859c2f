"""A large release folder for the lineage diagram's tests: a merge of base models, a chain of
fine-tunes each trained on its share of many datasets (some non-commercial, some share-alike, some
without a license), a quantized release, and assets outside its lineage."""

from __future__ import annotations

from pathlib import Path

from conftest import card, write_tree

LICENSES = ("cc-by-4.0", "apache-2.0", "mit", "cc-by-sa-4.0", "odc-by")
RELEASE = "acme/chat-7b-q4"
OUTSIDE = 20  # assets in the folder but not in the release's lineage


def large_release(root: Path, assets: int = 150, stages: int = 6, merged: int = 4) -> Path:
    """A release folder whose release has `assets` assets in its lineage, itself included."""
    datasets = [
        f"lab{i % 7}/corpus-{i:04d}-{'multilingual-instructions' if i % 5 == 0 else 'qa'}"
        for i in range(assets - merged - stages - 2)
    ]
    files: dict[str, str | bytes] = {}
    for i, name in enumerate(datasets):
        license_line = (
            "" if i % 29 == 5 else f"license: {'cc-by-nc-4.0' if i % 17 == 3 else LICENSES[i % len(LICENSES)]}\n"
        )
        files[f"datasets/{name}/README.md"] = card(license_line + "task_categories: [text-generation]")
    bases = [f"org{k}/base-{k}-7b" for k in range(merged)]
    files.update({f"{base}/README.md": card("license: apache-2.0\npipeline_tag: text-generation") for base in bases})
    files["acme/merged-7b/README.md"] = card(
        f"license: apache-2.0\nbase_model_relation: merge\nbase_model: [{', '.join(bases)}]"
    )
    parent, share = "acme/merged-7b", len(datasets) // stages
    for stage in range(stages):
        name = f"acme/chat-7b-stage{stage + 1}"
        used = datasets[stage * share : len(datasets) if stage == stages - 1 else (stage + 1) * share]
        files[f"{name}/README.md"] = card(
            f"license: apache-2.0\nbase_model: {parent}\nbase_model_relation: finetune\ndatasets: [{', '.join(used)}]"
        )
        parent = name
    files[f"{RELEASE}/README.md"] = card(f"license: apache-2.0\nbase_model: {parent}\nbase_model_relation: quantized")
    files.update({f"other/unrelated-{j}/README.md": card("license: mit") for j in range(OUTSIDE)})
    files["mlaudit.toml"] = f'[release]\nasset = "{RELEASE}"\nuse = "commercial"\n'
    return write_tree(root, files)
