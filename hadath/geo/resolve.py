"""Pick one place among the candidates a name may refer to.

Scoring (higher wins; every term is additive):

============================  =====  ==========================================
term                          value  when
============================  =====  ==========================================
population                    0.5 * log10(max(population, floor) + 1)
                                     ``floor`` by feature when GeoNames has no
                                     figure: country 1e6, province/region/water
                                     3e5, district 1e5, site 5e4, city 1e3.
                                     (Damascus 1.57M -> 3.10; a 10k town -> 2.0)
focus country                 +3.0   candidate in the article's focus country
context country               +2.0   candidate in a country mentioned nearby
                                     (not added twice with the focus bonus)
Arab world / region prior     +1.5   candidate in an Arab League country,
                                     Palestine or Israel; +0.75 for Iran and
                                     Turkey (Arabic news is mostly about them)
curated                       +0.5   hand-written entry (regions.jsonl): what
                                     Arabic news means by that name
country                       +1.0   a country candidate (الجزائر Algeria over
                                     Algiers, الكويت Kuwait over Kuwait City);
                                     dropped when ``prefer_feature`` asks for a
                                     finer feature
preferred feature             +3.0   candidate's feature is in ``prefer_feature``
namesake                      -3.0   candidate outside the Arab world, Iran and
                                     Turkey whose name also names a place of at
                                     least 100k people and 5x its population:
                                     Arabic spells the famous one (جنيف is
                                     Geneva, Switzerland even in a US story)
============================  =====  ==========================================

Ties are broken by population, then by the more precise resolution.

Worked examples: "نابلس" -> Nablus (PS) over Naples-named US towns (region prior
+1.5); "طرابلس" -> Tripoli, Libya (1.3M vs 0.23M) unless Lebanon is the focus or a
context country (+3/+2); "عمان" -> Oman the country by default, Amman with a
Jordanian focus; "الإسكندرية" -> Alexandria, Egypt (5.3M + prior).
"""
from __future__ import annotations

import math
from typing import Iterable, Optional, Sequence, Union

from hadath.geo.gazetteer import PlaceCandidate

ARAB_WORLD = frozenset({
    "DZA", "BHR", "COM", "DJI", "EGY", "IRQ", "JOR", "KWT", "LBN", "LBY", "MRT", "MAR",
    "OMN", "PSE", "QAT", "SAU", "SOM", "SDN", "SYR", "TUN", "ARE", "YEM", "ISR", "ESH",
})
NEIGHBOURS = frozenset({"IRN", "TUR"})

W_POPULATION = 0.5
W_FOCUS = 3.0
W_CONTEXT = 2.0
W_ARAB = 1.5
W_NEIGHBOUR = 0.75
W_CURATED = 0.5
W_COUNTRY = 1.0
W_FEATURE = 3.0
W_NAMESAKE = -3.0
NAMESAKE_RATIO = 5.0
NAMESAKE_MIN_POPULATION = 100_000

_FLOOR = {"country": 1e6, "province": 3e5, "region": 3e5, "water": 3e5,
          "district": 1e5, "site": 5e4, "city": 1e3}
_FINER_THAN_COUNTRY = frozenset({"site", "city", "district", "province", "region"})


def score(c: PlaceCandidate, *, focus_country: Optional[str] = None,
          context_countries: frozenset[str] = frozenset(),
          prefer_feature: frozenset[str] = frozenset()) -> float:
    """The score :func:`resolve` ranks by (see the module docstring)."""
    pop = max(c.population or 0, _FLOOR.get(c.feature, 1e3))
    s = W_POPULATION * math.log10(pop + 1)
    if c.country:
        if focus_country and c.country == focus_country:
            s += W_FOCUS
        elif c.country in context_countries:
            s += W_CONTEXT
        if c.country in ARAB_WORLD:
            s += W_ARAB
        elif c.country in NEIGHBOURS:
            s += W_NEIGHBOUR
    if c.source == "curated":
        s += W_CURATED
    if c.feature == "country" and not (prefer_feature & _FINER_THAN_COUNTRY):
        s += W_COUNTRY
    if c.feature in prefer_feature:
        s += W_FEATURE
    return s


def _is_namesake(c: PlaceCandidate, largest_population: int) -> bool:
    return (largest_population >= NAMESAKE_MIN_POPULATION and c.feature != "country"
            and (c.population or 0) * NAMESAKE_RATIO <= largest_population
            and c.country not in ARAB_WORLD and c.country not in NEIGHBOURS)


def rank(candidates: Sequence[PlaceCandidate], *, focus_country: Optional[str] = None,
         context_countries: Iterable[str] = (),
         prefer_feature: Union[str, Iterable[str], None] = None) -> list[tuple[float, PlaceCandidate]]:
    """Candidates with their scores, best first."""
    focus = focus_country.upper() if focus_country else None
    context = frozenset(c.upper() for c in context_countries if c)
    if prefer_feature is None:
        prefer = frozenset()
    elif isinstance(prefer_feature, str):
        prefer = frozenset({prefer_feature})
    else:
        prefer = frozenset(prefer_feature)
    largest = max((c.population or 0) for c in candidates) if candidates else 0
    scored = [(score(c, focus_country=focus, context_countries=context, prefer_feature=prefer)
               + (W_NAMESAKE if _is_namesake(c, largest) else 0.0), c)
              for c in candidates]
    scored.sort(key=lambda sc: (-sc[0], -(sc[1].population or 0), -sc[1].resolution))
    return scored


def resolve(candidates: Sequence[PlaceCandidate], *, focus_country: Optional[str] = None,
            context_countries: Iterable[str] = (),
            prefer_feature: Union[str, Iterable[str], None] = None) -> Optional[PlaceCandidate]:
    """The most plausible candidate, or None when there are none.

    ``focus_country`` is the ISO3 code the article is mostly about,
    ``context_countries`` the ISO3 codes of countries mentioned near the name,
    ``prefer_feature`` a feature (or several) the mention's wording implies
    ("محافظة" -> "province").  See the module docstring for the scoring.
    """
    if not candidates:
        return None
    return rank(candidates, focus_country=focus_country, context_countries=context_countries,
                prefer_feature=prefer_feature)[0][1]
