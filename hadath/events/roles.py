"""Who did it, to whom: the source and target of one event trigger, from its clause.

:class:`RoleFinder` holds what the rules need beyond the clause helpers of
:mod:`hadath.events.clause`: the trigger lexicon (to tell an event noun or a verb from a
participant) and the reporting-verb lexicon (speakers of reported clauses).  The
event coder asks it for a subject after a verb or before it (after أن), the subject
of a support verb (شنت القوات غارة), a speaker (إنها "تدين ..."), a recipient (the
object, or the phrase after the entry's preposition), and the attack and protest
roles of :mod:`hadath.events.violence` and :mod:`hadath.events.protest`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Optional, Sequence

from hadath.actors.participants import (ADVERBIALS, MentionIndex, counted_phrase_end, has_actor, is_participle,
                                        noun_phrase_end, participant_from_mention, participant_in, partitive_doers,
                                        same_participant, skip_adverbials, subject_after, subject_before, token_after)
from hadath.doc import Document, Participant, TextSpan, Token
from hadath.events.clause import (COMMA, LIGHT_VERBS, OPEN_QUOTES, THAT_PRONOUNS, THAT_WORDS, VIOLENT_TYPES, REFLEXIVE,
                                  Trigger, clause_end, impersonal, noun_keys, perfective, reflexive, reported_clause,
                                  verb_keys)
from hadath.events.lexicon import TriggerLexicon
from hadath.events.protest import grievance, protesters_in
from hadath.events.violence import (agent_phrase, aimed_at, claimed_by, consequence_victims, exposed_subject,
                                    relative_doer, starts_target)
from hadath.quotes.lexicon import CueLexicon
from hadath.text.function_words import FUNCTION_WORDS
from hadath.text.normalize import fold

STATEMENT_TYPES = {"ACCUSE", "REQUEST", "SUPPORT", "REJECT", "THREATEN", "AGREE", "CONCEDE"}
PARTICIPATION = tuple(fold(w) for w in ("بحضور", "بمشاركة", "حضور"))
REQUESTED_CONTENT = frozenset(fold(w) for w in ("إلى", "ل", "ب", "على"))
ANNOUNCING_CLASSES = {"neutral", "assertive"}
UNACCUSATIVE = frozenset(fold(w) for w in "انفجر انفجار سقط وقع اندلع".split())  # their subject is no doer
ARMED_SECTORS = frozenset({"MIL", "COP", "REB", "UAF", "SET", "CRM", "SPY"})
CROWD_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "REL", "REF"})  # who protests in the street
THING_PREPOSITIONS = frozenset(fold(w) for w in "على ضد باتجاه نحو".split())  # أطلق صواريخ على البلدات
TOTAL_WORDS = frozenset(fold(w) for w in "مجموعه مجموعها يقارب يزيد".split())
# Adjectives of an event noun that also read as doer nouns (هجوم مسلح: an armed attack).
EVENT_ADJECTIVES = frozenset(fold(w) for w in """مسلح مسلحا مسلحة انتحاري انتحاريا انتحارية إرهابي ارهابي إرهابيا
ارهابيا إرهابية ارهابية مزدوج مزدوجة منسق منسقة جوي جوية جويا صاروخي صاروخية مدفعي مدفعية عسكري عسكرية
ليلي ليلية دام دامية""".split())

# Words that count or qualify an event noun between its support verb and it (شنت عدة
# غارات، نفذت بالفعل ضربة، شن مزيد من الهجمات): no subject of the verb.
EVENT_QUANTIFIERS = frozenset(fold(w) for w in "عدة عدد مزيد المزيد سلسلة موجة جملة من بالفعل فعلا".split())

Roles = tuple[Optional[Participant], Optional[Participant]]


@dataclass
class RoleFinder:
    lexicon: TriggerLexicon
    cues: Optional[CueLexicon] = None   # reporting verbs: their subjects are speakers

    # -- subjects ---------------------------------------------------------
    def support_subject(self, doc: Document, tokens: Sequence[Token], trig: Trigger, support: int,
                        index: MentionIndex) -> tuple[Optional[Participant], bool]:
        """The subject of the support verb at ``support`` (an agent phrase for an
        impersonal one), and whether the caller may still look before the verb or to
        the discourse for it: not when the verb is impersonal or its phrase ran past the
        event noun."""
        token = tokens[trig.index]
        if impersonal(tokens, support, trig.entry):
            # تم اعتقال ثلاثة على يد الشرطة: only an agent phrase names the doer
            return agent_phrase(doc, tokens, trig.index + 1, clause_end(tokens, trig.index), index), False
        between = support + 1
        while between < trig.index and (tokens[between].norm in EVENT_QUANTIFIERS or tokens[between].norm in ADVERBIALS):
            between += 1
        if between >= trig.index:
            return None, True  # شنت عدة غارات، منع شن مزيد من الهجمات: no subject after the verb
        # قامت امرأة بلجيكية بتفجير نفسها: the subject of the light verb قام is the doer,
        # named or not; other support verbs' first phrase may be their object
        light = any(k in LIGHT_VERBS for k in verb_keys(tokens[support].norm))
        source, _ = subject_after(doc, tokens, support + 1, index, require_actor=not light)
        if source is not None and source.start < token.start < source.end:
            # وجهت النيابة اتهامات: the subject's phrase ran into the event noun
            source = participant_in(doc, tokens, support + 1, trig.index, index)
        if source is not None and source.start >= token.start:
            # أعلنت مصادر طبية مقتل ثلاثة جنود: an unnamed subject ran past the event noun;
            # شنت غارات داخل الصومال: the phrase after the verb is the noun's own, and the
            # verb's subject comes before it or from the discourse
            return None, skip_adverbials(tokens, support + 1, trig.index) >= trig.index
        return source, source is None

    def reported_subject(self, doc: Document, tokens: Sequence[Token], trig: Trigger,
                         index: MentionIndex) -> Optional[Participant]:
        """The subject of the verb at ``i`` in a reported clause when it names no known
        actor: the noun phrase right after أن/إن (إن مهاجما انتحاريا ... فجر، أن دبابة
        إسرائيلية أطلقت), or the speaker when أن carries the pronoun (أكد الحلف أنه قتل) or
        the phrase is the speaker's own (قال الجيش إن قواته قتلت)."""
        i = trig.index
        opening = reported_clause(tokens, i)
        if opening is None:
            return None
        j, start = opening
        if fold(trig.entry.lemma) in UNACCUSATIVE:
            return None  # إن سيارة مفخخة انفجرت: what explodes is no doer
        if tokens[j].norm in THAT_PRONOUNS:
            return self.speaker(doc, tokens, j, index)
        if start >= i or i - start > 8 or tokens[start].kind != "word":
            return None
        partitive = partitive_doers(doc, tokens, start, index, stop=i)
        if partitive is not None and partitive[1] == i:
            return partitive[0]  # ان العشرات من مستوطني براخة هاجموا
        if tokens[start].norm in FUNCTION_WORDS:
            return None
        end = min(i, noun_phrase_end(doc, tokens, start))
        first = start + 1 if is_participle(tokens[start].norm) else start  # أن مهاجما انتحاريا: a noun
        if end <= start or any(self.is_verb_trigger(t) for t in tokens[first:end]):
            return None
        if "pron" in doc.word_roles(tokens[start].index):
            return self.speaker(doc, tokens, j, index)  # قواته، طائراتها: the speaker's forces
        return participant_in(doc, tokens, start, end, index)

    def fronted_subject(self, doc: Document, tokens: Sequence[Token], trig: Trigger,
                        index: MentionIndex) -> Optional[Participant]:
        """The subject of a verb that comes right after أن/إن + its noun phrase (بأن
        الميليشيات رفضت) or right after أنه/إنها (إنها "تدين ..."; the speaker)."""
        i = trig.index
        k = i - 1
        while k >= 0 and tokens[k].text in OPEN_QUOTES:
            k -= 1
        if k >= 0 and k < i - 1 and tokens[k].norm in THAT_PRONOUNS:
            return self.speaker(doc, tokens, k, index)  # إنها "تدين ...": the speaker's own words
        opening = reported_clause(tokens, i)
        if opening is None:
            return None
        j, start = opening
        if start == i:
            return self.speaker(doc, tokens, j, index) if tokens[j].norm in THAT_PRONOUNS else None
        partitive = partitive_doers(doc, tokens, start, index, stop=i)
        if partitive is not None and partitive[1] == i:
            return partitive[0]  # إن مجموعة من المسلحين نفذت ...
        if tokens[j].norm in THAT_PRONOUNS or noun_phrase_end(doc, tokens, start) < i \
                or any(t.kind != "word" for t in tokens[start:i]) \
                or any(e.nominal for key in noun_keys(tokens[start].norm) for e in self.lexicon.by_form.get(key, ())):
            return None  # أن الهجوم استهدف ...: an event noun is no doer
        return self.reported_subject(doc, tokens, trig, index)

    def speaker(self, doc: Document, tokens: Sequence[Token], j: int, index: MentionIndex) -> Optional[Participant]:
        """Who says the reported clause opened at ``j``: the subject just before أن, or that
        of the last reporting verb before it (قال الجيش التركي في بيان ...، أمس، إن طائراته)."""
        before = subject_before(doc, tokens, j, index)
        if before is not None:
            return before
        said = [subject for position, subject in self.cue_subjects(doc, tokens, index) if position < j]
        return said[-1] if said else None

    def cue_subjects(self, doc: Document, tokens: Sequence[Token],
                     index: MentionIndex) -> list[tuple[int, Participant]]:
        """Explicit subjects of reporting verbs outside quotations (وأكدت الفصائل ...)."""
        if self.cues is None:
            return []
        out = []
        for i, token in enumerate(tokens):
            if token.kind != "word" or doc.span_index("quoted").covers(token.start):
                continue
            if any(k in self.cues.by_form for k in verb_keys(token.norm)[:2]):
                subject, _ = subject_after(doc, tokens, i + 1, index)
                if subject is not None:
                    out.append((i, subject))
        return out

    def announcing_cue(self, tokens: Sequence[Token], i: int) -> Optional[int]:
        """A reporting verb that takes the event noun as its object (أعلن الإنتربول
        القبض على ...، أكدت التزامها ...), before it in the clause with no أن between."""
        if self.cues is None:
            return None
        for j in range(i - 1, max(-1, i - 7), -1):
            norm = tokens[j].norm
            if norm in COMMA or norm in THAT_WORDS or tokens[j].text in OPEN_QUOTES or norm in FUNCTION_WORDS:
                return None  # the noun must be the verb's object, not inside a prepositional phrase
            entries = [e for k in verb_keys(norm)[:2] for e in self.cues.by_form.get(k, ())]
            if entries:
                # أعلن/أكد take the event as object; أدان/نفى/حذر take someone else's deed
                return j if any(e.cls in ANNOUNCING_CLASSES for e in entries) else None
        return None

    def announced_quote(self, tokens: Sequence[Token], trig: Trigger, quote: TextSpan) -> Optional[int]:
        """The announcing verb of a quotation that opens with the event noun (أعلنت القيادة
        "إلقاء القبض على ..."): the quotation is the verb's object, the noun its event."""
        mark = next((k for k in range(trig.index - 1, max(-1, trig.index - 4), -1)
                     if tokens[k].text in OPEN_QUOTES and tokens[k].start >= quote.start - 1), None)
        if mark is None:
            return None
        return self.announcing_cue(tokens, mark)

    def stance(self, tokens: Sequence[Token], trig: Trigger, quote: TextSpan) -> bool:
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
            if any(key in self.cues.by_form for key in verb_keys(tokens[k].norm)[:2]):
                return True
            if tokens[k].norm in COMMA:
                break
        return False

    def genitive(self, doc: Document, tokens: Sequence[Token], trig: Trigger, index: MentionIndex
                 ) -> tuple[Optional[Participant], int]:
        """The phrase after an event noun that may be its genitive (اقتحام المستوطنين), and
        the token after it; none after an adjective of the noun (هجوم مسلح، تفجير انتحاري)."""
        after = trig.index + 1
        national = national_doer(tokens, trig, index)
        if national is not None:  # غارة إسرائيلية: the nationality adjective names the doer
            return national, token_after(tokens, after, national.end)
        if after < len(tokens) and tokens[after].norm in EVENT_ADJECTIVES:
            return relative_doer(doc, tokens, trig.index, index), after  # هجوم انتحاري تبنته طالبان
        if after < len(tokens) and self.is_verb_trigger(tokens[after]):
            return None, after  # الهجوم استهدف مقر الشرطة: a verb follows, not a genitive
        return subject_after(doc, tokens, after, index, genitive=True)

    # -- targets ----------------------------------------------------------
    def target(self, doc: Document, tokens: Sequence[Token], trig: Trigger, after: int,
               index: MentionIndex, source: Optional[Participant]) -> Optional[Participant]:
        """The recipient: the direct object (VSO: after the subject) or the phrase
        after one of the entry's target prepositions, within the trigger's clause."""
        preps = {fold(p) for p in trig.entry.target_prep}
        if trig.entry.plover == "REQUEST":
            preps -= REQUESTED_CONTENT  # دعا إلى/طالب ب introduce what is asked, not of whom
        if trig.entry.plover == "CONSULT":
            preps |= {"مع", *PARTICIPATION}
        limit = clause_end(tokens, trig.index)
        j = after
        while j < limit and (tokens[j].text in OPEN_QUOTES or tokens[j].norm in COMMA or tokens[j].norm in ADVERBIALS
                             or tokens[j].text == "#"):
            j += 1
        if "obj" in preps:
            j = skip_adverbials(tokens, j, limit)  # اغتالت قبل ظهر أمس ناشطا، قتلت أول من أمس أربعة
            if j + 2 < limit and tokens[j].norm == "كل" and tokens[j + 1].norm == "من" \
                    and has_actor(doc, tokens, j + 2, noun_phrase_end(doc, tokens, j + 2), index):
                j += 2  # ناشدت المحكمة كل من إيران وأمريكا (not شكر كل من ساهم: whoever)
            if j + 2 < limit and tokens[j].norm == "ما" and tokens[j + 1].norm in TOTAL_WORDS:
                j += 2  # خطفوا ما مجموعه 14 شخصا
            if j < limit and tokens[j].norm.startswith(REFLEXIVE) and trig.entry.plover in VIOLENT_TYPES:
                return None  # فجر نفسه: the bomber, not a target (one may follow: مستهدفا دورية)
            counted = counted_phrase_end(doc, tokens, j) if j < limit else j
            if counted > j:
                return participant_near(doc, tokens, j, min(counted, limit), limit, index, source)
            if j < limit and tokens[j].kind == "word" and tokens[j].norm not in FUNCTION_WORDS \
                    and not {"prep", "conj"} & set(doc.proclitics(tokens[j].index)) \
                    and not self.is_verb_trigger(tokens[j]):  # قتلا وأصيب ...: a new clause
                end = noun_phrase_end(doc, tokens, j)
                if end > j:
                    return participant_near(doc, tokens, j, end, limit, index, source)
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
            found = participant_near(doc, tokens, start, max(end, start), limit, index, source,
                                     reach=8 if bare.startswith(PARTICIPATION) else 4)
            if found is not None and (found.actor or found.resolved_text):
                return found  # after a preposition only an actor is a recipient (not بمفاقمة الوضع)
            if found is not None and trig.entry.plover == "ASSAULT" and bare in THING_PREPOSITIONS and start < limit \
                    and starts_target(tokens[start]) and not doc.span_index("places").overlapping(found.start, found.end):
                return found  # أطلقت صواريخ على البلدات المحيطة: an attack's target may be a thing
        return None

    # -- readings that change roles or type -------------------------------
    def passive_reading(self, trig: Trigger, source: Optional[Participant], target: Optional[Participant]) -> Roles:
        """إن جنديا عراقيا قتل، ثلاثة مدنيين قتلوا في القصف، قتل جنديان: a transitive verb of
        violence with its noun before it (or a generic noun after it) and no object reads as
        a passive (قُتل), so the noun is the victim.  (With an object, مسلحين قتلوا شرطيا,
        it is the doer.)"""
        if trig.entry.plover in VIOLENT_TYPES and "obj" in trig.entry.target_prep and target is None \
                and perfective(trig) and not reflexive(trig):
            return None, source
        return source, target

    def armed_reading(self, trig: Trigger, source: Optional[Participant]) -> Trigger:
        """هاجم is a verbal attack (ACCUSE) from a minister and a physical one (ASSAULT)
        from gunmen, soldiers or settlers: an armed source picks the ASSAULT twin.  احتج
        is a diplomatic protest (ACCUSE) from a government and a street one (PROTEST) from
        a crowd (protesters, citizens, students, workers): such a source picks the PROTEST twin.
        أدان from a court is a conviction: the SANCTION entry أدين (CAMEO 116)."""
        if source is None:
            return trig
        if fold(trig.entry.lemma) == fold("أدان") and trig.entry.plover == "ACCUSE" and judicial(source) \
                and (trig.key[:1] not in ("ي", "ت", "ن") or not trig.verbal):  # not تدين: a present tense condemns
            convicted = next((e for e in self.lexicon.by_type("SANCTION") if e.lemma == "أدين"), None)
            if convicted is not None:
                return replace(trig, entry=convicted)
        for plover, sectors in (("ASSAULT", ARMED_SECTORS), ("PROTEST", CROWD_SECTORS)):
            if trig.entry.plover == "ACCUSE" and source.sector in sectors:
                twin = next((e for e in self.lexicon.by_type(plover)
                             if e.lemma == trig.entry.lemma and e.pos == trig.entry.pos), None)
                if twin is not None:
                    return replace(trig, entry=twin)
        return trig

    def violence_roles(self, doc: Document, tokens: Sequence[Token], trig: Trigger, index: MentionIndex,
                       source: Optional[Participant], target: Optional[Participant]) -> Roles:
        """Roles of an attack or arrest from :mod:`hadath.events.violence`: the victim
        of تعرض لهجوم, a passive's agent (على يد، برصاص) and the doer named after an
        event noun (هجوم شنه متمردون)."""
        limit = clause_end(tokens, trig.index)
        if not trig.verbal:
            exposed = exposed_subject(doc, tokens, trig.index, index)
            if exposed is not None:
                target = exposed
                if same_participant(source, target):
                    source = None
        if source is None:
            source = agent_phrase(doc, tokens, trig.index + 1, limit, index)
        if source is None and not trig.verbal:
            source = relative_doer(doc, tokens, trig.index, index)
        if source is None and trig.entry.plover == "ASSAULT":
            source = claimed_by(doc, tokens, trig.index, index) or self._doer_noun(tokens, trig, index)
        if target is None and trig.entry.plover == "ASSAULT":
            # هجوم استهدف دورية للشرطة؛ انفجرت سيارة مفخخة مما أدى إلى مقتل عشرة أشخاص
            target = aimed_at(doc, tokens, trig.index, index) or consequence_victims(doc, tokens, trig.index, index)
        if same_participant(source, target):
            target = None
        return source, target

    @staticmethod
    def _doer_noun(tokens: Sequence[Token], trig: Trigger, index: MentionIndex) -> Optional[Participant]:
        """يقود إحداهما انتحاري: an attack noun that names its doer (a generic actor of the
        knowledge base, the suicide bombers) is its own source."""
        token = tokens[trig.index]
        mention = next((m for m in index.overlapping(token.start, token.end)
                        if m.actor and m.entity_type is None and m.start <= token.start), None)
        return participant_from_mention(mention) if mention is not None and not trig.verbal else None

    def protest_roles(self, doc: Document, tokens: Sequence[Token], trig: Trigger, index: MentionIndex,
                      source: Optional[Participant], target: Optional[Participant]) -> Roles:
        """Roles of a protest from :mod:`hadath.events.protest`: the crowd of a protest
        noun, and what is protested from the motive phrase (احتجاجا على، ضد، للمطالبة
        برحيل ...), which wins over a place-like phrase after أمام."""
        if source is None and not trig.verbal:
            source = protesters_in(doc, tokens, trig.index, index)
        against = grievance(doc, tokens, trig.index, index, source)
        if against is not None and (target is None or not target.actor or same_participant(target, source)):
            target = against
        if same_participant(source, target):
            target = None
        return source, target

    def is_verb_trigger(self, token: Token) -> bool:
        """True when the token is itself a verbal trigger (no object there)."""
        return any(not e.nominal for k in verb_keys(token.norm) for e in self.lexicon.by_form.get(k, ()))


COURT_WORDS = frozenset(fold(w) for w in "محكمة المحكمة محاكم المحاكم القضاء قاض قاضي القاضي".split())


def judicial(source: Participant) -> bool:
    """A court or judge: the judiciary sector, or a phrase headed by محكمة/القاضي."""
    words = fold(source.resolved_text or source.text).split()
    return source.sector == "JUD" or (bool(words) and words[0] in COURT_WORDS)


def national_doer(tokens: Sequence[Token], trig: Trigger, index: MentionIndex) -> Optional[Participant]:
    """غارة إسرائيلية، ضربة جوية أميركية: an attack noun with a nationality adjective is a
    mention of that country's military, which did it."""
    token = tokens[trig.index]
    for mention in index.overlapping(token.start, token.end):
        if mention.actor and mention.sector == "MIL" and mention.country and mention.start <= token.start:
            return participant_from_mention(mention)
    return None


def participant_near(doc: Document, tokens: Sequence[Token], start: int, end: int, limit: int,
                     index: MentionIndex, source: Optional[Participant], reach: int = 4) -> Optional[Participant]:
    """The phrase ``[start, end)``, or when it names no actor, the first actor
    mentioned within ``reach`` tokens after it (مشاركة قيادات من السلطة الفلسطينية)."""
    phrase = participant_in(doc, tokens, start, end, index) if end > start else None
    if phrase is not None and (phrase.actor or phrase.resolved_text):
        return None if same_participant(phrase, source) else phrase
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
                if not same_participant(candidate, source):
                    return candidate
    return phrase
