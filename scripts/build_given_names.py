"""Build hadath/ner/data/given_names.txt: Arabic given names for the name patterns.

Two sources, merged and folded:
  * hadath/ner/data/given_names_core.txt, written by hand for hadath;
  * first tokens of multi-token PERS names in the ANERcorp CAMeL *train* split
    (CC BY-SA 4.0), which is why the built list carries that licence.
Names that are frequent ordinary words in news (e.g. "أمل", "نصر") or forms of the
event lexicon's support verbs (شن "waged", سير) are kept only when they come from the
hand-written list: "شن مزيد من الهجمات" is no person.

    python scripts/build_given_names.py ../shared/data/ner/anercorp/ANERCorp_CamelLab_train.txt
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from hadath.events.lexicon import load_triggers  # noqa: E402
from hadath.text.clitics import WordFrequencies  # noqa: E402
from hadath.text.normalize import fold  # noqa: E402


def main(train_path: str) -> None:
    core = [fold(line.strip()) for line in (ROOT / "hadath/ner/data/given_names_core.txt").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    rows = [line.split() for line in Path(train_path).read_text(encoding="utf-8").splitlines()]
    firsts: Counter[str] = Counter()
    for current, following in zip(rows, rows[1:] + [[]]):
        if len(current) == 2 and current[1] == "B-PERS" and len(following) == 2 and following[1] == "I-PERS":
            token = fold(current[0])
            if token.startswith("و") and len(token) > 3:
                continue
            firsts[token] += 1
    freq = WordFrequencies.load()
    verbs = load_triggers().support_by_form
    derived = {name for name, count in firsts.items()
               if len(name) >= 2 and freq[name] < 3000 and not name.startswith("ال") and not name.isascii()
               and name not in verbs}
    names = sorted(set(core) | derived)
    out = ROOT / "hadath/ner/data/given_names.txt"
    out.write_text("# Arabic given names (folded). Hand-written core + ANERcorp train PERS first tokens (CC BY-SA 4.0).\n"
                   + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(core)} core + {len(derived)} derived -> {len(names)} names in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
