"""CAMEO actor and agent codes -> hadath country, sector and actor type.

A CAMEO actor code is a run of three-letter parts: usually a country
(``IRQ``) followed by role parts (``GOV``, ``MIL`` ...) and optional
specialisations (``IRQGOVLEG``, ``USAGOVBUS``).  Special first parts name
actors that belong to no state: ``IGO`` (``IGOUNO`` the UN system,
``IGOEUREEC`` the EU), ``NGO``/``NGM``, ``MNC`` (a company, followed by its
country), ``IMG`` (international militarised groups), regions (``MEA``,
``SAS`` ...) and ``INT`` (international).  Codes that start with a role
(``[MIL]``, ``[GOV]``, agents' ``~COP``) carry no country: the country comes
from context.

Mapping (see :func:`interpret_code`):

* country: the first part when it is an iso3 of hadath's ``countries.jsonl``
  (CAMEO's own ``KSV``/``TMP``/``ROM``/``ZAR`` are renamed to ``XKX``/``TLS``/
  ``ROU``/``COD``); ``IGO`` -> ``IGO``, ``IGOUNO...`` -> ``UNO``,
  ``IGOEUR...``/``IGOEEC...`` -> ``EUR``, ``NGO``/``NGM`` -> ``NGO`` (or the
  NGO's own country when the next part is one), ``MNC<iso3>`` -> that
  country, ``IMG`` -> ``IMG``.  A region or ``INT`` code is used only for
  armed groups (-> ``IMG``); otherwise the entry is skipped, as are
  territories, historical states (USSR ``USR``, ``YUG``, ``DDR`` ...) and
  unknown codes, because hadath's country list has no code for them.
* sector: the first role part that is a hadath/PLOVER sector, with
  ``GOVLEG`` -> ``LEG`` and ``GOVJUD`` -> ``JUD`` (CAMEO's legislators and
  judges inside government); CAMEO roles hadath lacks are folded into the
  nearest sector (``INS``/``SEP`` -> ``REB``, ``MNC`` -> ``BUS``,
  ``NGM``/``HRI``/``DEV``/``ENV`` -> ``NGO``, ``HLH``/``PPL`` -> ``CVL``,
  ``RAD``/``MOD`` -> ``OPP``, religions -> ``REL``), the issue parts only
  when no role part is present.
* A code with a country but no role part (``AFG``, ``USAPRI``) names a
  country or place, not an actor: hadath's countries come from
  ``countries.jsonl``, so such entries are skipped.

The full CAMEO code always goes into the record's ``note``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from hadath.actors.importers.base import CountryIndex

# CAMEO country codes that differ from ISO 3166 alpha-3 (as hadath uses it).
CAMEO_TO_ISO = {"KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "ZAR": "COD"}

# Role parts -> hadath sector.
ROLE_SECTORS = {
    "GOV": "GOV", "MIL": "MIL", "COP": "COP", "JUD": "JUD", "LEG": "LEG", "PTY": "PTY", "REB": "REB",
    "OPP": "OPP", "IGO": "IGO", "NGO": "NGO", "MED": "MED", "BUS": "BUS", "REL": "REL", "CVL": "CVL",
    "SPY": "SPY", "REF": "REF", "LAB": "LAB", "EDU": "EDU", "ELI": "ELI", "CRM": "CRM", "UAF": "UAF",
    "AGR": "AGR", "SET": "SET", "JRN": "JRN",
    # CAMEO/Phoenix roles hadath has no sector for
    "INS": "REB", "SEP": "REB", "IMG": "REB", "MNC": "BUS", "NGM": "NGO", "PPL": "CVL", "STU": "EDU",
}
# Issue/specialisation parts: a sector only when the code has no role part (HRI alone = a rights group).
ISSUE_SECTORS = {"HRI": "NGO", "DEV": "NGO", "ENV": "NGO", "HLH": "CVL", "RAD": "OPP", "MOD": "OPP",
                 "AMN": "NGO"}
RELIGIONS = frozenset({
    "MUS", "SHI", "SUN", "ALE", "DRZ", "SFI", "CHR", "CTH", "ORT", "PRO", "JEW", "HIN", "BUD",
    "JAN", "SIK", "TAO", "ZRO", "BAH", "CON", "ITR", "MOS", "ATH", "UDO",
})
REGIONS = frozenset({
    "AFR", "ASA", "BLK", "CAS", "CAU", "CFR", "CMN", "EAF", "EEU", "EIN", "EUR", "LAM", "MDT", "MEA",
    "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WST", "WEU", "NAM", "ARB", "BAL",
    "INT",
})
ARMED = frozenset({"REB", "UAF", "INS", "SEP", "IMG"})

_CODE = re.compile(r"^(?:[A-Z]{3})+$")


class CodeError(ValueError):
    """A CAMEO code hadath cannot use; ``category`` is the report's short key."""

    def __init__(self, category: str, reason: str):
        super().__init__(reason)
        self.category = category
        self.reason = reason


@dataclass(frozen=True)
class CodeInfo:
    code: str
    country: Optional[str]     # hadath country or special code; None for role-only (generic) codes
    sector: str
    kind: str                  # "state", "igo", "ngo", "company", "img", "generic"
    religion: Optional[str] = None


def parts(code: str) -> list[str]:
    return [code[i:i + 3] for i in range(0, len(code), 3)]


def role_sector(roles: list[str]) -> Optional[str]:
    """The hadath sector of a list of CAMEO role parts (None when none maps)."""
    for i, part in enumerate(roles):
        sector = ROLE_SECTORS.get(part)
        if sector is None:
            continue
        if sector == "GOV" and i + 1 < len(roles) and roles[i + 1] in ("LEG", "JUD"):
            return roles[i + 1]
        return sector
    for part in roles:
        if part in ISSUE_SECTORS:
            return ISSUE_SECTORS[part]
    if any(p in RELIGIONS for p in roles):
        return "REL"
    return None


def _religion(roles: list[str]) -> Optional[str]:
    return next((p for p in roles if p in RELIGIONS), None)


def interpret_code(code: str, countries: CountryIndex) -> CodeInfo:
    """Map one CAMEO actor code to hadath's fields; raises :class:`CodeError` when it cannot."""
    if code in ("---", "") or set(code) <= {"-", "0"}:
        raise CodeError("null code", f"null CAMEO code {code!r} (PETRARCH's 'do not code')")
    if not _CODE.match(code):
        raise CodeError("malformed code", f"malformed CAMEO code {code!r} (not three-letter parts)")
    segs = parts(code)
    first, rest = segs[0], segs[1:]
    first = CAMEO_TO_ISO.get(first, first)

    if first in countries.iso3s:
        # a territory part after the country (USAPRI, GBRGIB) is not a role
        roles = [p for p in rest if p not in countries.iso3s]
        sector = role_sector(roles)
        if sector is None:
            raise CodeError("place or country name",
                            f"bare country code {code!r}: a country or place name, not an actor "
                            "(hadath's countries come from countries.jsonl)")
        return CodeInfo(code, first, sector, "state", _religion(roles))
    if first == "IGO":
        country = "IGO"
        if rest[:1] == ["UNO"]:
            country = "UNO"
        elif rest[:1] == ["EEC"] or rest[:2] == ["EUR", "EEC"]:
            country = "EUR"
        return CodeInfo(code, country, "IGO", "igo", _religion(rest))
    if first == "UNO":
        return CodeInfo(code, "UNO", "IGO", "igo")
    if first in ("NGO", "NGM"):
        country = "NGO"
        if rest and CAMEO_TO_ISO.get(rest[0], rest[0]) in countries.iso3s:
            country = CAMEO_TO_ISO.get(rest[0], rest[0])
        return CodeInfo(code, country, "NGO", "ngo", _religion(rest))
    if first == "MNC":
        if rest and CAMEO_TO_ISO.get(rest[0], rest[0]) in countries.iso3s:
            return CodeInfo(code, CAMEO_TO_ISO.get(rest[0], rest[0]), "BUS", "company")
        raise CodeError("no hadath country",
                        f"company code {code!r} names no country of hadath's list")
    if first == "IMG":
        sector = role_sector(rest) or "REB"
        if sector == "REL":
            sector = "REB"
        return CodeInfo(code, "IMG", sector, "img", _religion(rest))
    if first in ROLE_SECTORS or first in ISSUE_SECTORS:
        sector = role_sector(segs)
        assert sector is not None
        return CodeInfo(code, None, sector, "generic", _religion(segs))
    if first in REGIONS or first in RELIGIONS:
        if any(p in ARMED for p in rest):          # a transnational armed group (MEAREB, BUDREB)
            return CodeInfo(code, "IMG", "REB", "img", _religion(segs))
        what = "regional" if first in REGIONS else "religious"
        raise CodeError("no hadath country",
                        f"{what} code {code!r}: hadath has country codes for states and IGO/UNO/EUR/NGO/IMG only")
    raise CodeError("no hadath country",
                    f"country part {segs[0]!r} of {code!r} is not in hadath's countries "
                    "(territory, historical state or unknown code)")


def agent_sector(code: str) -> Optional[str]:
    """Sector of an agent code (``~GOVFRM``, ``NGO~`` -> GOV, NGO); None if nothing maps."""
    core = code.replace("~", "")
    if not core or not _CODE.match(core):
        return None
    return role_sector(parts(core))


# Words for descriptions built from a code (used as name_en when the source has no English name).
SECTOR_LABELS = {
    "GOV": "government", "MIL": "military", "COP": "police", "JUD": "judiciary", "LEG": "legislature",
    "PTY": "party", "REB": "armed group", "OPP": "opposition", "IGO": "intergovernmental",
    "NGO": "non-governmental", "MED": "media", "BUS": "business", "REL": "religious", "CVL": "civilian",
    "SPY": "intelligence", "REF": "refugees", "LAB": "labour", "EDU": "education", "ELI": "elite",
    "CRM": "criminal", "UAF": "armed force", "AGR": "agriculture", "SET": "settlers", "JRN": "journalist",
}
