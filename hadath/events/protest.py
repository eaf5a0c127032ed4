"""Who protested, against whom: role patterns of PROTEST events.

Protest news counts its crowds instead of naming them (تظاهر آلاف، احتشد الآلاف من
المتظاهرين، تجمع نحو 40 متظاهرا، عشرات من أعضاء حزب الغد), and says what the protest is
against in a motive phrase after the act, not as the verb's object (احتجاجا على قرار
الحكومة، للمطالبة باستقالة الائتلاف، ضد الاحتلال، هاتفين «يسقط بوش»).  The event coder
asks these helpers only for PROTEST events, when clause order gave no source or target;
each returns ``None`` when its pattern is absent.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Optional, Sequence

from hadath.actors.participants import (ADVERBIALS, SENTENCE_BREAKS, TIME_OF_DAY, MentionIndex, counted_phrase_end,
                                        noun_phrase_end, participant_from_mention, participant_in, same_participant,
                                        skip_adverbials)
from hadath.doc import Document, Participant, Token
from hadath.text.function_words import FUNCTION_WORDS, NUMBER_WORDS
from hadath.text.normalize import fold

#: Motive words whose preposition (على، ب، ل) introduces what is protested
#: (احتجاجا على، تنديدا ب، رفضا ل).
MOTIVES = frozenset(fold(w) for w in """احتجاجا احتجاج للاحتجاج احتجاجهم احتجاجات الاحتجاج تنديدا للتنديد منددين
منددة منددا تندد يندد نددوا ونددوا وندد رفضا مستنكرين استنكارا غضبا""".split())
MOTIVE_PREPOSITIONS = frozenset(fold(w) for w in "على علي".split())
#: The protest nouns among them, which give the motive of another act (تظاهروا احتجاجا على).
MOTIVE_WORDS = frozenset(fold(w) for w in "احتجاجا للاحتجاج احتجاجهم".split())
#: Words of opposition followed directly by what is opposed (ضد الحكومة، المناهضة للحرب).
AGAINST = frozenset(fold(w) for w in "ضد".split())
AGAINST_NOUNS = frozenset(fold(w) for w in "مناهضة المناهضة مناهضين مناهضه المناهضين معارضة".split())
#: Words of demand; what follows ب (after one of DEMANDED) is the party concerned
#: (مطالبين برحيل السلطات، للمطالبة باستقالة الائتلاف) or, with no ب, the addressee
#: (مطالبين الحكومة التركية بالتدخل).
DEMANDS = frozenset(fold(w) for w in """مطالبين مطالبا مطالبة للمطالبة المطالبة يطالبون طالبوا وطالبوا طالب وطالب
يطالب تطالب مطالبون""".split())
DEMANDED = frozenset(fold(w) for w in """رحيل استقالة إسقاط اسقاط تنحي إقالة اقالة محاكمة طرد انسحاب الإفراج الافراج
إطلاق اطلاق""".split())
#: Accusing participles whose object is what the protest is against (متهمين الجنود).
ACCUSING = frozenset(fold(w) for w in "متهمين متهما متهمة متهمون".split())
#: Burnt flags and pictures name the country or person protested (أحرقوا أعلام إسرائيل).
FLAGS = frozenset(fold(w) for w in "أعلام اعلام علم العلم الأعلام الاعلام صور صورة دمية دمى".split())
BURNING = frozenset(fold(w) for w in "أحرق احرق أحرقوا احرقوا أحرقت احرقت حرق إحراق احراق يحرقون".split())
#: ما يصفونه ب X: the protested thing as the protesters name it.
CALLED = frozenset(fold(w) for w in "يصفونه وصفوه وصفوها يصفونها اعتبروه يعتبرونه سموه يسمونه أسموه اسموه".split())
#: Slogans whose object is the target (يسقط بوش، الموت لأمريكا، ارحل).
SLOGANS = frozenset(fold(w) for w in "يسقط تسقط فليسقط فلتسقط ليسقط".split())
DEATH = frozenset(fold(w) for w in "الموت".split())
#: Verbs of coming out after which a counted crowd is the protesters (خرج الآلاف في مسيرة).
CROWD_VERBS = frozenset(fold(w) for w in """خرج خرجت خرجوا نزل نزلت نزلوا تجمع تجمعت تجمعوا احتشد احتشدت احتشدوا شارك
شاركت شاركوا توجه توجهت توجهوا سار سارت ساروا""".split())
#: Broken plurals that count people (آلاف الأشخاص، عشرات من أعضاء الحزب).
PEOPLE = frozenset(fold(w) for w in """أشخاص اشخاص شخص شخصا أعضاء اعضاء طلاب طلبة عمال أنصار انصار مؤيدي سكان أهالي
اهالي نساء شبان رجال أطفال اطفال ناس أقباط اقباط شيعة سنة رهبان راهب مواطن مواطنا لاجئ لاجئا""".split())
#: Sizes that name a crowd by themselves (خرج الآلاف).
MULTITUDES = frozenset(fold(w) for w in "الآلاف الالاف آلاف الاف المئات مئات العشرات عشرات الملايين ملايين".split())
MAX_REACH = 30  # tokens after the trigger searched for the motive phrase


def crowd_subject(doc: Document, tokens: Sequence[Token], j: int,
                  index: MentionIndex) -> tuple[Optional[Participant], int]:
    """A counted crowd right after a protest verb at ``j - 1`` (تظاهر أمس عشرات من أعضاء
    حزب الغد، احتشد الآلاف من المتظاهرين): the counted noun phrase and the token after it."""
    j = skip_adverbials(tokens, j)
    end = counted_phrase_end(doc, tokens, j)
    if end <= j:
        if j < len(tokens) and tokens[j].norm in MULTITUDES:
            # خرج الآلاف في مسيرة: the crowd named by its size alone
            return Participant(tokens[j].text, tokens[j].start, tokens[j].end), j + 1
        return None, j
    k = j
    while k < end and (tokens[k].kind == "number" or tokens[k].norm in NUMBER_WORDS or tokens[k].norm == "من"):
        k += 1
    stop = k
    while stop < end and tokens[stop].norm not in ADVERBIALS and tokens[stop].norm not in TIME_OF_DAY:
        stop += 1  # تظاهر آلاف الإسرائيليين مساء أمس
    if stop <= k:
        return None, j
    found = participant_in(doc, tokens, k, stop, index)
    if found is None or not (found.actor or _people(doc.without_conjunction(tokens[k]))):
        return None, j  # تجمعت مئات السيارات: not a crowd of people
    if found.start > tokens[k].start:
        # عشرات من أعضاء حزب الغد: the members, linked to the party they belong to
        found = replace(found, text=doc.text[tokens[k].start:found.end], start=tokens[k].start)
    return found, stop


def protesters_in(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex) -> Optional[Participant]:
    """The crowd of a protest noun that has no subject of its own (وانفجرت مظاهرات ...،
    واشتبك المتظاهرون; خرج آلاف الأشخاص للاحتجاج): the nearest mention of protesters in
    the sentence, or the crowd counted after a verb of coming out before the noun."""
    best: Optional[tuple[int, Participant]] = None
    for mention in index.overlapping(tokens[0].start, tokens[-1].end):
        if mention.actor != "protesters":
            continue
        first = next((t for t in tokens if t.end > mention.start), None)
        if first is None or "prep" in doc.proclitics(first.index):
            continue
        distance = abs(first.index - tokens[i].index)
        if best is None or distance < best[0]:
            best = (distance, participant_from_mention(mention))
    if best is not None:
        return best[1]
    for k in range(i - 1, -1, -1):
        if tokens[k].norm in SENTENCE_BREAKS:
            break
        if doc.without_conjunction(tokens[k]) in CROWD_VERBS:
            crowd, _ = crowd_subject(doc, tokens, k + 1, index)
            if crowd is not None:
                return crowd
    return None


def motive_crowd(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex) -> Optional[Participant]:
    """تجمع نحو 40 متظاهرا ... للاحتجاج على، خرج آلاف الأشخاص ... احتجاجا على: a crowd
    that came out (a verb of CROWD_VERBS earlier in the sentence) to protest, named by
    the protest's motive word at ``i``.  A protest noun with no such crowd is more often
    background (خلال التظاهرة، المظاهرات التي ...) and is left to the other checks."""
    if not is_motive(tokens[i].norm):
        return None
    crowd = protesters_in(doc, tokens, i, index)
    if crowd is not None and crowd.actor == "protesters" and crowd.start < tokens[i].start:
        return crowd  # وشكل مئات من المتظاهرين سلسلة بشرية للاحتجاج على
    for k in range(i - 1, -1, -1):
        if tokens[k].norm in SENTENCE_BREAKS:
            return None
        if doc.without_conjunction(tokens[k]) in CROWD_VERBS:
            return protesters_in(doc, tokens, i, index)
    return None


def grievance(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex,
              source: Optional[Participant]) -> Optional[Participant]:
    """What the protest at ``i`` is against, from the motive phrase after it in the
    sentence: احتجاجا على X، ضد X، المناهضة ل X، مطالبين برحيل X، يسقط X، الموت ل X."""
    limit = min(len(tokens), i + MAX_REACH)
    for k in range(i, limit):
        token = tokens[k]
        if token.norm in SENTENCE_BREAKS:
            return None
        bare = doc.without_conjunction(token)
        start: Optional[int] = None
        if bare in MOTIVES or (k == i and bare.startswith(("احتجاج", "للاحتجاج"))):
            nxt = k + 1
            if nxt < limit and tokens[nxt].norm in MOTIVE_PREPOSITIONS:
                start = nxt + 1
            elif nxt < limit and "prep" in doc.proclitics(tokens[nxt].index) and tokens[nxt].norm[:1] in "بل":
                start = nxt  # تنديدا بالعدوان، رفضا لقرار
        elif bare in AGAINST or bare in SLOGANS:
            start = k + 1
        elif bare in AGAINST_NOUNS and k + 1 < limit and "prep" in doc.proclitics(tokens[k + 1].index):
            start = k + 1  # المناهضة للحرب
        elif bare in DEATH and k + 1 < limit and tokens[k + 1].norm[:1] == "ل":
            start = k + 1  # الموت لأمريكا
        elif bare in ACCUSING and k + 1 < limit and "prep" not in doc.proclitics(tokens[k + 1].index):
            start = k + 1  # متهمين الجنود الأميركيين بإطلاق النار
        elif bare in FLAGS and k + 1 < limit and 0 < k - i <= 3 and doc.without_conjunction(tokens[i]) in BURNING:
            start = k + 1  # أحرق متظاهرون أعلام إسرائيل: the country of the burnt flag
        elif bare in DEMANDS and k + 1 < limit:
            nxt = tokens[k + 1]
            keys = {nxt.norm, nxt.norm[1:]}
            if "prep" in doc.proclitics(nxt.index) and keys & DEMANDED:
                start = k + 2
                if start < limit and tokens[start].norm in ("سراح", "عن"):
                    start += 1  # بإطلاق سراح X، بالإفراج عن X
            elif "prep" not in doc.proclitics(nxt.index) and nxt.kind == "word" and nxt.norm not in FUNCTION_WORDS:
                found = _actor_at(doc, tokens, k + 1, index)
                if found is not None and not same_participant(found, source):
                    return found  # مطالبين الحكومة التركية بالتدخل
        if start is None or start >= len(tokens) or tokens[start].kind != "word":
            continue
        if tokens[start].norm == "ما" and start + 2 < len(tokens) and tokens[start + 1].norm in CALLED \
                and "prep" in doc.proclitics(tokens[start + 2].index):
            start += 2  # للاحتجاج على ما يصفونه بوحشية الشرطة
        found = _phrase(doc, tokens, start, index)
        if found is not None and not same_participant(found, source):
            return found
    return None


def _people(norm: str) -> bool:
    """A head noun that counts people: listed, or a sound masculine plural (العراقيين)."""
    bare = norm[2:] if norm.startswith("ال") else norm
    return bare in PEOPLE or (len(bare) > 4 and bare.endswith(("ين", "ون")))


def is_motive(word: str) -> bool:
    """احتجاجا، للاحتجاج، واحتجاجا (folded): a word that gives the motive of an act."""
    bare = word[1:] if word[:1] in ("و", "ف") and len(word) > 4 else word
    return bare in MOTIVE_WORDS


def _actor_at(doc: Document, tokens: Sequence[Token], start: int, index: MentionIndex) -> Optional[Participant]:
    """The known actor named by the noun phrase at ``start``, if any."""
    end = noun_phrase_end(doc, tokens, start)
    if end <= start:
        return None
    found = participant_in(doc, tokens, start, end, index)
    return found if found is not None and found.actor else None


def _phrase(doc: Document, tokens: Sequence[Token], start: int, index: MentionIndex) -> Optional[Participant]:
    """The noun phrase at ``start``, or the actor it names (قرار الحكومة -> the phrase;
    سياسة الحكومة الإسرائيلية -> the Israeli government when known)."""
    end = noun_phrase_end(doc, tokens, start)
    if end <= start:
        return None
    window = min(len(tokens), end + 2)
    for mention in index.overlapping(tokens[start].start, tokens[window - 1].end):
        if mention.actor and mention.start >= tokens[start].start and mention.end <= tokens[end - 1].end:
            return participant_from_mention(mention)
    return participant_in(doc, tokens, start, end, index)
