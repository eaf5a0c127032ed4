"""When an event happened: its date from the sentence, and whether the article reports it
as background (``historical``) rather than as news."""
from __future__ import annotations

from datetime import date
from typing import Optional

from hadath.dates.resolve import period_end
from hadath.doc import DateMention, Document, Sentence, Token
from hadath.text.normalize import fold

SINCE = frozenset(fold(w) for w in "منذ".split())
RELATIVES = frozenset(fold(w) for w in "الذي التي الذين اللذين اللتين اللذان اللتان".split())
HISTORICAL_DAYS = 45  # an event dated this long before the article is reported background


def nearest_date(doc: Document, sentence: Sentence, token: Token) -> Optional[DateMention]:
    """The date expression of ``sentence`` nearest the trigger ``token``."""
    in_sentence = [d for d in doc.span_index("dates").overlapping(sentence.start, sentence.end)
                   if sentence.start <= d.start < sentence.end]
    return min(in_sentence, key=lambda d: abs(d.start - token.start)) if in_sentence else None


def event_date(doc: Document, nearest: Optional[DateMention]) -> tuple[Optional[date], Optional[str]]:
    """The nearest date in the sentence (:func:`nearest_date`) with its precision, else the
    publication date (precision ``published``)."""
    if nearest is not None:
        return nearest.value, nearest.precision
    if doc.published:
        return doc.published, "published"
    return None, None


def is_historical(doc: Document, sentence: Sentence, token: Token, nearest: Optional[DateMention]) -> bool:
    """Background, not news: the date nearest the trigger in its sentence ends more than
    HISTORICAL_DAYS before the publication date (26 مارس 2005 تفجير سيارة ... in a 2007
    article; في يونيو الماضي).  A date within eight words after منذ (since) marks a span
    that reaches the present; a date in another clause (after الذي/التي, a colon or a
    quotation mark) says nothing of this event; no publication date means no judgement.
    ``nearest``: the sentence's date nearest the trigger (:func:`nearest_date`)."""
    if doc.published is None or nearest is None:
        return False
    before = fold(doc.text[max(sentence.start, nearest.start - 80):nearest.start]).split()[-8:]
    if any(w in SINCE or w[1:] in SINCE for w in [*before, fold(nearest.text).split()[0]]):
        return False  # منذ قيام الثورة عام 1979، فمنذ عام 2016: a span reaching the present
    between = doc.text[min(token.end, nearest.end):max(token.start, nearest.start)]
    if any(c in between for c in ':«»"') or any(w in RELATIVES or w[1:] in RELATIVES for w in fold(between).split()):
        return False  # اتفاق ...، والذي وقع في مارس 2015: the date is another clause's
    return (doc.published - period_end(nearest)).days > HISTORICAL_DAYS
