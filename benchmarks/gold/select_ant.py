#!/usr/bin/env python3
"""Reproducible selection of the 30 ANT v2.1 articles in the hadath dev gold set.

Step 1 (mechanical, seeded): keep political/world news (cat middleEast or
internationalNews) whose `text` is 800-3000 characters; per source, shuffle the
eligible docnos with random.Random(SEED) and keep the first PER_SRC as the
shortlist.  Step 2 (by reading): from that shortlist the annotator chose
CHOSEN below for event/quote richness and coverage of event types and
countries.  The script re-derives the shortlist and checks that every chosen
docno is in it.

Usage:
  python benchmarks/gold/select_ant.py              # print the chosen set
  python benchmarks/gold/select_ant.py --shortlist  # print the whole shortlist
Corpus path: $HADATH_ANT or ../shared/data/news/ant_v2.1_multisource.jsonl.gz
"""
import gzip
import json
import os
import random
import sys
from pathlib import Path

SEED = 20180301
PER_SRC = 40
CATS = ("middleEast", "internationalNews")
MIN_LEN, MAX_LEN = 800, 3000

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parents[2] / "shared" / "data" / "news" / "ant_v2.1_multisource.jsonl.gz"

# docno -> short reason (topic / main event types), chosen by reading the shortlist
CHOSEN = {
    # BBC
    "BB-middleEast-338-20180412": "Egypt: ex-auditor Geneina referred to military trial (ACCUSE, COERCE)",
    "BB-middleEast-388-20180423": "Yemen: airstrike on a wedding in Hajjah, Houthis blame coalition (ASSAULT, ACCUSE)",
    "BB-middleEast-1-20180218": "Turkey: life sentences for journalists, Arab rights federation condemns (SANCTION, ACCUSE, REQUEST, RETREAT)",
    "BB-middleEast-254-20180327": "Syria: Eastern Ghouta evacuations, prisoner releases, Jaysh al-Islam refuses (RETREAT, AGREE, REJECT)",
    "BB-middleEast-220-20180320": "Palestine/US: White House criticises Abbas over Friedman insult (ACCUSE, ASSAULT)",
    "BB-middleEast-547-20180529": "Syria recognises Abkhazia/South Ossetia, Georgia cuts ties (SUPPORT, SANCTION)",
    # CNN
    "CN-middleEast-700-20180423": "Lebanon: Hezbollah accuses Saudi Arabia of buying votes (ACCUSE)",
    "CN-middleEast-1066-20180601": "Jordan: government reverses fuel price rise on the King's order (CONCEDE, REQUEST)",
    "CN-middleEast-1406-20181003": "ICJ orders US to ease Iran sanctions + news teasers (REQUEST, ACCUSE, COERCE, CONSULT)",
    "CN-middleEast-1445-20181008": "Khashoggi: Saudi denial, Erdogan demands proof; Libya arrest, Sinai (REJECT, REQUEST, COERCE, ASSAULT)",
    "CN-middleEast-1392-20180930": "Gulf: Saudi and Qatari UN delegations trade accusations + teasers (ACCUSE, REJECT)",
    "CN-internationalNews-169-20180323": "France/Libya: Sarkozy denies Gaddafi funding, investigation (ACCUSE, REJECT, COERCE)",
    # Al Arabiya
    "AL-internationalNews-1096-20180510": "Kuwait-Philippines thaw: drivers released, memorandum (RETREAT, AGREE, CONSULT)",
    "AL-internationalNews-1858-20180706": "Turkey arrests two Britons for 'terror propaganda' (COERCE, ACCUSE)",
    "AL-internationalNews-696-20180330": "Bulgaria refuses to expel Russian diplomats; Germany/Russia expulsions (REJECT, SANCTION)",
    "AL-internationalNews-1473-20180604": "Yemen PM accuses Iran/Houthis, meets UK ambassador (ACCUSE, CONSULT, REQUEST, THREATEN)",
    "AL-internationalNews-1844-20180707": "Yemen: UAE letter to UNSC on Hodeidah aid, accuses Houthis (AID, ACCUSE, REQUEST, REJECT)",
    "AL-internationalNews-1093-20180510": "Somalia: market bombing near Mogadishu (ASSAULT)",
    # France 24
    "FR-middleEast-714-20180630": "Syria: Daraa towns hand over weapons under Russian-brokered deals, strikes (RETREAT, AGREE, ASSAULT)",
    "FR-internationalNews-660-20180410": "Russia proposes UNSC resolution for OPCW Douma probe (REQUEST, ACCUSE)",
    "FR-internationalNews-1802-20180614": "Iran arrests lawyer Nasrin Sotoudeh, Amnesty condemns (COERCE, ACCUSE)",
    "FR-internationalNews-2285-20180714": "Eritrea's Afwerki visits Ethiopia (CONSULT, AGREE, COOPERATE)",
    "FR-internationalNews-2215-20180708": "South Sudan power-sharing deal in Kampala (AGREE, CONSULT, THREATEN)",
    "FR-middleEast-183-20180319": "Israel charges French consulate employee with arms smuggling (ACCUSE, COERCE)",
    # Sky News Arabia
    "SK-middleEast-1142-20180420": "Gaza: Palestinian killed at Return March, leaflets (ASSAULT, PROTEST, THREATEN)",
    "SK-middleEast-3878-20181015": "Jordan-Syria Nasib crossing reopened (COOPERATE, AGREE)",
    "SK-middleEast-2864-20180712": "UAE rejects Amnesty report on Yemeni prisons (REJECT, REQUEST)",
    "SK-internationalNews-818-20180406": "Venezuela cuts trade with Panamanian officials, Panama recalls ambassador (SANCTION, ACCUSE)",
    "SK-middleEast-2888-20180713": "Iraq: Basra unemployment protests, Abadi visits (PROTEST, THREATEN, CONSULT)",
    "SK-middleEast-3603-20180910": "Libya: gunmen storm NOC headquarters in Tripoli (ASSAULT)",
}


def corpus_path() -> Path:
    p = os.environ.get("HADATH_ANT")
    if p:
        return Path(p)
    if DEFAULT_CORPUS.exists():
        return DEFAULT_CORPUS
    return Path("/work/shared/data/news/ant_v2.1_multisource.jsonl.gz")


def load(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def shortlist(path: Path):
    by_src = {}
    docs = {}
    for d in load(path):
        if d.get("cat") in CATS and MIN_LEN <= len(d.get("text") or "") <= MAX_LEN:
            by_src.setdefault(d["src"], []).append(d["docno"])
            docs[d["docno"]] = d
    out = []
    for src in sorted(by_src):
        ids = sorted(by_src[src])
        random.Random(f"{SEED}:{src}").shuffle(ids)
        out.extend(ids[:PER_SRC])
    return out, docs


def main(argv):
    path = corpus_path()
    sl, docs = shortlist(path)
    if "--shortlist" in argv:
        for i, dn in enumerate(sl):
            d = docs[dn]
            print(f"{i:3d}\t{dn}\t{d['src']}\t{d['cat']}\t{len(d['text'])}\t{d['title']}")
        return 0
    missing = [dn for dn in CHOSEN if dn not in sl]
    if missing:
        print("NOT IN SHORTLIST:", missing, file=sys.stderr)
        return 1
    for dn, why in CHOSEN.items():
        d = docs[dn]
        print(f"{dn}\t{d['src']}\t{d['cat']}\t{len(d['text'])}\t{why}")
    print(f"{len(CHOSEN)} chosen from a shortlist of {len(sl)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
