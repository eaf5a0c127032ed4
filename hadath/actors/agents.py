"""Generic state agents generated from each country's demonyms.

News names a state's organs by adjective ("الجيش السوري", "الحكومة الإسرائيلية",
"وزير الخارجية الروسي") far more often than by proper name; these templates turn
every country record with demonyms into those aliases, linked to agent actors
(``SYR_MIL``, ``ISR_GOV`` ...) that carry the country code and PLOVER sector.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgentTemplate:
    suffix: str            # actor id suffix: ISR_GOV
    sector: str
    name_en: str           # "{country} government"
    patterns: tuple[str, ...]  # {m} masculine demonym, {f} feminine, {pl} plural, {name} country name
    is_entity: bool = False    # whether a match is also a named ORG entity
    office: bool = False       # a person's office: resolved to the holder on the event date


AGENT_TEMPLATES: tuple[AgentTemplate, ...] = (
    AgentTemplate("GOV", "GOV", "{country} government", (
        "الحكومة ال{f}", "حكومة {name}", "السلطات ال{f}", "سلطات {name}", "الإدارة ال{f}",
        "النظام ال{m}", "الدولة ال{f}")),
    AgentTemplate("MIL", "MIL", "{country} military", (
        "الجيش ال{m}", "جيش {name}", "القوات ال{f}", "قوات {name}", "القوات المسلحة ال{f}",
        "وزارة الدفاع ال{f}", "الدفاع ال{f}", "البحرية ال{f}", "سلاح الجو ال{m}", "الطيران ال{m}",
        "الطائرات ال{f}", "المقاتلات ال{f}"), is_entity=True),
    AgentTemplate("COP", "COP", "{country} police", (
        "الشرطة ال{f}", "قوات الأمن ال{f}", "الأمن ال{m}", "الأجهزة الأمنية ال{f}", "وزارة الداخلية ال{f}",
        "الداخلية ال{f}"), is_entity=True),
    AgentTemplate("MFA", "GOV", "{country} foreign ministry", (
        "وزارة الخارجية ال{f}", "الخارجية ال{f}", "الدبلوماسية ال{f}"), is_entity=True),
    AgentTemplate("LEG", "LEG", "{country} parliament", (
        "البرلمان ال{m}", "مجلس النواب ال{m}", "مجلس الشعب ال{m}", "مجلس الأمة ال{m}"), is_entity=True),
    AgentTemplate("JUD", "JUD", "{country} judiciary", (
        "القضاء ال{m}", "المحكمة العليا ال{f}", "النيابة العامة ال{f}"), is_entity=True),
    AgentTemplate("OPP", "OPP", "{country} opposition", ("المعارضة ال{f}",)),
    AgentTemplate("CVL", "CVL", "{country} people", (
        "الشعب ال{m}", "المواطنين ال{pl}", "المدنيين ال{pl}")),
    AgentTemplate("HOS", "GOV", "{country} head of state", (
        "الرئيس ال{m}", "رئيس {name}", "العاهل ال{m}", "الملك ال{m}", "أمير {name}"), office=True),
    AgentTemplate("HOG", "GOV", "{country} head of government", (
        "رئيس الوزراء ال{m}", "رئيس الحكومة ال{f}", "رئيس وزراء {name}"), office=True),
    AgentTemplate("FM", "GOV", "{country} foreign minister", (
        "وزير الخارجية ال{m}", "وزير خارجية {name}"), office=True),
    AgentTemplate("DM", "MIL", "{country} defence minister", (
        "وزير الدفاع ال{m}", "وزير دفاع {name}"), office=True),
)


def expand(template: AgentTemplate, *, name: str, m: str | None, f: str | None, pl: str | None) -> list[str]:
    """The concrete Arabic aliases of one template for one country."""
    out = []
    for pattern in template.patterns:
        if ("{m}" in pattern and not m) or ("{f}" in pattern and not f) or ("{pl}" in pattern and not pl):
            continue
        out.append(pattern.format(name=name, m=m or "", f=f or "", pl=pl or ""))
    return out
