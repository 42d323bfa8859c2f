"""report.html: one self-contained page (inline CSS, no scripts or fonts fetched), autoescaped."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from auditor.report import lineage
from auditor.resources import templates_dir


def render(document: dict) -> str:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    diagram = Markup(lineage.render(document))  # built with every label escaped (see lineage.py)
    return env.get_template("report.html.j2").render(report=document, lineage_svg=diagram)
