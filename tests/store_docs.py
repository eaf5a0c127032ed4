"""Hand-built annotated documents for store tests: the store is tested on records
whose every field is known, not on what the NLP stages happen to produce."""
from __future__ import annotations

from datetime import date
from typing import Optional

from hadath.doc import Document, Entity, Event, Participant, Place, Quote, TextSpan

RAID = ("شنت طائرات حربية إسرائيلية فجر اليوم غارات على مدينة خان يونس جنوب قطاع غزة، ما أسفر عن مقتل خمسة "
        "فلسطينيين وإصابة آخرين، بحسب ما أفادت وزارة الصحة الفلسطينية. وقالت مصادر محلية إن الغارات استهدفت "
        "منزلا في وسط المدينة وإن فرق الدفاع المدني تواصل البحث عن مفقودين تحت الأنقاض.")
RAID_WIRE_COPY = "غزة (رويترز) - " + RAID + " وأدانت الرئاسة الفلسطينية القصف."
PROTEST = ("تظاهر آلاف المواطنين في عمان أمس الجمعة أمام السفارة الإسرائيلية احتجاجا على الحرب في غزة، "
           "وطالبوا الحكومة بطرد السفير. وقال منظمو المظاهرة إنهم سيواصلون الاحتجاج حتى يتوقف العدوان.")
MEETING = ("التقى وزير الخارجية الأردني أيمن الصفدي نظيره المصري سامح شكري في القاهرة يوم الأحد وبحثا "
           "الأوضاع في قطاع غزة والجهود المبذولة لوقف إطلاق النار وإدخال المساعدات الإنسانية.")

KHAN_YUNIS = dict(name_en="Khan Yunis", geonameid=281124, lat=31.34, lon=34.31, country="PSE", feature="city")
AMMAN = dict(name_en="Amman", geonameid=250441, lat=31.96, lon=35.95, country="JOR", feature="city")
CAIRO = dict(name_en="Cairo", geonameid=360630, lat=30.06, lon=31.25, country="EGY", feature="city")


def _span(text: str, needle: str, after: int = 0) -> TextSpan:
    start = text.index(needle, after)
    return TextSpan(needle, start, start + len(needle))


def _participant(text: str, needle: str, actor: str, name: str, country: str, sector: str) -> Participant:
    s = _span(text, needle)
    return Participant(needle, s.start, s.end, actor=actor, name_en=name, country=country, sector=sector)


def _place(text: str, needle: str, info: dict) -> Place:
    s = _span(text, needle)
    return Place(needle, s.start, s.end, **info)


def _sentence(text: str, trigger: TextSpan) -> TextSpan:
    start = text.rfind(". ", 0, trigger.start)
    start = 0 if start < 0 else start + 2
    end = text.find(". ", trigger.end)
    end = len(text) if end < 0 else end + 1
    return TextSpan(text[start:end], start, end)


def raid_doc(text: str = RAID, doc_id: str = "raid", day: date = date(2023, 11, 13), url: Optional[str] = None,
             source: str = "WAFA", negated: bool = False) -> Document:
    trigger = _span(text, "شنت")
    place = _place(text, "خان يونس", KHAN_YUNIS)
    event = Event("ASSAULT", "195", trigger, _sentence(text, trigger),
                  source=_participant(text, "طائرات حربية إسرائيلية", "ISR_MIL", "Israel military", "ISR", "MIL"),
                  location=place, date=day, date_precision="day", mode="aerial", negated=negated, confidence=0.9,
                  quad_class=4, intensity=-10.0)
    moh = _span(text, "وزارة الصحة الفلسطينية")
    entities = (Entity("خان يونس", "LOC", place.start, place.end),
                Entity(moh.text, "ORG", moh.start, moh.end, actor="pse_moh", name_en="Palestinian Health Ministry"))
    return Document(text=text, id=doc_id, published=day, title="غارات على خان يونس", url=url, source=source,
                    entities=entities, places=(place,), events=(event,))


def protest_doc(day: date = date(2023, 11, 17)) -> Document:
    text = PROTEST
    trigger = _span(text, "تظاهر")
    target = _participant(text, "السفارة الإسرائيلية", "ISR_MFA", "Israel foreign ministry", "ISR", "GOV")
    place = _place(text, "عمان", AMMAN)
    event = Event("PROTEST", "141", trigger, _sentence(text, trigger), target=target, location=place, date=day,
                  date_precision="day", mode="demonstrate", confidence=0.6, quad_class=3, intensity=-6.5)
    quote_cue = _span(text, "وقال")
    content = _span(text, "إنهم سيواصلون الاحتجاج حتى يتوقف العدوان")
    speaker = _span(text, "منظمو المظاهرة")
    quote = Quote(Participant(speaker.text, speaker.start, speaker.end), quote_cue, content, direct=False)
    return Document(text=text, id="protest", published=day, title="مظاهرة في عمان", source="Petra",
                    url="https://petra.gov.jo/news/1", places=(place,), events=(event,), quotes=(quote,),
                    entities=(Entity("عمان", "LOC", place.start, place.end),
                              Entity(target.text, "ORG", target.start, target.end, actor="ISR_MFA")))


def meeting_doc(day: date = date(2023, 11, 12)) -> Document:
    text = MEETING
    trigger = _span(text, "التقى")
    source = _participant(text, "أيمن الصفدي", "ayman_safadi", "Ayman Safadi", "JOR", "GOV")
    target = _participant(text, "سامح شكري", "sameh_shoukry", "Sameh Shoukry", "EGY", "GOV")
    place = _place(text, "القاهرة", CAIRO)
    event = Event("CONSULT", "040", trigger, _sentence(text, trigger), source=source, target=target,
                  location=place, date=day, date_precision="day", mode="visit", confidence=0.8, quad_class=1,
                  intensity=1.0)
    hypothetical = Event("AID", "070", _span(text, "إدخال"), _sentence(text, trigger), source=source, date=day,
                         modality="future", confidence=0.4, quad_class=2)
    return Document(text=text, id="meeting", published=day, title="الصفدي وشكري", source="Petra",
                    places=(place,), events=(event, hypothetical),
                    entities=(Entity(source.text, "PER", source.start, source.end, actor="ayman_safadi",
                                     name_en="Ayman Safadi"),
                              Entity(target.text, "PER", target.start, target.end, actor="sameh_shoukry",
                                     name_en="Sameh Shoukry"),
                              Entity("القاهرة", "LOC", place.start, place.end)))
