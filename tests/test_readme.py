"""The README stays true: it starts with the two commands, and its example output is what
hadath prints today (refresh with `python scripts/refresh_readme_example.py`)."""
from __future__ import annotations

import io
import re
from datetime import date

from hadath.engine import make_document
from hadath.export.render import render_table
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_starts_with_the_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make example", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\nexample:" in makefile and "\ntest:" in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_example_output_is_current(pipeline):
    text = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
    out = io.StringIO()
    render_table(pipeline(make_document(text, id="article", published=date(2023, 11, 13))), out)
    current = out.getvalue()
    current = current[current.index("events ("):].rstrip()
    shown = re.search(r"```\n(events \(\d+\):\n.*?)```", README, re.S).group(1).rstrip()
    assert [l.rstrip() for l in shown.splitlines()] == [l.rstrip() for l in current.splitlines()]
