"""Replace the example output in README.md with a fresh run (keeps the README true).

    python scripts/refresh_readme_example.py
"""
from __future__ import annotations

import io
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hadath.engine import build_pipeline, make_document  # noqa: E402
from hadath.export.render import render_table  # noqa: E402


def main() -> None:
    text = (ROOT / "examples" / "article.txt").read_text(encoding="utf-8")
    doc = build_pipeline()(make_document(text, id="article", published=date(2023, 11, 13)))
    out = io.StringIO()
    render_table(doc, out)
    table = out.getvalue()
    block = table[table.index("events ("):].rstrip() + "\n"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    updated, n = re.subn(r"```\nevents \(\d+\):\n.*?```", lambda _: "```\n" + block + "```", readme, count=1,
                         flags=re.S)
    if n != 1:
        raise SystemExit("README.md has no example block starting with 'events (N):'")
    (ROOT / "README.md").write_text(updated, encoding="utf-8")
    print("README example refreshed")


if __name__ == "__main__":
    main()
