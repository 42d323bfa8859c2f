"""Diffusers pipelines: a model folder whose model_index.json names its components, each a sub-folder
(unet/, vae/, text_encoder/, scheduler/ ...) holding that component's config and weights.

The model-folder reader reads model_index.json as a config of the folder's model: its pipeline class
and one statement per component. The harvest then places each component's config and weights with
that model (they are its parts, not assets of their own); a sub-folder model_index.json does not
name stays outside every asset, as any folder nested deeper than the layout.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.harvest.layout import Ev
from auditor.model import AssetRecord, Statement
from auditor.readers.values import JSON, shorten

FILE = "model_index.json"
COMPONENT = "component."  # the field of a component's statement: component.unet
MAX_COMPONENTS = 64  # a pipeline has a handful; bounds the statements of a hostile file


def describe(data: dict[str, JSON], record: AssetRecord, ev: Ev) -> None:
    """The pipeline's class and each component it names ("unet": ["diffusers", "UNet2DConditionModel"];
    [null, null] is a component left out, a key starting with "_" the pipeline's own field)."""
    for key in ("_class_name", "_diffusers_version"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            record.statements.append(Statement(key, shorten(value.strip()), ev(key)))
    named = [(key, said) for key, value in data.items() if (said := _component(key, value))]
    record.statements += [Statement(COMPONENT + key, shorten(said), ev(key)) for key, said in named[:MAX_COMPONENTS]]


def _component(key: str, value: JSON) -> str | None:
    """The library and class a [library, class] entry names, under a key that can be a sub-folder's
    name; None for any other entry (a class of null is a component left out)."""
    folder = not key.startswith(("_", ".")) and "/" not in key and "\\" not in key
    if not folder or not isinstance(value, list) or len(value) != 2 or not isinstance(value[1], str):
        return None
    return " ".join(str(v) for v in value if v) if value[1].strip() else None


def components(records: Iterable[AssetRecord]) -> frozenset[str]:
    """The sub-folders the model_index.json records name as components."""
    return frozenset(
        s.field.removeprefix(COMPONENT) for r in records for s in r.statements if s.field.startswith(COMPONENT)
    )
