"""The README's Python examples run as doctests, so the documentation cannot drift from the code.

Every ```python block of README.md is doctest text (`>>>` prompts and the output they print); the
blocks run in order in one namespace, from the repository's root, as a reader would type them.
"""

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def python_blocks() -> list[tuple[int, str]]:
    """(line of the block's first line, its text) for each ```python block of the README."""
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start(1)), m.group(1)) for m in BLOCK.finditer(text)]


def test_every_python_block_of_the_readme_is_a_doctest():
    blocks = python_blocks()
    assert len(blocks) >= 3
    for line, block in blocks:
        assert block.lstrip().startswith(">>> "), f"README.md:{line + 1}: a Python example must be in doctest form"


def test_the_readme_examples_run_and_print_what_they_show(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples name the bundled fixtures by relative paths
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    namespace: dict[str, object] = {}
    examples = 0
    for line, block in python_blocks():
        test = parser.get_doctest(block, namespace, "README.md", str(README), line)
        examples += len(test.examples)
        runner.run(test, clear_globs=False)
        namespace = test.globs  # the parser copies the namespace: the next block goes on from this one
    assert examples >= 15
    assert runner.summarize(verbose=False).failed == 0
