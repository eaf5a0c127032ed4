"""Who did it, to whom: noun-phrase chunks after a verb and the participants in them.

Shared by the event and quote stages.  Arabic news is verb-initial: the subject
follows the verb (وأدانت الفصائل ...), and when it is dropped the verb continues
the previous subject (ودعت إلى ... after وأدانت الفصائل).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional, Sequence

from hadath.doc import Document, Mention, Participant, Token
from hadath.spans import SpanIndex
from hadath.text.function_words import FUNCTION_WORDS, NUMBER_WORDS, is_nisba_adjective
from hadath.text.normalize import fold

MAX_NP = 6


def noun_phrase_end(doc: Document, tokens: Sequence[Token], i: int, limit: int = MAX_NP) -> int:
    """One past the last token of the noun phrase starting at ``i`` (``i`` if none).

    The phrase stops at function words, punctuation, a token that starts with a
    conjunction (except coordinated adjectives: العربية والإسلامية) and a token
    that starts with a preposition clitic (بالاحتشاد).
    """
    j = i
    while j < len(tokens) and j - i < limit:
        token = tokens[j]
        if token.kind not in ("word", "latin"):
            break
        norm = token.norm
        if norm in FUNCTION_WORDS:
            break
        if j > i:
            clitics = doc.proclitics(token.index)
            if "conj" in clitics:
                if not (is_nisba_adjective(norm) and is_nisba_adjective(tokens[j - 1].norm)):
                    break
            elif "prep" in clitics:
                break
        j += 1
    return j


def counted_phrase_end(doc: Document, tokens: Sequence[Token], i: int, limit: int = MAX_NP) -> int:
    """One past a counted phrase starting at ``i`` (``i`` if it does not start with a
    number): the number, an approximation or partitive من, and the counted noun
    phrase (12 شخصا، زهاء 15 مسلحا، أربعة من المتهمين، عشرات المتظاهرين)."""
    j = i
    while j < len(tokens) and j - i < limit and (tokens[j].kind == "number" or tokens[j].norm in NUMBER_WORDS):
        j += 1
    if j == i:
        return i
    if j < len(tokens) and tokens[j].norm == "من":
        j += 1
    end = noun_phrase_end(doc, tokens, j) if j < len(tokens) and tokens[j].kind == "word" else j
    return end if end > j else i


def skip_adverbials(tokens: Sequence[Token], j: int, limit: Optional[int] = None) -> int:
    """The first token at or after ``j`` that is not a time adverbial (أمس، فجر أمس،
    أول من أمس، قبل ظهر أمس الثلاثاء، ليلا)."""
    limit = len(tokens) if limit is None else limit
    while j < limit:
        norm = tokens[j].norm
        if norm in ADVERBIALS or norm in TIME_OF_DAY or tokens[j].text == "#":
            j += 1
        elif norm == "اول" and j + 2 < limit and tokens[j + 1].norm == "من" and tokens[j + 2].norm in ("امس", "الامس"):
            j += 3
        elif norm in ("قبل", "بعد") and j + 1 < limit and tokens[j + 1].norm in TIME_OF_DAY:
            j += 2
        else:
            break
    return j


def token_after(tokens: Sequence[Token], k: int, offset: int, limit: Optional[int] = None) -> int:
    """The first token index from ``k`` on (before ``limit``) that starts at or after the
    character ``offset``: the token after a participant that ends there."""
    limit = len(tokens) if limit is None else limit
    while k < limit and tokens[k].start < offset:
        k += 1
    return k


class MentionIndex:
    """Mentions of one document, looked up by character range (logarithmic)."""

    def __init__(self, mentions: Sequence[Mention], index: Optional[SpanIndex] = None):
        self.mentions = tuple(mentions)
        self._index = index if index is not None else SpanIndex(self.mentions)

    @classmethod
    def of(cls, doc: Document) -> "MentionIndex":
        """The document's mentions over its cached span index (built once per layer)."""
        return cls(doc.mentions, doc.span_index("mentions"))

    def overlapping(self, start: int, end: int) -> list[Mention]:
        return self._index.overlapping(start, end)


def participant_from_mention(mention: Mention) -> Participant:
    return Participant(mention.text, mention.start, mention.end, mention.actor, mention.name_en,
                       mention.country, mention.sector,
                       mention.antecedent.text if mention.antecedent else None, mention.qid)


def same_participant(a: Optional[Participant], b: Optional[Participant]) -> bool:
    """One participant twice: the same knowledge-base actor or the same text span."""
    return a is not None and b is not None and (
        (a.actor is not None and a.actor == b.actor) or (a.start, a.end) == (b.start, b.end))


def participant_in(doc: Document, tokens: Sequence[Token], first: int, last: int,
                   index: MentionIndex) -> Optional[Participant]:
    """The participant named by tokens ``[first, last)``: its first actor mention, or
    the phrase itself when it names no known actor (جماهير شعبنا)."""
    if last <= first:
        return None
    start, end = tokens[first].start, tokens[last - 1].end
    mentions = index.overlapping(start, end)
    # a mention reaching in from the left belongs to the phrase before (الشرطة | المتظاهرين)
    usable = [m for m in mentions if (m.actor or m.kind == "nominal") and m.start >= start]
    if usable:
        # وزير الخارجية الألماني هايكو ماس: the named person, not the office
        named = [m for m in usable if m.kind == "named" and m.entity_type == "PER"]
        if named and any(m.kind == "named" and m.entity_type != "PER" and m.start < named[0].start for m in usable):
            named = []  # منظمة العفو الدولية اعتقال المحامية سوتودة: the organisation named first
        return participant_from_mention(named[0] if named else usable[0])
    head = tokens[first]
    text_start = head.start
    if "conj" in doc.proclitics(head.index):
        text_start = next(w.end for w in doc.words if w.token_index == head.index and w.role == "conj")
    return Participant(doc.text[text_start:end], text_start, end)


def has_actor(doc: Document, tokens: Sequence[Token], first: int, last: int, index: MentionIndex) -> bool:
    if last <= first:
        return False
    return any(m.actor or m.kind == "nominal" for m in index.overlapping(tokens[first].start, tokens[last - 1].end))


@dataclass
class SubjectTracker:
    """The running discourse subject: the last explicit subject of a verb.

    A dropped subject continues it only within the same sentence or the next one;
    further away the reference is too uncertain to code.
    """

    current: Optional[Participant] = None
    sentence: int = -10
    history: list[Participant] = field(default_factory=list)

    def set(self, participant: Optional[Participant], sentence: int) -> None:
        if participant is not None and (participant.actor or participant.resolved_text):
            self.current = participant
            self.sentence = sentence
            self.history.append(participant)

    def inherited(self, sentence: int) -> Optional[Participant]:
        return self.current if sentence - self.sentence <= 1 else None


# Words that govern the noun after them: it is no subject of a later verb (في X، على يد X).
PRE_SUBJECT_BLOCKERS = frozenset(fold(w) for w in """في من على الى إلى عن مع ضد بين لدى عند حول نحو عبر بحق تجاه
يد أيدي ايدي قبل برصاص""".split())


SENTENCE_BREAKS = frozenset({".", "?", "!", ";", "؛"})   # no clause pattern reaches across these
KANA = frozenset(fold(w) for w in "كان كانت وكان وكانت فكان فكانت كانوا وكانوا".split())


def subject_of_kana(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex) -> Optional[Participant]:
    """وكانت كتائب القسام، الجناح العسكري لحماس، قد أطلقت ...، وكانت فرقة مظلية قد قتلت،
    وكان الوحيدي أطلق: in كان X (قد) <verb>, the subject of the verb at ``i`` is the noun
    phrase right after كان (any phrase with قد; without it, one that ends at the verb)."""
    with_qad = i >= 2 and tokens[i - 1].norm in ("قد", "لقد")
    verb = i - 1 if with_qad else i
    for k in range(verb - 1, max(-1, i - (14 if with_qad else 8)), -1):
        if tokens[k].norm in SENTENCE_BREAKS:
            return None
        if tokens[k].norm in KANA:
            j = k + 1
            while j < verb and tokens[j].kind != "word":
                j += 1  # «كتائب ...»
            partitive = partitive_doers(doc, tokens, j, index, stop=verb)
            if partitive is not None and (with_qad or partitive[1] == i):
                return partitive[0]  # وكان الآلاف من النيباليين قد خرجوا
            end = min(verb, noun_phrase_end(doc, tokens, j, limit=MAX_NP + 2))
            if end <= j or (not with_qad and (end != i or not (
                    has_actor(doc, tokens, j, end, index)
                    or (end == j + 1 and tokens[j].norm.startswith("ال") and "pron" not in doc.word_roles(tokens[j].index))))):
                return None  # without قد: a known actor or a definite name (وكان الوحيدي أطلق), not كان أحدثها إدانته
            return participant_in(doc, tokens, j, end, index)
    return None


def subject_before(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex,
                   floor: Optional[int] = None) -> Optional[Participant]:
    """A subject placed before its verb in the same clause (SVO: الرئيس الفلبيني ...
    داعيا): the nearest actor mention before token ``i`` that no preposition governs,
    after token ``floor`` when given."""
    k = i - 1
    while k >= 0 and tokens[k].norm not in (",", ";", ":", ".", "?", "!") and (floor is None or k > floor):
        k -= 1
    start = tokens[k + 1].start if k + 1 < i else None
    if start is None:
        return None
    candidates = [m for m in index.overlapping(start, tokens[i].start) if m.actor and m.end <= tokens[i].start]
    for mention in reversed(candidates):
        first = next(t for t in tokens if t.end > mention.start)
        previous = tokens[first.index - tokens[0].index - 1] if first.index > tokens[0].index else None
        if "prep" in doc.proclitics(first.index) or (previous is not None and previous.norm in PRE_SUBJECT_BLOCKERS):
            continue
        return participant_from_mention(mention)
    return None


# Heads of noun phrases that name people or forces acting (قوات الأمن، مسلحون، متظاهرون):
# a subject even when no known actor is named.
AGENT_NOUNS = frozenset(fold(w) for w in """قوات قوة شرطة امن جيش جنود جندي عناصر مسلحون مسلحين مسلح مجهولون
مجهولين متظاهرون متظاهرين محتجون محتجين مستوطنون مستوطنين مقاتلون مقاتلين شبان شاب شباب فلسطيني فلسطينيان
فلسطينيين فلسطينيون طائرات طائرة مروحيات دبابات سلطات مسؤولون مسؤول مصادر محكمة نيابة""".split())
ADVERBIALS = frozenset(fold(w) for w in "اليوم أمس امس الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت مساء صباح ظهر ليلة أيضا ايضا كذلك مجددا".split())
# Times of day that open an adverbial (فجر أمس، قبل ظهر أمس، ليلا); فجر is also "blew up",
# so it is skipped only where an object is expected, never read as a subject.
TIME_OF_DAY = frozenset(fold(w) for w in "فجر فجرا ظهر ظهرا مساء مساءا صباح صباحا ليل ليلا ليلة نهار نهارا منتصف عصر عصرا".split())


def subject_after(doc: Document, tokens: Sequence[Token], j: int, index: MentionIndex,
                  require_actor: bool = True, counts_victims: bool = False,
                  genitive: bool = False) -> tuple[Optional[Participant], int]:
    """An overt subject right after a verb at ``j - 1``.  Returns the participant and
    the token index after it (``j`` if none).

    With ``require_actor`` (event verbs, whose first noun phrase may be the object
    when the subject is dropped) only a phrase that names an actor counts; reporting
    verbs take any noun phrase (قال مسؤول أمريكي، قالت مصادر).  With ``counts_victims``
    (verbs of violence, whose unvocalised perfective also reads as passive: قتل / قُتل)
    a counted phrase is the victims, not the subject.  ``genitive``: the phrase follows
    an event noun (اقتحام المستوطنين), so its oblique ending is the genitive's, not an
    object's.
    """
    while j < len(tokens) and (tokens[j].norm in ADVERBIALS or tokens[j].text == "#"):
        j += 1
    if not counts_victims and j < len(tokens) and tokens[j].kind == "number":
        counted = counted_phrase_end(doc, tokens, j)  # فجر 3 انتحاريين أنفسهم
        if counted > j and has_actor(doc, tokens, j, counted, index):
            found = participant_in(doc, tokens, j, counted, index)
            end = j if not genitive else counted
            if found is not None:  # ورشق مئات المتظاهرين | قوات الأمن: the object starts after the actor
                end = token_after(tokens, end, found.end, counted)
            return found, end
    # (not after an event noun: مقتل العشرات من مقاتلي الحشد are its victims)
    partitive = partitive_doers(doc, tokens, j, index) if j < len(tokens) and not genitive else None
    if partitive is not None:
        if counts_victims:
            return None, j  # قتل عدد من الجنود: the victims
        return partitive
    if j >= len(tokens) or tokens[j].kind != "word" or tokens[j].norm in FUNCTION_WORDS \
            or "prep" in doc.proclitics(tokens[j].index) or is_participle(tokens[j].norm):
        return None, j  # وأضاف قائلا: the participle is no subject
    end = noun_phrase_end(doc, tokens, j)
    if end == j:
        return None, j
    if require_actor and not genitive and not_a_subject(doc, tokens, j, end, index, counts_victims):
        return None, j  # قتل أربعة أشخاص، هاجم المسلحين: the victims / the object
    if not has_actor(doc, tokens, j, end, index):
        head = tokens[j].norm[2:] if tokens[j].norm.startswith("ال") else tokens[j].norm
        if require_actor and head not in AGENT_NOUNS:
            return None, j  # the first noun phrase may be the object of a subject-less verb
        return participant_in(doc, tokens, j, end, index), end
    participant = participant_in(doc, tokens, j, end, index)
    if participant is not None:
        # the subject ends with the actor's mention: what follows is the object
        # (وأدانت الفصائل | مشاركة ...), not part of the subject -- but adjectives that
        # agree with it stay (الإمارات | العربية المتحدة، الإنتربول | السعودي)
        end = token_after(tokens, j, participant.end)
        generic = participant.actor is not None and all(
            m.kind == "generic" or m.entity_type is None for m in index.overlapping(participant.start, participant.end))
        while end < len(tokens) and tokens[end].kind == "word" and "conj" not in doc.proclitics(tokens[end].index) \
                and "prep" not in doc.proclitics(tokens[end].index) \
                and (is_nisba_adjective(tokens[end].norm) or (generic and _indefinite_modifier(tokens[end].norm))):
            end += 1
        named = _apposition(doc, tokens, end, index)
        is_person = any(m.entity_type == "PER" and m.kind == "named"
                        for m in index.overlapping(participant.start, participant.end))
        if named is not None and not is_person:
            return named  # رئيس الحكومة اليمنية، أحمد بن دغر، ...: the named person
    return participant, end


#: Heads of a partitive phrase (عدد من جنود المارينز، مجموعة من المسلحين): the doers are
#: the noun phrase after من.
PARTITIVE_HEADS = frozenset(fold(w) for w in "عدد عددا مجموعة بعض عشرات مئات آلاف الاف العشرات المئات الآلاف".split())


def partitive_doers(doc: Document, tokens: Sequence[Token], j: int, index: MentionIndex,
                    stop: Optional[int] = None) -> Optional[tuple[Participant, int]]:
    """A partitive phrase at ``j`` whose noun phrase after من names doers: a known actor
    or an agent noun (عدد من جنود «المارينز»، مجموعة من المسلحين).  The participant is
    the actor, or else the phrase up to the agent noun and its adjectives; the index is
    the token after it.  ``stop``: the phrase ends before this token (the verb)."""
    head = doc.without_conjunction(tokens[j])
    limit = len(tokens) if stop is None else stop
    if head not in PARTITIVE_HEADS or j + 2 >= limit or tokens[j + 1].norm != "من":
        return None
    first = j + 2
    end = min(limit, noun_phrase_end(doc, tokens, first))
    if end + 1 < limit and tokens[end].text in ("«", '"') and tokens[end + 1].kind == "word":
        end = min(limit, noun_phrase_end(doc, tokens, end + 1))  # جنود «المارينز»
        if end < limit and tokens[end].text in ("»", '"'):
            end += 1
    if end <= first:
        return None
    if has_actor(doc, tokens, first, end, index):
        found = participant_in(doc, tokens, first, end, index)
        if found is not None and (found.actor or found.resolved_text):
            after = token_after(tokens, first, found.end, end)
            # عشرات من أعضاء حركة حماس: the members, as the actor's participant
            start = tokens[first].start
            return replace(found, text=doc.text[start:found.end], start=start), after
    noun = tokens[first].norm[2:] if tokens[first].norm.startswith("ال") else tokens[first].norm
    people = is_nisba_adjective(tokens[first].norm) and tokens[first].norm.endswith(("يين", "يون"))
    if noun not in AGENT_NOUNS and not (noun.endswith("ي") and noun + "ن" in AGENT_NOUNS) and not people:
        return None  # مستوطني براخة: the construct form of مستوطنين; الآلاف من النيباليين: a people
    after = first + 1
    if noun.endswith("ي") and after < end:
        after += 1  # مستوطني براخة: the construct noun and its genitive
    while after < end and is_nisba_adjective(tokens[after].norm):
        after += 1
    return Participant(doc.text[tokens[j].start:tokens[after - 1].end], tokens[j].start, tokens[after - 1].end), after


def not_a_subject(doc: Document, tokens: Sequence[Token], j: int, end: int, index: MentionIndex,
                  counts_victims: bool = False) -> bool:
    """Whether the phrase ``[j, end)`` right after an event verb is its object (or,
    the verb read as passive, its victim) rather than its subject.

    After a verb of violence (``counts_victims``), a counted phrase (قتل أربعة أشخاص،
    أصيب عشرات المتظاهرين) reports victims; after others it is the subject (تظاهر آلاف).  A
    phrase naming no named entity whose head carries an oblique ending, the
    accusative -ا (شخصا، جنديا) or the sound plural / dual -ين (المسلحين،
    شرطيين), is not a nominative subject (مسلحون، المسلحون).  Names are exempt:
    their endings are not case (فلسطين، حسين).
    """
    head = doc.without_conjunction(tokens[j])
    if head in NUMBER_WORDS:
        return counts_victims
    mentions = index.overlapping(tokens[j].start, tokens[end - 1].end)
    if any(m.entity_type for m in mentions) or not any(m.actor for m in mentions):
        return False
    bare = head[2:] if head.startswith("ال") else head
    return len(bare) > 3 and (bare.endswith("ين") or (bare.endswith("ا") and not bare.endswith("اء")))


#: Indefinite adjectives that qualify a generic doer (مسلحون مجهولون، وحدة خاصة، مهاجم انتحاري).
DOER_MODIFIERS = frozenset(fold(w) for w in """خاص خاصة مجهول مجهولة مجهولون مجهولين مقنع مقنعون مقنعين ملثم
ملثمون ملثمين انتحاري انتحارية مسلح مسلحة مسلحون مسلحين آخر آخرون آخرين""".split())


def _indefinite_modifier(norm: str) -> bool:
    """An indefinite adjective after a generic doer: listed, or a nisba (صوماليون، إسرائيلية)."""
    return norm in DOER_MODIFIERS or (not norm.startswith("ال") and len(norm) > 4
                                      and norm.endswith(("ي", "يه", "يون", "يين", "يان")))


def _apposition(doc: Document, tokens: Sequence[Token], end: int,
                index: MentionIndex) -> Optional[tuple[Participant, int]]:
    """A person named between commas right after a title subject."""
    if end >= len(tokens) or tokens[end].norm not in (",", "،"):
        return None
    window_end = min(len(tokens), end + 6)
    for mention in index.overlapping(tokens[end].end, tokens[window_end - 1].end):
        if mention.entity_type == "PER" and mention.kind == "named":
            return participant_from_mention(mention), token_after(tokens, end + 1, mention.end)
    return None


def is_participle(norm: str) -> bool:
    """An adverbial active participle (مؤكدا، داعيا، مشيرا، قائلا): it shares the
    subject of the main verb and never has its own."""
    bare = norm[1:] if norm[:1] in ("و", "ف") and len(norm) > 5 else norm
    if bare.endswith("وا"):
        return False  # هاجموا، طالبوا: a plural perfective verb, not a participle
    return len(bare) >= 5 and bare.endswith("ا") and (bare.startswith("م") or bare[1] == "ا" or bare[1:3] == "ائ")
