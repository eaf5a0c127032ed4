"""The first event coder: a trigger lexicon over clitic-stripped words, with roles
from Arabic clause structure.

* Verbal triggers (أدانت، دعت، اعتقلت) are events; their source is the overt
  subject after the verb or, when it is dropped, the running discourse subject.
* Nominal triggers (اجتماعا، غارة) are events only when a support verb governs
  them (عقدت اجتماعا، شنت غارة) or an actor is attached (اقتحامات المستوطنين), and
  never inside quotations or as the requested content of another trigger.
* Negation (لم، لن، لا، عدم، نفى) and future/conditional markers are recorded on
  the event; such events are output but do not count as having happened.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional, Sequence

from hadath.actors.participants import (MentionIndex, SubjectTracker, counted_phrase_end, noun_phrase_end,
                                        participant_from_mention, participant_in, skip_adverbials, subject_after,
                                        subject_before, subject_of_kana, ADVERBIALS, is_participle)
from hadath.doc import Document, Event, Participant, Place, Sentence, TextSpan, Token
from hadath.events.lexicon import TriggerEntry, TriggerLexicon
from hadath.events.protest import crowd_subject, grievance, is_motive, motive_crowd, protesters_in
from hadath.events.violence import (agent_phrase, aimed_at, consequence_victims, exposed_subject, relative_doer,
                                    starts_target)
from hadath.events.when import event_date, is_historical, nearest_date
from hadath.quotes.lexicon import CueLexicon
from hadath.text.clitics import CONJUNCTIONS, FUTURE, IMPERFECTIVE_PREFIXES, lookup_keys, strip_enclitic
from hadath.text.function_words import FUNCTION_WORDS, NEGATIONS
from hadath.text.normalize import fold

EVENT_NEGATIONS = NEGATIONS - {fold("ما")}  # ما أسفر عن مقتل: a relative, not a negation
CONDITIONALS = frozenset(fold(w) for w in "إذا اذا لو حال حالة لولا".split())
FUTURE_WORDS = frozenset(fold(w) for w in "سوف سيتم ستقوم سيقوم".split())
DENIALS = frozenset(fold(w) for w in "نفى نفت ينفي تنفي نفوا".split())
COMMA = {",", "،", ";", "؛", ":"}
STATEMENT_TYPES = {"ACCUSE", "REQUEST", "SUPPORT", "REJECT", "THREATEN", "AGREE", "CONCEDE"}
PARTICIPATION = tuple(fold(w) for w in ("بحضور", "بمشاركة", "حضور"))
REQUESTED_CONTENT = frozenset(fold(w) for w in ("إلى", "ل", "ب", "على"))
OPEN_QUOTES = {'"', "«", "“", "'"}
ANNOUNCING_CLASSES = {"neutral", "assertive"}
STATIVE_TYPES = {"SUPPORT", "AGREE"}   # their present tense after الذي is a lasting state (التي تدعمها إيران)
RELATIVES = frozenset(fold(w) for w in "الذي التي الذين اللذين اللتين اللذان اللتان اللواتي اللاتي".split())
THAT_WORDS = frozenset(fold(w) for w in "أن إن أنه إنه أنها إنها بأن".split())
UNACCUSATIVE = frozenset(fold(w) for w in "انفجر انفجار سقط وقع اندلع".split())  # their subject is no doer
THAT_PRONOUNS = frozenset(fold(w) for w in "أنه إنه انه أنها إنها انها بأنه بأنها".split())
BACKGROUND_PREPS = frozenset(fold(w) for w in "عقب بعد قبل خلال إثر اثر منذ أثناء اثناء حول بشأن".split())
EMBEDDING_TYPES = {"REQUEST", "THREATEN"}   # what follows them in the clause is asked or warned of
CRITICISM = {"ACCUSE", "REJECT"}            # a following call to back down is addressed to their target
CALL_PREPOSITIONS = frozenset(fold(w) for w in ("إلى", "الى"))
EXPLAINING = frozenset(fold(w) for w in "في خلال إثر اثر جراء نتيجة عقب".split())  # قتل ... في هجوم
VIOLENT_TYPES = {"ASSAULT", "COERCE"}       # their perfective verbs also read as passives (قتل / قُتل)
ARMED_SECTORS = frozenset({"MIL", "COP", "REB", "UAF", "SET", "CRM", "SPY"})
CROWD_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "REL", "REF"})  # who protests in the street
THING_PREPOSITIONS = frozenset(fold(w) for w in "على ضد باتجاه نحو".split())  # أطلق صواريخ على البلدات
REFLEXIVE = ("نفس", "انفس")   # نفسه، أنفسهم: the doer's own self (فجر نفسه)
TOTAL_WORDS = frozenset(fold(w) for w in "مجموعه مجموعها يقارب يزيد".split())
# Adjectives of an event noun that also read as doer nouns (هجوم مسلح: an armed attack).
EVENT_ADJECTIVES = frozenset(fold(w) for w in """مسلح مسلحا مسلحة انتحاري انتحاريا انتحارية إرهابي ارهابي إرهابيا
ارهابيا إرهابية ارهابية مزدوج مزدوجة منسق منسقة جوي جوية جويا صاروخي صاروخية مدفعي مدفعية عسكري عسكرية
ليلي ليلية دام دامية""".split())
# The light verb of "قام بـ<event noun>" (قامت القوات باعتقال ...).
LIGHT_VERBS = frozenset(fold(w) for w in "قام قامت قاموا يقوم تقوم يقومون قاما".split())
# Impersonal passive light verbs: "تم اعتقال خمسة أشخاص"، "جرى توجيه اتهامات إلى": the
# event noun after them (or after the masdar right after them) has no subject.
PASSIVE_LIGHT_VERBS = frozenset(fold(w) for w in "تم يتم تتم ستتم سيتم جرى يجري".split())
# Verbs of occurrence whose subject (or, for شهد, object) is the event noun: اندلعت
# اشتباكات، تجددت التظاهرات، شهدت المدينة تظاهرات.  Like تم they name no doer.
OCCURRENCE_VERBS = frozenset(fold(w) for w in """اندلع اندلعت تندلع يندلع تجدد تجددت تتجدد يتجدد دار دارت
تدور يدور جرت تجري وقع وقعت تقع يقع استمر استمرت تستمر يستمر تواصل تواصلت تتواصل يتواصل شهد شهدت تشهد يشهد
انطلقت انطلق تنطلق خرجت تخرج عمت تعم اجتاحت تجتاح""".split())
# Verbs of an order or decision by an authority that carry out the act they name
# (أمرت المحكمة باحتجاز، قررت النيابة إحالة ...): support for these types only.
DECISION_VERBS = frozenset(fold(w) for w in "قرر قررت قرروا تقرر يقرر أمر أمرت أمروا يأمر تأمر".split())
ORDERED_TYPES = {"COERCE", "SANCTION", "ACCUSE", "RETREAT"}
# Nouns of an outcome (deaths, injuries): who announces it caused it only when it is
# an army reporting its own operation (أعلنت الشرطة مقتل سبعة أشخاص: no source).
OUTCOME_NOUNS = frozenset(fold(w) for w in "مقتل إصابة جرح استشهاد وفاة سقوط".split())
REVERSAL_NOUNS = frozenset(fold(w) for w in (
    "التراجع", "تراجع", "الكف", "كف", "وقف", "التوقف", "توقف", "العدول", "عدول", "الانسحاب", "انسحاب",
    "إلغاء", "الغاء", "الامتناع", "امتناع", "العودة", "التخلي", "تخلي"))


@dataclass(frozen=True)
class _Trigger:
    index: int          # token index within the sentence
    entry: TriggerEntry
    key: str            # lexicon form that matched
    verbal: bool


def _verb_keys(norm: str, conj: bool = True, pronoun: bool = True) -> list[str]:
    """Readings of a verb token: without و/ف, without future س, without an object
    pronoun (دعاهم، وتضامنها).  ``conj``/``pronoun``: whether the words layer saw
    a conjunction / a suffix pronoun (so وزارة is not و+زارة)."""
    keys = [norm]
    if conj and norm[:1] in CONJUNCTIONS and len(norm) > 3:
        keys.append(norm[1:])
    for key in list(keys):
        if key[:1] == FUTURE and key[1:2] in IMPERFECTIVE_PREFIXES and len(key) > 3:
            keys.append(key[1:])
    if pronoun:
        for key in list(keys):
            keys.extend(strip_enclitic(key))
    return list(dict.fromkeys(keys))


def _bare_verb(norm: str) -> str:
    """A word without a leading و/ف (وتم → تم)."""
    return norm[1:] if norm[:1] in CONJUNCTIONS and len(norm) > 2 else norm


def _noun_keys(norm: str) -> list[str]:
    keys = lookup_keys(norm)
    for key in list(keys):
        keys.extend(strip_enclitic(key))
    return list(dict.fromkeys(keys))


@dataclass
class EventCoder:
    lexicon: TriggerLexicon
    cues: Optional[CueLexicon] = None   # reporting verbs: they set the discourse subject too
    name: str = "events"
    requires: tuple[str, ...] = ("tokens", "sentences", "quoted", "mentions")  # places, dates used when present
    provides: tuple[str, ...] = ("events",)

    def __call__(self, doc: Document) -> Document:
        index = MentionIndex.of(doc)
        subjects = SubjectTracker()
        events: list[Event] = []
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            events.extend(self._sentence_events(doc, sentence, tokens, index, subjects))
        doc.events = tuple(self._dedupe(doc, events))
        return doc

    def event_at(self, doc: Document, sentence: Sentence, trigger_start: int) -> Optional[Event]:
        """The event of the trigger word at ``trigger_start`` in ``sentence``, with roles,
        place, date and modality from its clause alone: for events the event check adds
        where the coder's rules coded none (a bare noun, an ambiguous word with no
        participant).  No discourse subject is inherited.  ``None`` if no trigger is there."""
        tokens = doc.sentence_tokens(sentence)
        trig = next((t for t in self._find_triggers(doc, tokens) if tokens[t.index].start == trigger_start), None)
        if trig is None:
            return None
        source, target = self._clause_roles(doc, tokens, trig)
        negated, modality = self._modality(tokens, trig.index, trig.verbal)
        quote = doc.span_index("quoted").covers(tokens[trig.index].start)
        return self._event(doc, sentence, tokens, self._armed_reading(trig, source), source, target, negated,
                           modality, quote)

    def _clause_roles(self, doc: Document, tokens: Sequence[Token], trig: _Trigger
                      ) -> tuple[Optional[Participant], Optional[Participant]]:
        """The roles of :meth:`_sentence_events` that need nothing beyond the clause."""
        index = MentionIndex.of(doc)
        token, after = tokens[trig.index], trig.index + 1
        source: Optional[Participant] = None
        preverbal = False
        if trig.verbal:
            if not self._plural_agreement(doc, token) \
                    and not (is_participle(token.norm) or self._plural_participle(doc, token)):
                source, after = subject_after(doc, tokens, after, index, counts_victims=trig.entry.plover in VIOLENT_TYPES
                                              and not self._reflexive(trig))
                preverbal = self._generic(source)
                if source is None:
                    source = subject_of_kana(doc, tokens, trig.index, index)
                    preverbal = source is not None
                if source is None and trig.entry.plover == "PROTEST":
                    source, after = crowd_subject(doc, tokens, after, index)
            if source is None:
                source = subject_before(doc, tokens, trig.index, index, floor=self._reported(tokens, trig.index)) \
                    or self._reported_subject(doc, tokens, trig, index)
                preverbal = source is not None
        else:
            support = self._support_before(tokens, trig.index, trig.entry)
            if support is not None:
                source, _ = self._support_subject(doc, tokens, trig, support, index)
            else:
                source, phrase_end = self._genitive(doc, tokens, trig, index)
                if source is not None and "obj" in trig.entry.target_prep \
                        and not self._agent_genitive(doc, tokens, phrase_end):
                    source = None
        target = self._target(doc, tokens, trig, after, index, source)
        if preverbal:
            source, target = self._passive_reading(trig, source, target)
        if trig.entry.plover in VIOLENT_TYPES and (source is None or target is None or not trig.verbal):
            source, target = self._violence_roles(doc, tokens, trig, index, source, target)
        if trig.entry.plover == "PROTEST":
            source, target = self._protest_roles(doc, tokens, trig, index, source, target)
        return source, target

    # -- triggers ---------------------------------------------------------
    def _find_triggers(self, doc: Document, tokens: Sequence[Token]) -> list[_Trigger]:
        found: list[_Trigger] = []
        names = doc.span_index("entities")
        for i, token in enumerate(tokens):
            if token.kind != "word" or names.covers(token.start):
                continue  # منظمة العفو الدولية، تحالف دعم الشرعية: a word of a name is no trigger
            roles = doc.word_roles(token.index)
            following = [lookup_keys(t.norm) for t in tokens[i + 1:i + 8]]
            prev_key = _verb_keys(tokens[i - 1].norm) if i else None  # every reading: طائرة، طائر+ه
            next_key = (lookup_keys(tokens[i + 1].norm) or [tokens[i + 1].norm])[-1] if i + 1 < len(tokens) else None
            # ويعتصم: و before an imperfective prefix is a conjunction even where the words
            # layer left a rare form whole
            conj = "conj" in roles or token.norm[:1] not in CONJUNCTIONS \
                or (len(token.norm) >= 5 and token.norm[1] in IMPERFECTIVE_PREFIXES)
            verb_keys = _verb_keys(token.norm, conj=conj, pronoun="pron" in roles)
            verb = self._lookup(verb_keys, False, following, prev_key, next_key)
            noun = self._lookup(_noun_keys(token.norm), True, following, prev_key, next_key)
            if verb and not (noun and self._support_before(tokens, i, noun[0]) is not None):
                found.append(_Trigger(i, verb[0], verb[1], True))
            elif noun:
                found.append(_Trigger(i, noun[0], noun[1], False))
        return self._without_actor_nouns(doc, tokens, found)

    @staticmethod
    def _without_actor_nouns(doc: Document, tokens: Sequence[Token], found: list[_Trigger]) -> list[_Trigger]:
        """Drop a noun trigger that names the doers (انتحاريان، الانتحاريين: a knowledge-base
        actor) when a verb of the same type follows it: the verb is the event and the
        noun its subject (الانتحاريين فجرا نفسيهما)."""
        actors = doc.span_index("mentions")
        out = []
        for trig in found:
            token = tokens[trig.index]
            if not trig.verbal and any(m.actor and m.entity_type is None
                                       for m in actors.overlapping(token.start, token.end)) \
                    and any(t.verbal and t.index > trig.index and t.entry.plover == trig.entry.plover for t in found):
                continue
            out.append(trig)
        return out

    def _lookup(self, keys: list[str], nominal: bool, following: list[list[str]], prev_key: Optional[list[str]],
                next_key: Optional[str]) -> Optional[tuple[TriggerEntry, str]]:
        """The best entry for a token: multiword phrases whose object follows first,
        then single words; entries blocked by a neighbour are skipped."""
        single: Optional[tuple[TriggerEntry, str]] = None
        for key in keys:
            for entry in self.lexicon.by_form.get(key, ()):
                if entry.nominal != nominal or entry.blocked(prev_key, next_key):
                    continue
                if entry.is_phrase:
                    if entry.object_match(following) is not None:
                        return entry, key
                elif single is None:
                    single = (entry, key)
        return single

    @staticmethod
    def _support_before(tokens: Sequence[Token], i: int, entry: TriggerEntry) -> Optional[int]:
        """The support verb governing the event noun at ``i``: the impersonal تم/جرى
        right before it or before the masdar that precedes it (تم توجيه اتهامات), one the
        entry lists (شنت غارة), for any event noun after ب the light verb قام (قام
        مسلحون بخطف ...), an order for the acts an order carries out (أمرت باحتجاز), or
        else a verb of occurrence up to four words before it (اندلعت اشتباكات، شهدت
        مدينة البصرة تظاهرات)."""
        for j in range(i - 1, max(-1, i - 3), -1):
            if tokens[j].kind != "word" or tokens[j].norm in FUNCTION_WORDS:
                break
            if _bare_verb(tokens[j].norm) in PASSIVE_LIGHT_VERBS:
                return j
        support = set(entry.support)
        light = tokens[i].norm[:1] == "ب" or tokens[i].norm[:2] == "وب"
        ordered = entry.plover in ORDERED_TYPES
        if support or light or ordered:
            for j in range(i - 1, max(-1, i - 8), -1):
                if tokens[j].norm in COMMA:
                    break
                keys = _verb_keys(tokens[j].norm)
                if any(k in support for k in keys) or (light and any(k in LIGHT_VERBS for k in keys)) \
                        or (ordered and j >= i - 4 and any(k in DECISION_VERBS for k in keys)):
                    return j
        for j in range(i - 1, max(-1, i - 5), -1):
            if tokens[j].kind != "word" or tokens[j].norm in COMMA:
                return None
            if _bare_verb(tokens[j].norm) in OCCURRENCE_VERBS:
                return j
            if tokens[j].norm in FUNCTION_WORDS:
                return None
        return None

    @staticmethod
    def _impersonal(tokens: Sequence[Token], support: int, entry: TriggerEntry) -> bool:
        """Whether the support verb at ``support`` names no doer: تم/جرى, or a verb of
        occurrence that is not one of the entry's own support verbs (وقّع شراكة has a
        subject; وقع هجوم has none)."""
        bare = _bare_verb(tokens[support].norm)
        if bare in PASSIVE_LIGHT_VERBS:
            return True
        return bare in OCCURRENCE_VERBS and not any(k in entry.support for k in _verb_keys(tokens[support].norm))

    def _support_subject(self, doc: Document, tokens: Sequence[Token], trig: _Trigger, support: int,
                         index: MentionIndex) -> tuple[Optional[Participant], bool]:
        """The subject of the support verb at ``support`` (an agent phrase for an
        impersonal one), and whether the caller may still look before the verb or to
        the discourse for it: not when the verb is impersonal or its phrase ran past the
        event noun (أعلنت مصادر طبية مقتل ثلاثة جنود)."""
        token = tokens[trig.index]
        if self._impersonal(tokens, support, trig.entry):
            # تم اعتقال ثلاثة على يد الشرطة: only an agent phrase names the doer
            return agent_phrase(doc, tokens, trig.index + 1, self._clause_end(tokens, trig.index), index), False
        source, _ = subject_after(doc, tokens, support + 1, index)
        if source is not None and source.start < token.start < source.end:
            # وجهت النيابة اتهامات: the subject's phrase ran into the event noun
            source = participant_in(doc, tokens, support + 1, trig.index, index)
        if source is not None and source.start >= token.start:
            return None, False
        return source, source is None

    # -- events -----------------------------------------------------------
    def _sentence_events(self, doc: Document, sentence: Sentence, tokens: Sequence[Token],
                         index: MentionIndex, subjects: SubjectTracker) -> list[Event]:
        out: list[Event] = []
        triggers = self._find_triggers(doc, tokens)
        cue_subjects = self._cue_subjects(doc, tokens, index)
        for trig in triggers:
            token = tokens[trig.index]
            support: Optional[int] = None
            quote = next(iter(doc.span_index("quoted").covering(token.start)), None)
            in_quote = quote is not None
            for position, subject in cue_subjects:
                if position < trig.index:
                    subjects.set(subject, sentence.index)
            cue_subjects = [(p, s) for p, s in cue_subjects if p >= trig.index]
            if self._embedded(trig, triggers, tokens):
                continue
            stance = in_quote and self._stance(doc, tokens, trig, quote)
            if stance:
                # أكدت الفصائل "وقوفها وتضامنها مع ...": the speaker states its position
                inside = subject_before(doc, tokens, trig.index, index)
                if inside is not None and inside.start < quote.start:
                    inside = None
                source = inside or self._fronted_subject(doc, tokens, trig, index) or subjects.inherited(sentence.index)
                in_quote = False
                target = self._target(doc, tokens, trig, trig.index + 1, index, source)
            elif trig.verbal:
                if in_quote and not self._perfective(trig):
                    continue  # plans, habits and slogans inside quotations are not events
                if trig.entry.plover in STATIVE_TYPES and not self._perfective(trig) and trig.index \
                        and doc.without_conjunction(tokens[trig.index - 1]) in RELATIVES:
                    continue  # التحالف الذي يدعمه الغرب: a present tense after الذي describes a state
                preverbal = False   # the source is a subject placed before the verb
                if is_participle(token.norm) or self._plural_participle(doc, token):
                    source, after = None, trig.index + 1
                elif self._plural_agreement(doc, token):
                    # مسلحون مجهولون اغتالوا العميد: a verb that agrees in number follows its
                    # subject; what comes after it is the object
                    source = subject_before(doc, tokens, trig.index, index, floor=self._reported(tokens, trig.index)) \
                        or self._reported_subject(doc, tokens, trig, index)
                    after = trig.index + 1
                    if source is not None and in_quote and source.start < quote.start:
                        source = None
                    preverbal = source is not None
                elif (fronted := self._fronted_subject(doc, tokens, trig, index)) is not None:
                    # بأن الميليشيات رفضت مقترحات الأمم المتحدة، إنها "تدين ...": after أن the
                    # subject comes first and the phrase after the verb is its object
                    source, after, preverbal = fronted, trig.index + 1, True
                    if in_quote and source.start < quote.start and not self._reported(tokens, trig.index):
                        source = None
                else:
                    source, after = subject_after(doc, tokens, trig.index + 1, index,
                                                  counts_victims=trig.entry.plover in VIOLENT_TYPES
                                                  and not self._reflexive(trig))
                    preverbal = self._generic(source)  # قتل جنديان: read as passive below if no object
                    if source is None:
                        source = subject_of_kana(doc, tokens, trig.index, index)
                        preverbal = source is not None  # وكانت بوتو قد قتلت في هجوم: passive if no object
                    if source is None and trig.entry.plover == "PROTEST":
                        source, after = crowd_subject(doc, tokens, trig.index + 1, index)  # تظاهر آلاف من ...
                if source is not None and not in_quote and self._continues_subject(doc, token, trig, subjects,
                                                                                     sentence.index, source):
                    # وحملت الحكومة الإسرائيلية المسؤولية after أدانت الجامعة ...: the subject
                    # continues and the actor after the verb is its object
                    source, after = subjects.inherited(sentence.index), trig.index + 1
                    preverbal = False
                if in_quote and source is None:
                    # "السلطات الإسرائيلية اعتقلت تسعة أشخاص": a subject before the verb inside
                    # the quotation is as explicit as one after it
                    inside = subject_before(doc, tokens, trig.index, index, floor=self._reported(tokens, trig.index))
                    if inside is not None and inside.end >= quote.start - 2:  # inside it, or right before its mark
                        source, preverbal = inside, True
                if in_quote:
                    if source is None:
                        continue  # in a quotation only an explicitly named actor's deed is coded
                elif source is not None:
                    subjects.set(source, sentence.index)
                elif self._reported(tokens, trig.index):
                    # وأضاف أن 5 متشددين ألقي القبض عليهم: inside reported speech the
                    # speaker is not the doer; only a subject inside the clause counts
                    source = subject_before(doc, tokens, trig.index, index, floor=self._reported(tokens, trig.index)) \
                        or self._reported_subject(doc, tokens, trig, index)
                    preverbal = source is not None
                elif any(not t.verbal and t.entry.plover == trig.entry.plover and 0 < trig.index - t.index <= 3
                         for t in triggers):
                    source = None  # هجوم انتحاري استهدف دورية: the attack noun is the subject
                else:
                    source = subject_before(doc, tokens, trig.index, index)
                    preverbal = source is not None
                    source = source or subjects.inherited(sentence.index)
                target = self._target(doc, tokens, trig, after, index, source)
                if preverbal:
                    source, target = self._passive_reading(trig, source, target)
                    if source is None and target is not None and trig.entry.plover in VIOLENT_TYPES:
                        source = agent_phrase(doc, tokens, trig.index + 1, self._clause_end(tokens, trig.index), index)
            else:
                announced_quote = self._announced_quote(tokens, trig, quote) if in_quote else None
                if in_quote and announced_quote is None:
                    continue
                in_quote = False
                support = self._support_before(tokens, trig.index, trig.entry)
                announced = False
                if support is None:
                    # أعلنت الشرطة اعتقال ...، أعلن الجيش "إلقاء القبض على ..."
                    support = announced_quote if announced_quote is not None else self._announcing_cue(tokens, trig.index)
                    announced = support is not None
                if support is not None:
                    source, open_ = self._support_subject(doc, tokens, trig, support, index)
                    if source is not None and not self._impersonal(tokens, support, trig.entry):
                        subjects.set(source, sentence.index)  # an agent phrase is no discourse subject
                    elif open_:
                        source = subject_of_kana(doc, tokens, support, index) \
                            or subject_before(doc, tokens, support, index) or subjects.inherited(sentence.index)
                    if announced and fold(trig.entry.lemma) in OUTCOME_NOUNS and (source is None
                                                                                 or source.sector != "MIL"):
                        source = None  # أعلنت الشرطة مقتل سبعة أشخاص, unlike أعلن الجيش مقتل 52 مسلحا
                else:
                    source, phrase_end = self._genitive(doc, tokens, trig, index)
                    if source is not None and "obj" in trig.entry.target_prep \
                            and not self._agent_genitive(doc, tokens, phrase_end):
                        source = None  # اغتيال القيادي ...: the genitive of an event noun is its patient
                    if source is not None and not (source.actor or source.resolved_text) \
                            and (trig.entry.ambiguous or trig.entry.is_ambiguous(trig.key)):
                        source = None  # تحقيق أمن دائم: a word of two senses needs an actor to be an event
                    if source is None and trig.entry.plover == "PROTEST":
                        source = motive_crowd(doc, tokens, trig.index, index)  # تجمع 40 متظاهرا للاحتجاج
                    if source is None and not self._standalone(doc, tokens, trig) \
                            and exposed_subject(doc, tokens, trig.index, index) is None:
                        continue  # a bare event noun is background, not a coded event
                target = self._target(doc, tokens, trig, trig.index + 1, index, source)
            if trig.entry.plover in VIOLENT_TYPES and (source is None or target is None or not trig.verbal):
                source, target = self._violence_roles(doc, tokens, trig, index, source, target)
            negated, modality = self._modality(tokens, trig.index, trig.verbal)
            if not trig.verbal and support is not None:
                # لم تعقد الحكومة أي اجتماع: the support verb carries negation and tense
                negated_support, modality_support = self._modality(tokens, support)
                negated = negated or negated_support
                modality = modality if modality != "asserted" else modality_support
            if source is None and target is None and (trig.entry.ambiguous or trig.entry.is_ambiguous(trig.key)):
                continue  # an ambiguous word with no participant at all is more often not an event
            if trig.entry.plover == "PROTEST":
                source, target = self._protest_roles(doc, tokens, trig, index, source, target)
            reread = self._armed_reading(trig, source)
            if reread.entry.plover == "PROTEST" != trig.entry.plover:
                # واحتج مئات المتظاهرين: a street protest, whose target is what it is against
                source, target = self._protest_roles(doc, tokens, reread, index, source, None)
            trig = reread
            out.append(self._event(doc, sentence, tokens, trig, source, target, negated, modality, in_quote))
        for _, subject in cue_subjects:
            subjects.set(subject, sentence.index)  # أكدت الإمارات ... . وطالبت ...: it speaks on
        return self._implicit_addressees(doc, tokens, out)

    def _implicit_addressees(self, doc: Document, tokens: Sequence[Token], events: list[Event]) -> list[Event]:
        """وأدانت الفصائل مشاركة السلطة ...، ودعت إلى التراجع عن هذا المسار: a call to back
        down that follows, joined by و, a criticism by the same source is addressed to the
        criticised party.  Only calls with no addressee of their own whose content starts
        with a word of reversal (التراجع، الكف، وقف ...) take it."""
        by_start = {t.start: i for i, t in enumerate(tokens)}
        for k in range(1, len(events)):
            call, before = events[k], events[k - 1]
            if (call.type != "REQUEST" or call.target is not None or before.target is None
                    or before.type not in CRITICISM or not self._same(call.source, before.source)):
                continue
            i = by_start.get(call.trigger.start)
            if i is None or "conj" not in doc.proclitics(tokens[i].index):
                continue
            content = [t for t in tokens[i + 1:i + 4] if t.kind == "word"]
            if content and content[0].norm in CALL_PREPOSITIONS:
                content = content[1:]
            if content and any(key in REVERSAL_NOUNS for key in lookup_keys(content[0].norm)):
                events[k] = replace(call, target=before.target)
        return events

    @staticmethod
    def _reported(tokens: Sequence[Token], i: int) -> Optional[int]:
        """Index of the أن/إن that opens the reported clause holding token ``i``, if any
        (looking back no further than the previous comma or quotation mark)."""
        for j in range(i - 1, -1, -1):
            if tokens[j].norm in THAT_WORDS:
                return j
            if tokens[j].norm in COMMA or tokens[j].text in OPEN_QUOTES or tokens[j].text in ('»', '”'):
                return None
        return None

    @classmethod
    def _reported_clause(cls, tokens: Sequence[Token], i: int) -> Optional[tuple[int, int]]:
        """The أن/إن opening the reported clause of token ``i`` and the first word after
        it (past quotation marks), or None outside reported speech."""
        j = cls._reported(tokens, i)
        if j is None:
            return None
        start = j + 1
        while start < i and (tokens[start].kind != "word" or tokens[start].text in OPEN_QUOTES):
            start += 1
        return j, start

    def _reported_subject(self, doc: Document, tokens: Sequence[Token], trig: _Trigger,
                          index: MentionIndex) -> Optional[Participant]:
        """The subject of the verb at ``i`` in a reported clause when it names no known
        actor: the noun phrase right after أن/إن (إن مهاجما انتحاريا ... فجر، أن دبابة
        إسرائيلية أطلقت), or the speaker when أن carries the pronoun (أكد الحلف أنه قتل) or
        the phrase is the speaker's own (قال الجيش إن قواته قتلت)."""
        i = trig.index
        opening = self._reported_clause(tokens, i)
        if opening is None:
            return None
        j, start = opening
        if fold(trig.entry.lemma) in UNACCUSATIVE:
            return None  # إن سيارة مفخخة انفجرت: what explodes is no doer
        if tokens[j].norm in THAT_PRONOUNS:
            return self._speaker(doc, tokens, j, index)
        if start >= i or i - start > 8 or tokens[start].norm in FUNCTION_WORDS or tokens[start].kind != "word":
            return None
        end = min(i, noun_phrase_end(doc, tokens, start))
        if end <= start or any(self._lookup_trigger_head(t) for t in tokens[start:end]):
            return None
        if "pron" in doc.word_roles(tokens[start].index):
            return self._speaker(doc, tokens, j, index)  # قواته، طائراتها: the speaker's forces
        return participant_in(doc, tokens, start, end, index)

    def _fronted_subject(self, doc: Document, tokens: Sequence[Token], trig: _Trigger,
                         index: MentionIndex) -> Optional[Participant]:
        """The subject of a verb that comes right after أن/إن + its noun phrase (بأن
        الميليشيات رفضت) or right after أنه/إنها (إنها "تدين ..."; the speaker)."""
        i = trig.index
        k = i - 1
        while k >= 0 and tokens[k].text in OPEN_QUOTES:
            k -= 1
        if k >= 0 and k < i - 1 and tokens[k].norm in THAT_PRONOUNS:
            return self._speaker(doc, tokens, k, index)  # إنها "تدين ...": the speaker's own words
        opening = self._reported_clause(tokens, i)
        if opening is None:
            return None
        j, start = opening
        if start == i:
            return self._speaker(doc, tokens, j, index) if tokens[j].norm in THAT_PRONOUNS else None
        if tokens[j].norm in THAT_PRONOUNS or noun_phrase_end(doc, tokens, start) < i \
                or any(t.kind != "word" for t in tokens[start:i]) \
                or any(e.nominal for key in _noun_keys(tokens[start].norm) for e in self.lexicon.by_form.get(key, ())):
            return None  # أن الهجوم استهدف ...: an event noun is no doer
        return self._reported_subject(doc, tokens, trig, index)

    def _speaker(self, doc: Document, tokens: Sequence[Token], j: int, index: MentionIndex) -> Optional[Participant]:
        """Who says the reported clause opened at ``j``: the subject just before أن, or that
        of the last reporting verb before it (قال الجيش التركي في بيان ...، أمس، إن طائراته)."""
        before = subject_before(doc, tokens, j, index)
        if before is not None:
            return before
        said = [subject for position, subject in self._cue_subjects(doc, tokens, index) if position < j]
        return said[-1] if said else None

    @staticmethod
    def _continues_subject(doc: Document, token: Token, trig: _Trigger, subjects: SubjectTracker,
                           sentence: int, candidate: Participant) -> bool:
        """A verb joined by و to an earlier verb of the same sentence keeps that verb's
        subject when it takes a direct object."""
        return ("conj" in doc.proclitics(token.index) and subjects.sentence == sentence
                and subjects.current is not None and "obj" in trig.entry.target_prep
                and subjects.current.start < token.start
                and not EventCoder._same(candidate, subjects.current))

    def _cue_subjects(self, doc: Document, tokens: Sequence[Token],
                      index: MentionIndex) -> list[tuple[int, Participant]]:
        """Explicit subjects of reporting verbs outside quotations (وأكدت الفصائل ...)."""
        if self.cues is None:
            return []
        out = []
        for i, token in enumerate(tokens):
            if token.kind != "word" or doc.span_index("quoted").covers(token.start):
                continue
            if any(k in self.cues.by_form for k in _verb_keys(token.norm)[:2]):
                subject, _ = subject_after(doc, tokens, i + 1, index)
                if subject is not None:
                    out.append((i, subject))
        return out

    def _announcing_cue(self, tokens: Sequence[Token], i: int) -> Optional[int]:
        """A reporting verb that takes the event noun as its object (أعلن الإنتربول
        القبض على ...، أكدت التزامها ...), before it in the clause with no أن between."""
        if self.cues is None:
            return None
        for j in range(i - 1, max(-1, i - 7), -1):
            norm = tokens[j].norm
            if norm in COMMA or norm in THAT_WORDS or tokens[j].text in OPEN_QUOTES or norm in FUNCTION_WORDS:
                return None  # the noun must be the verb's object, not inside a prepositional phrase
            entries = [e for k in _verb_keys(norm)[:2] for e in self.cues.by_form.get(k, ())]
            if entries:
                # أعلن/أكد take the event as object; أدان/نفى/حذر take someone else's deed
                return j if any(e.cls in ANNOUNCING_CLASSES for e in entries) else None
        return None

    def _announced_quote(self, tokens: Sequence[Token], trig: _Trigger, quote: TextSpan) -> Optional[int]:
        """The announcing verb of a quotation that opens with the event noun (أعلنت القيادة
        "إلقاء القبض على ..."): the quotation is the verb's object, the noun its event."""
        mark = next((k for k in range(trig.index - 1, max(-1, trig.index - 4), -1)
                     if tokens[k].text in OPEN_QUOTES and tokens[k].start >= quote.start - 1), None)
        if mark is None:
            return None
        return self._announcing_cue(tokens, mark)

    def _stance(self, doc: Document, tokens: Sequence[Token], trig: _Trigger, quote: TextSpan) -> bool:
        """A position-taking noun at the start of a quotation that a reporting verb
        introduces: أكدت "وقوفها وتضامنها مع ..."، أعلنت "رفضها ..."."""
        if self.cues is None or trig.entry.plover not in STATEMENT_TYPES:
            return False
        first = next((k for k, t in enumerate(tokens) if t.start >= quote.start), None)
        if first is None or trig.index - first > 2:
            return False
        for k in range(first - 2, max(-1, first - 9), -1):  # skip the mark and على/عن
            if k < 0:
                break
            if any(key in self.cues.by_form for key in _verb_keys(tokens[k].norm)[:2]):
                return True
            if tokens[k].norm in COMMA:
                break
        return False

    def _embedded(self, trig: _Trigger, triggers: list[_Trigger], tokens: Sequence[Token]) -> bool:
        """Inside what an earlier trigger of the clause asks for or warns of
        (دعت إلى رفع العقوبات، حذرت من اقتحام ...): not an event that happened."""
        for other in triggers:
            if other.index >= trig.index:
                break
            if trig.entry.plover in ORDERED_TYPES and not trig.verbal \
                    and any(k in DECISION_VERBS for k in _verb_keys(tokens[other.index].norm)):
                continue  # أمرت المحكمة باحتجاز ...: the order carries the act out
            if other.verbal and other.entry.plover in EMBEDDING_TYPES \
                    and not any(t.norm in COMMA for t in tokens[other.index + 1:trig.index]):
                return True
        return False

    @staticmethod
    def _perfective(trig: _Trigger) -> bool:
        """A past-tense reading: not an imperfective (ي/ت/ن/أ + stem) and not a masdar."""
        key = trig.key
        return not (key[:1] in IMPERFECTIVE_PREFIXES and len(key) > 3 and not trig.entry.lemma.startswith(("ت", "ا", "أ")))

    @staticmethod
    def _standalone(doc: Document, tokens: Sequence[Token], trig: _Trigger) -> bool:
        """A bare event noun that reports an event by itself (مقتل 5 أشخاص), rather than
        referring back to a known one (عقب الاجتماع)."""
        if not trig.entry.standalone:
            return False
        if "det" in doc.proclitics(tokens[trig.index].index):
            return False
        previous = tokens[trig.index - 1].norm if trig.index else ""
        return previous not in BACKGROUND_PREPS

    def _target(self, doc: Document, tokens: Sequence[Token], trig: _Trigger, after: int,
                index: MentionIndex, source: Optional[Participant]) -> Optional[Participant]:
        """The recipient: the direct object (VSO: after the subject) or the phrase
        after one of the entry's target prepositions, within the trigger's clause."""
        preps = {fold(p) for p in trig.entry.target_prep}
        if trig.entry.plover == "REQUEST":
            preps -= REQUESTED_CONTENT  # دعا إلى/طالب ب introduce what is asked, not of whom
        if trig.entry.plover == "CONSULT":
            preps |= {"مع", *PARTICIPATION}
        limit = self._clause_end(tokens, trig.index)
        j = after
        while j < limit and (tokens[j].text in OPEN_QUOTES or tokens[j].norm in COMMA or tokens[j].norm in ADVERBIALS
                             or tokens[j].text == "#"):
            j += 1
        if "obj" in preps:
            j = skip_adverbials(tokens, j, limit)  # اغتالت قبل ظهر أمس ناشطا، قتلت أول من أمس أربعة
            if j + 2 < limit and tokens[j].norm == "ما" and tokens[j + 1].norm in TOTAL_WORDS:
                j += 2  # خطفوا ما مجموعه 14 شخصا
            if j < limit and tokens[j].norm.startswith(REFLEXIVE) and trig.entry.plover in VIOLENT_TYPES:
                return None  # فجر نفسه: the bomber, not a target (one may follow: مستهدفا دورية)
            counted = counted_phrase_end(doc, tokens, j) if j < limit else j
            if counted > j:
                return self._participant_near(doc, tokens, j, min(counted, limit), limit, index, source)
            if j < limit and tokens[j].kind == "word" and tokens[j].norm not in FUNCTION_WORDS \
                    and not {"prep", "conj"} & set(doc.proclitics(tokens[j].index)) \
                    and not self._lookup_trigger_head(tokens[j]):  # قتلا وأصيب ...: a new clause
                end = noun_phrase_end(doc, tokens, j)
                if end > j:
                    return self._participant_near(doc, tokens, j, end, limit, index, source)
        for k in range(after, limit):
            token = tokens[k]
            bare = doc.without_conjunction(token)
            if bare in preps:
                start = k + 1
            elif bare.startswith(PARTICIPATION):
                start = k  # بحضور وفد من قيادة حركة حماس: the participant follows
            elif "prep" in doc.proclitics(token.index) and bare[:1] in preps and k > trig.index:
                start = k  # للأسرى: the preposition is a clitic
            else:
                continue
            end = noun_phrase_end(doc, tokens, start) if start < limit else start
            if bare.startswith(PARTICIPATION):
                end = start
            found = self._participant_near(doc, tokens, start, max(end, start), limit, index, source,
                                           reach=8 if bare.startswith(PARTICIPATION) else 4)
            if found is not None and (found.actor or found.resolved_text):
                return found  # after a preposition only an actor is a recipient (not بمفاقمة الوضع)
            if found is not None and trig.entry.plover == "ASSAULT" and bare in THING_PREPOSITIONS and start < limit \
                    and starts_target(tokens[start]) and not doc.span_index("places").overlapping(found.start, found.end):
                return found  # أطلقت صواريخ على البلدات المحيطة: an attack's target may be a thing
        return None

    def _armed_reading(self, trig: _Trigger, source: Optional[Participant]) -> _Trigger:
        """هاجم is a verbal attack (ACCUSE) from a minister and a physical one (ASSAULT)
        from gunmen, soldiers or settlers: an armed source picks the ASSAULT twin.  احتج
        is a diplomatic protest (ACCUSE) from a government and a street one (PROTEST) from
        a crowd (protesters, citizens, students, workers): such a source picks the PROTEST twin."""
        if source is None:
            return trig
        for plover, sectors in (("ASSAULT", ARMED_SECTORS), ("PROTEST", CROWD_SECTORS)):
            if trig.entry.plover == "ACCUSE" and source.sector in sectors:
                twin = next((e for e in self.lexicon.by_type(plover)
                             if e.lemma == trig.entry.lemma and e.pos == trig.entry.pos), None)
                if twin is not None:
                    return replace(trig, entry=twin)
        return trig

    def _violence_roles(self, doc: Document, tokens: Sequence[Token], trig: _Trigger, index: MentionIndex,
                        source: Optional[Participant], target: Optional[Participant]
                        ) -> tuple[Optional[Participant], Optional[Participant]]:
        """Roles of an attack or arrest from :mod:`hadath.events.violence`: the victim
        of تعرض لهجوم, a passive's agent (على يد، برصاص) and the doer named after an
        event noun (هجوم شنه متمردون)."""
        limit = self._clause_end(tokens, trig.index)
        if not trig.verbal:
            exposed = exposed_subject(doc, tokens, trig.index, index)
            if exposed is not None:
                target = exposed
                if self._same(source, target):
                    source = None
        if source is None:
            source = agent_phrase(doc, tokens, trig.index + 1, limit, index)
        if source is None and not trig.verbal:
            source = relative_doer(doc, tokens, trig.index, index)
        if target is None and trig.entry.plover == "ASSAULT":
            # هجوم استهدف دورية للشرطة؛ انفجرت سيارة مفخخة مما أدى إلى مقتل عشرة أشخاص
            target = aimed_at(doc, tokens, trig.index, index) or consequence_victims(doc, tokens, trig.index, index)
        if self._same(source, target):
            target = None
        return source, target

    def _protest_roles(self, doc: Document, tokens: Sequence[Token], trig: _Trigger, index: MentionIndex,
                       source: Optional[Participant], target: Optional[Participant]
                       ) -> tuple[Optional[Participant], Optional[Participant]]:
        """Roles of a protest from :mod:`hadath.events.protest`: the crowd of a protest
        noun, and what is protested from the motive phrase (احتجاجا على، ضد، للمطالبة
        برحيل ...), which wins over a place-like phrase after أمام."""
        if source is None and not trig.verbal:
            source = protesters_in(doc, tokens, trig.index, index)
        against = grievance(doc, tokens, trig.index, index, source)
        if against is not None and (target is None or not target.actor or self._same(target, source)):
            target = against
        if self._same(source, target):
            target = None
        return source, target

    @staticmethod
    def _national_doer(tokens: Sequence[Token], trig: _Trigger, index: MentionIndex) -> Optional[Participant]:
        """غارة إسرائيلية، ضربة جوية أميركية: an attack noun with a nationality adjective is a
        mention of that country's military, which did it."""
        token = tokens[trig.index]
        for mention in index.overlapping(token.start, token.end):
            if mention.actor and mention.sector == "MIL" and mention.country and mention.start <= token.start:
                return participant_from_mention(mention)
        return None

    @staticmethod
    def _reflexive(trig: _Trigger) -> bool:
        """فجر نفسه: a suicide bombing, whose counted subject is the bombers."""
        return any(word.startswith(REFLEXIVE) for word in trig.entry.phrase_object)

    def _genitive(self, doc: Document, tokens: Sequence[Token], trig: _Trigger, index: MentionIndex
                  ) -> tuple[Optional[Participant], int]:
        """The phrase after an event noun that may be its genitive (اقتحام المستوطنين), and
        the token after it; none after an adjective of the noun (هجوم مسلح، تفجير انتحاري)."""
        after = trig.index + 1
        national = EventCoder._national_doer(tokens, trig, index)
        if national is not None:  # غارة إسرائيلية: the nationality adjective names the doer
            while after < len(tokens) and tokens[after].start < national.end:
                after += 1
            return national, after
        if after < len(tokens) and tokens[after].norm in EVENT_ADJECTIVES:
            return relative_doer(doc, tokens, trig.index, index), after  # هجوم انتحاري تبنته طالبان
        if after < len(tokens) and self._lookup_trigger_head(tokens[after]):
            return None, after  # الهجوم استهدف مقر الشرطة: a verb follows, not a genitive
        return subject_after(doc, tokens, after, index, genitive=True)

    @staticmethod
    def _generic(participant: Optional[Participant]) -> bool:
        """A generic actor (people, soldiers, gunmen: a sector and no country)."""
        return participant is not None and participant.actor is not None and participant.country is None \
            and participant.sector is not None

    def _passive_reading(self, trig: _Trigger, source: Optional[Participant], target: Optional[Participant]
                         ) -> tuple[Optional[Participant], Optional[Participant]]:
        """إن جنديا عراقيا قتل، ثلاثة مدنيين قتلوا في القصف، قتل جنديان: a transitive verb of
        violence with its noun before it (or a generic noun after it) and no object reads as
        a passive (قُتل), so the noun is the victim.  (With an object, مسلحين قتلوا شرطيا,
        it is the doer.)"""
        if trig.entry.plover in VIOLENT_TYPES and "obj" in trig.entry.target_prep and target is None \
                and self._perfective(trig) and not self._reflexive(trig):
            return None, source
        return source, target

    @staticmethod
    def _plural_participle(doc: Document, token: Token) -> bool:
        """مطالبين، منددين، مرددين: a verbal trigger in the plural participle form shares the
        subject of the main verb (تجمع المتظاهرون مطالبين الحكومة ...) and has none of its own."""
        bare = doc.without_conjunction(token)
        return len(bare) >= 6 and bare.startswith("م") and bare.endswith("ين")

    @staticmethod
    def _plural_agreement(doc: Document, token: Token) -> bool:
        """A perfective verb with the plural subject suffix -وا (هاجموا، اغتالوا)."""
        bare = doc.without_conjunction(token)
        return len(bare) >= 4 and bare.endswith("وا")

    @staticmethod
    def _agent_genitive(doc: Document, tokens: Sequence[Token], k: int) -> bool:
        """Whether the genitive ending before token ``k`` is the event noun's agent:
        a patient follows it, as a bare object or with ل (اقتحام قوات الاحتلال مخيم
        جنين، اقتحامات المستوطنين للأقصى)."""
        while k < len(tokens) and tokens[k].norm in ADVERBIALS:
            k += 1
        if k >= len(tokens) or tokens[k].kind != "word" or tokens[k].norm in FUNCTION_WORDS:
            return False
        clitics = doc.proclitics(tokens[k].index)
        if "conj" in clitics:
            return False
        if "prep" in clitics:
            return tokens[k].norm[:1] == "ل"
        return not is_participle(tokens[k].norm)

    def _lookup_trigger_head(self, token: Token) -> bool:
        """True when the token is itself a verbal trigger (no object there)."""
        return any(not e.nominal for k in _verb_keys(token.norm) for e in self.lexicon.by_form.get(k, ()))

    @staticmethod
    def _participant_near(doc: Document, tokens: Sequence[Token], start: int, end: int, limit: int,
                          index: MentionIndex, source: Optional[Participant], reach: int = 4) -> Optional[Participant]:
        """The phrase ``[start, end)``, or when it names no actor, the first actor
        mentioned within ``reach`` tokens after it (مشاركة قيادات من السلطة الفلسطينية)."""
        phrase = participant_in(doc, tokens, start, end, index) if end > start else None
        if phrase is not None and (phrase.actor or phrase.resolved_text):
            return None if EventCoder._same(phrase, source) else phrase
        # look further only through a partitive من or more nouns (قيادات من السلطة)
        window_end = max(end, start)
        while window_end < min(limit, max(end, start) + reach):
            token = tokens[window_end]
            if token.kind != "word" or (token.norm in FUNCTION_WORDS and token.norm != "من") \
                    or "prep" in doc.proclitics(token.index):
                break
            window_end += 1
        if window_end > start:
            for mention in index.overlapping(tokens[start].start, tokens[window_end - 1].end):
                if mention.actor and mention.start >= tokens[start].start:
                    candidate = participant_from_mention(mention)
                    if not EventCoder._same(candidate, source):
                        return candidate
        return phrase

    @staticmethod
    def _same(a: Optional[Participant], b: Optional[Participant]) -> bool:
        return a is not None and b is not None and (
            (a.actor is not None and a.actor == b.actor) or (a.start, a.end) == (b.start, b.end))

    @staticmethod
    def _clause_end(tokens: Sequence[Token], i: int) -> int:
        """Tokens up to the next «، و<verb>»-style break or the sentence end."""
        for k in range(i + 1, len(tokens)):
            if tokens[k].norm in COMMA and k + 1 < len(tokens) and tokens[k + 1].norm[:1] in CONJUNCTIONS:
                return k
        return len(tokens)

    @staticmethod
    def _modality(tokens: Sequence[Token], i: int, verbal: bool = True) -> tuple[bool, str]:
        """Negation (لم، لن، لا، نفى) and future/conditional marking from the verb's
        prefix (سيزور) and the three words before it."""
        negated = False
        modality = "asserted"
        norm = tokens[i].norm
        bare_verb = norm[1:] if norm[:1] in CONJUNCTIONS and len(norm) > 3 else norm
        if verbal and bare_verb[:1] == FUTURE and bare_verb[1:2] in IMPERFECTIVE_PREFIXES:
            modality = "future"
        for j in range(max(0, i - 3), i):
            prev = tokens[j].norm
            bare = prev[1:] if prev[:1] in CONJUNCTIONS and len(prev) > 2 else prev
            if bare in EVENT_NEGATIONS:
                negated = True
                if bare == "لن":
                    modality = "future"
            if bare in DENIALS:
                negated = True
            if bare in FUTURE_WORDS:
                modality = "future"
            if bare in CONDITIONALS:
                modality = "conditional"
        return negated, modality

    def _event(self, doc: Document, sentence: Sentence, tokens: Sequence[Token], trig: _Trigger,
               source: Optional[Participant], target: Optional[Participant], negated: bool, modality: str,
               in_quote: bool) -> Event:
        token = tokens[trig.index]
        entry = trig.entry
        location = self._location(doc, tokens, trig, target)
        nearest = nearest_date(doc, sentence, token)
        when, precision = event_date(doc, nearest)
        if modality == "asserted" and not negated and is_historical(doc, sentence, token, nearest):
            modality = "historical"
        confidence = 0.5 + (0.2 if source and source.actor else 0.0) + (0.1 if target else 0.0) \
            + (0.1 if trig.verbal else 0.0) - (0.3 if in_quote else 0.0)
        return Event(entry.plover, entry.cameo, TextSpan(token.text, token.start, token.end),
                     TextSpan(doc.text[sentence.start:sentence.end], sentence.start, sentence.end),
                     source, target, location, when, precision, entry.mode or None, negated,
                     modality, round(max(0.05, min(confidence, 0.95)), 2), entry.quad, entry.intensity, in_quote)  # type: ignore[arg-type]

    def _location(self, doc: Document, tokens: Sequence[Token], trig: _Trigger,
                  target: Optional[Participant] = None) -> Optional[Place]:
        """Where it happened: a place the target names (غارات على مدينة خان يونس), or a
        place introduced by في/ب (على for attacks) in the trigger's clause.  Statements
        (أدان، دعا) take a place only right after the trigger: further on it is usually
        the place of what they talk about."""
        limit = self._clause_end(tokens, trig.index)
        statement = trig.entry.plover in STATEMENT_TYPES
        reach = 4 if statement else 14
        places = doc.span_index("places")
        if target is not None:
            for place in places.overlapping(target.start, target.end):
                if target.start <= place.start < target.end:
                    return place
        introducers = {"في"} | ({"علي"} if trig.entry.plover in ("ASSAULT", "COERCE") else set())
        for token in tokens[trig.index + 1:min(limit, trig.index + 1 + reach)]:
            roles = doc.proclitics(token.index)
            if token.norm in introducers or ("prep" in roles and token.norm[:1] == "ب"):
                following = [p for p in places.overlapping(token.start, token.end + 15)
                             if p.start >= token.start and p.start - token.end <= 14]
                if following:
                    return min(following, key=lambda p: p.start)
        return None

    def _dedupe(self, doc: Document, events: list[Event]) -> list[Event]:
        """Two triggers of one type close together in one sentence are one event when
        their participants agree or the second has none of its own (وقوفها وتضامنها مع
        ...، تظاهر آلاف ... احتجاجا على ...); the merged event keeps the roles either had."""
        out: list[Event] = []
        for event in events:
            recent = range(len(out) - 1, max(-1, len(out) - 6), -1)  # events arrive in text order
            k = next((k for k in recent for e in (out[k],) if e.type == event.type and e.sentence == event.sentence
                      and (abs(e.trigger.start - event.trigger.start) < 60
                           and not any(c in doc.text[e.trigger.end:event.trigger.start] for c in ",،;؛.")
                           or self._motive_of(doc, e, event))
                      and (event.source is None or e.source is None or e.source.actor == event.source.actor)
                      and (event.target is None or e.target is None
                           or (e.target.actor or e.target.text) == (event.target.actor or event.target.text))), None)
            if k is None:
                out.append(event)
                continue
            first = out[k]
            out[k] = replace(first, source=first.source or event.source, target=first.target or event.target,
                             location=first.location or event.location)
        return self._share_doers(doc, out)

    @staticmethod
    def _motive_of(doc: Document, first: Event, later: Event) -> bool:
        """تظاهر آلاف ...، واحتجاجا على ...: a protest motive phrase later in the sentence
        of a protest names that protest's grievance, not a second protest."""
        return first.type == later.type == "PROTEST" and is_motive(fold(later.trigger.text)) \
            and not any(c in doc.text[first.trigger.end:later.trigger.start] for c in ";؛.")

    @staticmethod
    def _share_doers(doc: Document, events: list[Event]) -> list[Event]:
        """وقتل 4 جنود في هجوم شنه مسلحون: a killing with no named doer takes the doer of
        the attack noun that explains it (في/ب/إثر + noun) shortly after, in the same sentence."""
        for k, event in enumerate(events):
            if event.source is not None or event.type not in VIOLENT_TYPES:
                continue
            for later in events[k + 1:k + 4]:
                gap = doc.text[event.trigger.end:later.trigger.start]
                if later.sentence != event.sentence or later.type != event.type or later.source is None \
                        or len(gap) > 80 or any(c in gap for c in ".؛;"):
                    continue
                words = fold(gap).split()
                lead = fold(later.trigger.text)
                if (words and words[-1] in EXPLAINING) or lead.startswith(("ب", "وب")):
                    if not EventCoder._same(later.source, event.target):
                        events[k] = replace(event, source=later.source)
                    break
        return events
