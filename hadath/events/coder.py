"""The event coder: a trigger lexicon over clitic-stripped words, with roles from
Arabic clause structure.

* Verbal triggers (أدانت، دعت، اعتقلت) are events; their source is the overt
  subject after the verb or, when it is dropped, the running discourse subject.
* Nominal triggers (اجتماعا، غارة) are events only when a support verb governs
  them (عقدت اجتماعا، شنت غارة) or an actor is attached (اقتحامات المستوطنين), and
  never inside quotations or as the requested content of another trigger.
* Negation (لم، لن، لا، عدم، نفى) and future/conditional markers are recorded on
  the event; such events are output but do not count as having happened.

This module walks the sentences and keeps the discourse (who is speaking, whose
subject continues); the clause helpers are in :mod:`hadath.events.clause` and the
subjects and recipients of one trigger in :mod:`hadath.events.roles`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional, Sequence

from hadath.actors.participants import (MentionIndex, SubjectTracker, is_participle, participant_in, same_participant,
                                        subject_after, subject_before, subject_of_kana)
from hadath.doc import Document, Event, Participant, Place, Sentence, TextSpan, Token
from hadath.events.clause import (BACKGROUND_PREPS, COMMA, DECISION_VERBS, ORDERED_TYPES, VIOLENT_TYPES, Trigger,
                                  agent_genitive, clause_end, generic, impersonal, modality_of, noun_keys, perfective,
                                  plural_agreement, plural_participle, reflexive, reported,
                                  standalone, support_before, verb_keys)
from hadath.events.lexicon import TriggerEntry, TriggerLexicon
from hadath.events.protest import crowd_subject, is_motive, motive_crowd
from hadath.events.roles import STATEMENT_TYPES, UNACCUSATIVE, RoleFinder
from hadath.events.violence import agent_phrase, exposed_subject, relative_doer
from hadath.events.when import event_date, is_historical, nearest_date
from hadath.quotes.lexicon import CueLexicon
from hadath.text.clitics import CONJUNCTIONS, IMPERFECTIVE_PREFIXES, lookup_keys
from hadath.text.function_words import FUNCTION_WORDS, NUMBER_WORDS
from hadath.text.normalize import fold

# أن/إن without a pronoun open a clause whose first word is a noun: a participle there is
# the subject (بأن مهاجما انتحاريا فجر نفسه), not an adverbial (مهاجما = attacking).
THAT_NOUN_OPENERS = frozenset(fold(w) for w in "أن إن بأن لأن".split())
# Entries whose verb is a passive (أصيب برصاص X): the doer comes only from the agent phrase.
PASSIVE_ENTRIES = frozenset(fold(w) for w in ("أصيب برصاص",))
# Protest verbs that take no object: the phrase after them is the crowd (أضرب العرب، نزل
# آلاف الأشخاص), unless it is a time or an approximation (تجمع مساء، تجمع حوالي 300).
CROWD_VERBS = frozenset(fold(w) for w in "تظاهر أضرب احتشد تجمع خرج نزل اعتصم احتج سار".split())
NOT_A_CROWD = frozenset(fold(w) for w in "مساء صباح عصرا مساءا ظهرا ليلا حوالي حوالى نحو قرابة زهاء أمس امس اليوم".split())
STATIVE_TYPES = {"SUPPORT", "AGREE"}   # their present tense after الذي is a lasting state (التي تدعمها إيران)
RELATIVES = frozenset(fold(w) for w in "الذي التي الذين اللذين اللتين اللذان اللتان اللواتي اللاتي".split())
EMBEDDING_TYPES = {"REQUEST", "THREATEN"}   # what follows them in the clause is asked or warned of
CRITICISM = {"ACCUSE", "REJECT"}            # a following call to back down is addressed to their target
CALL_PREPOSITIONS = frozenset(fold(w) for w in ("إلى", "الى"))
EXPLAINING = frozenset(fold(w) for w in "في خلال إثر اثر جراء نتيجة عقب".split())  # قتل ... في هجوم
# Nouns of an outcome (deaths, injuries): who announces it caused it only when it is
# an army reporting its own operation (أعلنت الشرطة مقتل سبعة أشخاص: no source).
OUTCOME_NOUNS = frozenset(fold(w) for w in "مقتل إصابة جرح استشهاد وفاة سقوط".split())
# Words between a preposition and the place it introduces: quantifiers (في بعض مناطق محافظة
# البصرة) and compass words (على شمال غربي اليمن).
PLACE_QUANTIFIERS = frozenset(fold(w) for w in "بعض عدة عدد مناطق أنحاء انحاء أطراف اطراف ريف".split())
COMPASS = frozenset(fold(w) for w in "شمال جنوب شرق غرب شمالي جنوبي شرقي غربي وسط".split())
# Nouns that head a place name after في (في مدينة درنة، في محافظة البصرة).
PLACE_NOUNS = frozenset(fold(w) for w in """مدينة بلدة قرية محافظة منطقة ولاية إقليم اقليم حي مخيم مطار ميناء
العاصمة عاصمة ضاحية مقاطعة جزيرة""".split())
REVERSAL_NOUNS = frozenset(fold(w) for w in (
    "التراجع", "تراجع", "الكف", "كف", "وقف", "التوقف", "توقف", "العدول", "عدول", "الانسحاب", "انسحاب",
    "إلغاء", "الغاء", "الامتناع", "امتناع", "العودة", "التخلي", "تخلي"))

# what a trigger's role step finds: source, target, in a quotation, the support verb's index
_Found = tuple[Optional[Participant], Optional[Participant], bool, Optional[int]]


@dataclass(frozen=True)
class _At:
    """One trigger in its sentence, with what the role steps read around it."""
    doc: Document
    sentence: Sentence
    tokens: Sequence[Token]
    index: MentionIndex
    subjects: SubjectTracker
    trig: Trigger
    quote: Optional[TextSpan]


@dataclass
class EventCoder:
    """Pipeline stage: the events of a document, sentence by sentence, from the trigger
    lexicon; the discourse subject (who is speaking, whose subject a dropped one continues)
    carries across sentences."""
    lexicon: TriggerLexicon
    cues: Optional[CueLexicon] = None   # reporting verbs: they set the discourse subject too
    name: str = "events"
    requires: tuple[str, ...] = ("tokens", "sentences", "quoted", "mentions")  # places, dates used when present
    provides: tuple[str, ...] = ("events",)
    roles: RoleFinder = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.roles = RoleFinder(self.lexicon, self.cues)

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
        """The event of the trigger word at ``trigger_start`` in ``sentence``, for events the
        event check adds where the coder's rules coded none (a bare noun, an ambiguous word
        with no participant, a plan inside a quotation).  The roles, place, date and
        modality come from the same rules as the sentence walk, with no discourse subject
        and without the rules' "no event here" exits.  ``None`` if no trigger is there."""
        tokens = doc.sentence_tokens(sentence)
        triggers = self.find_triggers(doc, tokens)
        trig = next((t for t in triggers if tokens[t.index].start == trigger_start), None)
        if trig is None:
            return None
        quote = next(iter(doc.span_index("quoted").covering(tokens[trig.index].start)), None)
        at = _At(doc, sentence, tokens, MentionIndex.of(doc), SubjectTracker(), trig, quote)
        return self._trigger_event(at, triggers, strict=False)

    # -- triggers ---------------------------------------------------------
    def find_triggers(self, doc: Document, tokens: Sequence[Token]) -> list[Trigger]:
        found: list[Trigger] = []
        names = doc.span_index("entities")
        for i, token in enumerate(tokens):
            if token.kind != "word" or names.covers(token.start):
                continue  # منظمة العفو الدولية، تحالف دعم الشرعية: a word of a name is no trigger
            roles = doc.word_roles(token.index)
            following = [lookup_keys(t.norm) for t in self._same_clause(tokens[i + 1:i + 8])]
            prev_key = verb_keys(tokens[i - 1].norm) if i else None  # every reading: طائرة، طائر+ه
            next_key = (lookup_keys(tokens[i + 1].norm) or [tokens[i + 1].norm])[-1] if i + 1 < len(tokens) else None
            # ويعتصم: و before an imperfective prefix is a conjunction even where the words
            # layer left a rare form whole
            conj = "conj" in roles or token.norm[:1] not in CONJUNCTIONS \
                or (len(token.norm) >= 5 and token.norm[1] in IMPERFECTIVE_PREFIXES)
            readings = verb_keys(token.norm, conj=conj, pronoun="pron" in roles)
            verb = self._lookup(readings, False, following, prev_key, next_key)
            if verb and i and is_participle(token.norm) and tokens[i - 1].norm in THAT_NOUN_OPENERS:
                verb = None  # بأن مهاجما انتحاريا فجر نفسه: after أن a participle is the subject noun
            noun = self._lookup(noun_keys(token.norm), True, following, prev_key, next_key)
            if verb and not (noun and support_before(tokens, i, noun[0]) is not None):
                found.append(Trigger(i, verb[0], verb[1], True))
            elif noun:
                found.append(Trigger(i, noun[0], noun[1], False))
        return self._without_actor_nouns(doc, tokens, found)

    @staticmethod
    def _same_clause(tokens: Sequence[Token]) -> Sequence[Token]:
        """The tokens before the next clause: a full stop, or a comma before و/ف (اقتحمت
        البلدة فجراً، وحاصرت منزل: no فجر + منزل).  A bare comma may sit inside the
        phrase (حملت النظام السوري، المسؤولية)."""
        for k, token in enumerate(tokens):
            if token.kind == "punct" and (token.norm in ".!?" or (
                    token.norm in COMMA and k + 1 < len(tokens) and tokens[k + 1].norm[:1] in CONJUNCTIONS)):
                return tokens[:k]
        return tokens

    @staticmethod
    def _without_actor_nouns(doc: Document, tokens: Sequence[Token], found: list[Trigger]) -> list[Trigger]:
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

    # -- events -----------------------------------------------------------
    def _sentence_events(self, doc: Document, sentence: Sentence, tokens: Sequence[Token],
                         index: MentionIndex, subjects: SubjectTracker) -> list[Event]:
        out: list[Event] = []
        triggers = self.find_triggers(doc, tokens)
        cue_subjects = self.roles.cue_subjects(doc, tokens, index)
        for trig in triggers:
            token = tokens[trig.index]
            quote = next(iter(doc.span_index("quoted").covering(token.start)), None)
            for position, subject in cue_subjects:
                if position < trig.index:
                    subjects.set(subject, sentence.index)
            cue_subjects = [(p, s) for p, s in cue_subjects if p >= trig.index]
            if self._embedded(trig, triggers, tokens):
                continue
            event = self._trigger_event(_At(doc, sentence, tokens, index, subjects, trig, quote), triggers)
            if event is not None:
                out.append(event)
        for _, subject in cue_subjects:
            subjects.set(subject, sentence.index)  # أكدت الإمارات ... . وطالبت ...: it speaks on
        return self._implicit_addressees(doc, tokens, out)

    def _trigger_event(self, at: "_At", triggers: list[Trigger], strict: bool = True) -> Optional[Event]:
        """The event of one trigger: its roles by kind (a stance at the start of a
        quotation, a verb, an event noun), then the attack and protest roles, negation and
        tense.  ``strict``: drop triggers the rules read as no event here (the sentence
        walk); off for a trigger the event check vouches for (:meth:`event_at`)."""
        doc, tokens, trig, index = at.doc, at.tokens, at.trig, at.index
        if at.quote is not None and self.roles.stance(tokens, trig, at.quote):
            found = self._stance_roles(at)
        elif trig.verbal:
            found = self._verb_roles(at, triggers, strict)
        else:
            found = self._noun_roles(at, strict)
        if found is None:
            return None
        source, target, in_quote, support = found
        if trig.entry.plover in VIOLENT_TYPES and (source is None or target is None or not trig.verbal):
            source, target = self.roles.violence_roles(doc, tokens, trig, index, source, target)
        negated, modality = modality_of(tokens, trig.index, trig.verbal)
        if not trig.verbal and support is not None:
            # لم تعقد الحكومة أي اجتماع: the support verb carries negation and tense
            negated_support, modality_support = modality_of(tokens, support)
            negated = negated or negated_support
            modality = modality if modality != "asserted" else modality_support
        if strict and source is None and target is None \
                and (trig.entry.ambiguous or trig.entry.is_ambiguous(trig.key)):
            return None  # an ambiguous word with no participant at all is more often not an event
        if trig.entry.plover == "PROTEST":
            source, target = self.roles.protest_roles(doc, tokens, trig, index, source, target)
        reread = self.roles.armed_reading(trig, source)
        if reread.entry.plover == "PROTEST" != trig.entry.plover:
            # واحتج مئات المتظاهرين: a street protest, whose target is what it is against
            source, target = self.roles.protest_roles(doc, tokens, reread, index, source, None)
        return self._event(doc, at.sentence, tokens, reread, source, target, negated, modality, in_quote)

    def _stance_roles(self, at: "_At") -> _Found:
        """أكدت الفصائل "وقوفها وتضامنها مع ...": at the start of a quotation a reporting
        verb introduces, a position-taking noun is the speaker's own statement."""
        doc, tokens, trig, index, quote = at.doc, at.tokens, at.trig, at.index, at.quote
        inside = subject_before(doc, tokens, trig.index, index)
        if inside is not None and inside.start < quote.start:
            inside = None
        source = inside or self.roles.fronted_subject(doc, tokens, trig, index) \
            or at.subjects.inherited(at.sentence.index)
        return source, self.roles.target(doc, tokens, trig, trig.index + 1, index, source), False, None

    def _verb_roles(self, at: "_At", triggers: list[Trigger], strict: bool = True) -> Optional[_Found]:
        """Source and target of a verbal trigger, or None when it is no event here (a plan
        or a slogan inside a quotation, a state after الذي, an unnamed doer in a quotation)."""
        doc, tokens, trig, index, quote, subjects = at.doc, at.tokens, at.trig, at.index, at.quote, at.subjects
        token, sentence_index = tokens[trig.index], at.sentence.index
        in_quote = quote is not None
        if strict and in_quote and not perfective(trig):
            return None  # plans, habits and slogans inside quotations are not events
        if strict and trig.entry.plover in STATIVE_TYPES and not perfective(trig) and trig.index \
                and doc.without_conjunction(tokens[trig.index - 1]) in RELATIVES:
            return None  # التحالف الذي يدعمه الغرب: a present tense after الذي describes a state
        preverbal = False   # the source is a subject placed before the verb
        if fold(trig.entry.lemma) in PASSIVE_ENTRIES:
            return self._passive_roles(at)
        if fold(trig.entry.lemma) in UNACCUSATIVE:
            # انفجرت قنبلة: what explodes is no doer and no target; the doer comes only from an
            # agent phrase, the victims from the consequence (violence_roles)
            return agent_phrase(doc, tokens, trig.index + 1, clause_end(tokens, trig.index), index), None, \
                quote is not None, None
        if is_participle(token.norm) or plural_participle(doc, token):
            source, after = None, trig.index + 1
        elif plural_agreement(doc, token):
            # مسلحون مجهولون اغتالوا العميد: a verb that agrees in number follows its
            # subject; what comes after it is the object
            source = subject_before(doc, tokens, trig.index, index, floor=reported(tokens, trig.index)) \
                or self.roles.reported_subject(doc, tokens, trig, index) \
                or subject_of_kana(doc, tokens, trig.index, index)  # وكان 1000 لاجئ من التبت قد احتشدوا
            after = trig.index + 1
            if source is not None and quote is not None and source.start < quote.start:
                source = None
            preverbal = source is not None
        elif (fronted := self.roles.fronted_subject(doc, tokens, trig, index)) is not None:
            # بأن الميليشيات رفضت مقترحات الأمم المتحدة، إنها "تدين ...": after أن the
            # subject comes first and the phrase after the verb is its object
            source, after, preverbal = fronted, trig.index + 1, True
            if quote is not None and source.start < quote.start and not reported(tokens, trig.index):
                source = None
        else:
            # أضرب العرب، نزل آلاف الأشخاص: a protest verb has no object, so the phrase after
            # it is its subject even when it names no known actor
            following = tokens[trig.index + 1] if trig.index + 1 < len(tokens) else None
            intransitive = trig.entry.plover == "PROTEST" and fold(trig.entry.lemma) in CROWD_VERBS \
                and "pron" not in doc.word_roles(token.index) and following is not None \
                and following.norm not in NOT_A_CROWD and following.norm not in NUMBER_WORDS \
                and following.kind == "word"  # a counted crowd is crowd_subject's (عشرات الآلاف من أنصار ...)
            source, after = subject_after(doc, tokens, trig.index + 1, index, require_actor=not intransitive,
                                          counts_victims=trig.entry.plover in VIOLENT_TYPES and not reflexive(trig))
            preverbal = generic(source)  # قتل جنديان: read as passive below if no object
            if source is None:
                source = subject_of_kana(doc, tokens, trig.index, index)
                preverbal = source is not None  # وكانت بوتو قد قتلت في هجوم: passive if no object
            if source is None and trig.entry.plover == "PROTEST":
                source, after = crowd_subject(doc, tokens, trig.index + 1, index)  # تظاهر آلاف من ...
        if source is not None and not in_quote and self._continues_subject(doc, token, trig, subjects,
                                                                         sentence_index, source):
            # وحملت الحكومة الإسرائيلية المسؤولية after أدانت الجامعة ...: the subject
            # continues and the actor after the verb is its object
            source, after = subjects.inherited(sentence_index), trig.index + 1
            preverbal = False
        if quote is not None and source is None:
            # "السلطات الإسرائيلية اعتقلت تسعة أشخاص": a subject before the verb inside
            # the quotation is as explicit as one after it
            inside = subject_before(doc, tokens, trig.index, index, floor=reported(tokens, trig.index))
            if inside is None and not strict:
                # «ان قوات خاصة ... قتلت»: for an event the check vouches for, a reported
                # clause's own noun phrase (the walk codes only named actors in quotations)
                inside = self.roles.reported_subject(doc, tokens, trig, index)
            if inside is not None and inside.end >= quote.start - 2:  # inside it, or right before its mark
                source, preverbal = inside, True
        if in_quote:
            if source is None and strict:
                return None  # in a quotation only an explicitly named actor's deed is coded
        elif source is not None:
            subjects.set(source, sentence_index)
        elif reported(tokens, trig.index):
            # وأضاف أن 5 متشددين ألقي القبض عليهم: inside reported speech the
            # speaker is not the doer; only a subject inside the clause counts
            source = subject_before(doc, tokens, trig.index, index, floor=reported(tokens, trig.index)) \
                or self.roles.reported_subject(doc, tokens, trig, index)
            preverbal = source is not None
        elif any(not t.verbal and t.entry.plover == trig.entry.plover and 0 < trig.index - t.index <= 3
                 for t in triggers):
            source = None  # هجوم انتحاري استهدف دورية: the attack noun is the subject
        else:
            source = subject_before(doc, tokens, trig.index, index)
            preverbal = source is not None
            source = source or subjects.inherited(sentence_index)
        target = self.roles.target(doc, tokens, trig, after, index, source)
        if preverbal:
            agent = agent_phrase(doc, tokens, trig.index + 1, clause_end(tokens, trig.index), index) \
                if trig.entry.plover in VIOLENT_TYPES else None
            if agent is not None and source is not None and not same_participant(agent, source) \
                    and perfective(trig) and not reflexive(trig) \
                    and (target is None or agent.start <= target.start < agent.end):
                # أن شابا قتل برصاص الجيش الإسرائيلي: an agent phrase makes the verb passive
                # (قُتل); the noun before it is the victim
                return agent, source, in_quote, None
            source, target = self.roles.passive_reading(trig, source, target)
            if source is None and target is not None and trig.entry.plover in VIOLENT_TYPES:
                source = agent
        return source, target, in_quote, None

    def _passive_roles(self, at: "_At") -> _Found:
        """أصيب ثلاثة فلسطينيين برصاص الجيش، أن شابا أصيب برصاص الاحتلال: a passive verb's
        doer is only its agent phrase (never the discourse subject), and its victim the
        phrase after it or the subject of its reported clause."""
        doc, tokens, trig, index = at.doc, at.tokens, at.trig, at.index
        limit = clause_end(tokens, trig.index)
        agent = agent_phrase(doc, tokens, trig.index + 1, limit, index)
        # the victims run up to the agent phrase (برصاص، على يد، من قبل) or the clause end
        stop = next((k for k in range(trig.index + 1, limit)
                     if tokens[k].kind != "word" or tokens[k].norm in FUNCTION_WORDS or tokens[k].norm[:1] == "ب"
                     or "prep" in doc.proclitics(tokens[k].index)), limit)
        victim = participant_in(doc, tokens, trig.index + 1, stop, index) if stop > trig.index + 1 else None
        if victim is None:
            victim = self.roles.reported_subject(doc, tokens, trig, index)
        return agent, victim, at.quote is not None, None

    def _noun_roles(self, at: "_At", strict: bool = True) -> Optional[_Found]:
        """Source and target of an event noun, through its support verb (شنت القوات غارة،
        تم اعتقال، أعلنت الشرطة اعتقال) or its genitive (اقتحام المستوطنين); None when the
        noun is no event here (inside a quotation, a bare noun that refers back)."""
        doc, tokens, trig, index, quote, subjects = at.doc, at.tokens, at.trig, at.index, at.quote, at.subjects
        announced_quote = self.roles.announced_quote(tokens, trig, quote) if quote is not None else None
        if strict and quote is not None and announced_quote is None:
            return None
        support = support_before(tokens, trig.index, trig.entry)
        announced = False
        if support is None:
            # أعلنت الشرطة اعتقال ...، أعلن الجيش "إلقاء القبض على ..."
            support = announced_quote if announced_quote is not None else self.roles.announcing_cue(tokens, trig.index)
            announced = support is not None
        if support is not None:
            source, open_ = self.roles.support_subject(doc, tokens, trig, support, index)
            if source is not None and not impersonal(tokens, support, trig.entry):
                subjects.set(source, at.sentence.index)  # an agent phrase is no discourse subject
            elif open_:
                # إن مجموعة من المسلحين نفذت عملية اختطاف: the support verb's subject before it
                source = subject_of_kana(doc, tokens, support, index) \
                    or subject_before(doc, tokens, support, index) \
                    or (self.roles.fronted_subject(doc, tokens, replace(trig, index=support), index)
                        if not announced else None) \
                    or subjects.inherited(at.sentence.index)
            if announced and fold(trig.entry.lemma) in OUTCOME_NOUNS and (source is None or source.sector != "MIL"):
                source = None  # أعلنت الشرطة مقتل سبعة أشخاص, unlike أعلن الجيش مقتل 52 مسلحا
        else:
            source, phrase_end = self.roles.genitive(doc, tokens, trig, index)
            if source is not None and "obj" in trig.entry.target_prep and (
                    fold(trig.entry.lemma) in OUTCOME_NOUNS or not agent_genitive(doc, tokens, phrase_end)):
                source = None  # اغتيال القيادي، مقتل مدنيين اثنين: the genitive of an event noun is its patient
            if source is not None and not (source.actor or source.resolved_text) \
                    and (trig.entry.ambiguous or trig.entry.is_ambiguous(trig.key)):
                source = None  # تحقيق أمن دائم: a word of two senses needs an actor to be an event
            if source is None and trig.entry.plover == "PROTEST":
                source = motive_crowd(doc, tokens, trig.index, index)  # تجمع 40 متظاهرا للاحتجاج
            if strict and source is None and not standalone(doc, tokens, trig) \
                    and exposed_subject(doc, tokens, trig.index, index) is None \
                    and not self._named_by_relative(doc, tokens, trig, index):
                return None  # a bare event noun is background, not a coded event
        in_quote = quote is not None and announced_quote is None   # only outside the strict walk
        return source, self.roles.target(doc, tokens, trig, trig.index + 1, index, source), in_quote, support

    @staticmethod
    def _named_by_relative(doc: Document, tokens: Sequence[Token], trig: Trigger, index: MentionIndex) -> bool:
        """اما الهجوم الذي نفذته طالبان: a definite attack noun whose relative clause names
        its doer reports that attack (but not after بعد/عقب..., where it dates something else)."""
        previous = tokens[trig.index - 1].norm if trig.index else ""
        return trig.entry.plover in VIOLENT_TYPES and previous not in BACKGROUND_PREPS \
            and relative_doer(doc, tokens, trig.index, index) is not None

    def _implicit_addressees(self, doc: Document, tokens: Sequence[Token], events: list[Event]) -> list[Event]:
        """وأدانت الفصائل مشاركة السلطة ...، ودعت إلى التراجع عن هذا المسار: a call to back
        down that follows, joined by و, a criticism by the same source is addressed to the
        criticised party.  Only calls with no addressee of their own whose content starts
        with a word of reversal (التراجع، الكف، وقف ...) take it."""
        by_start = {t.start: i for i, t in enumerate(tokens)}
        for k in range(1, len(events)):
            call, before = events[k], events[k - 1]
            if (call.type != "REQUEST" or call.target is not None or before.target is None
                    or before.type not in CRITICISM or not same_participant(call.source, before.source)):
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
    def _continues_subject(doc: Document, token: Token, trig: Trigger, subjects: SubjectTracker,
                           sentence: int, candidate: Participant) -> bool:
        """A verb joined by و to an earlier verb of the same sentence keeps that verb's
        subject when it takes a direct object."""
        return ("conj" in doc.proclitics(token.index) and subjects.sentence == sentence
                and subjects.current is not None and "obj" in trig.entry.target_prep
                and subjects.current.start < token.start
                and not same_participant(candidate, subjects.current))


    def _embedded(self, trig: Trigger, triggers: list[Trigger], tokens: Sequence[Token]) -> bool:
        """Inside what an earlier trigger of the clause asks for or warns of
        (دعت إلى رفع العقوبات، حذرت من اقتحام ...): not an event that happened."""
        for other in triggers:
            if other.index >= trig.index:
                break
            if trig.entry.plover in ORDERED_TYPES and not trig.verbal \
                    and any(k in DECISION_VERBS for k in verb_keys(tokens[other.index].norm)):
                continue  # أمرت المحكمة باحتجاز ...: the order carries the act out
            if other.verbal and other.entry.plover in EMBEDDING_TYPES \
                    and not any(t.norm in COMMA for t in tokens[other.index + 1:trig.index]):
                return True
        return False

    def _event(self, doc: Document, sentence: Sentence, tokens: Sequence[Token], trig: Trigger,
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

    def _location(self, doc: Document, tokens: Sequence[Token], trig: Trigger,
                  target: Optional[Participant] = None) -> Optional[Place]:
        """Where it happened: a place the target names (غارات على مدينة خان يونس), or a
        place introduced by في/ب (على for attacks) in the trigger's clause.  Statements
        (أدان، دعا) take a place only right after the trigger: further on it is usually
        the place of what they talk about."""
        limit = clause_end(tokens, trig.index)
        statement = trig.entry.plover in STATEMENT_TYPES
        reach = 4 if statement else 14
        places = doc.span_index("places")
        if target is not None and not statement:  # دعت إيران: the addressee, not where it was said
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
                if token.norm in introducers:
                    further = self._place_after(doc, tokens, token.index - tokens[0].index)
                    if further is not None:
                        return further  # غارة جوية على شمال غربي اليمن
        if statement:
            return None
        if trig.entry.mode == "visit" and trig.verbal and trig.index + 1 < len(tokens):
            visited = [p for p in places.overlapping(tokens[trig.index + 1].start, tokens[trig.index + 1].end)
                       if p.start <= tokens[trig.index + 1].start]
            if visited:
                return visited[0]   # يزور الكويت: the place visited
        return self._sentence_place(doc, tokens, trig)

    @staticmethod
    def _sentence_place(doc: Document, tokens: Sequence[Token], trig: Trigger) -> Optional[Place]:
        """A deed's place elsewhere in its sentence, when its clause names none: the place
        after في nearest to the trigger, before it or after it (في محافظة درعا وافقت ثماني
        بلدات ...، في بلدة غضم ... جراء القصف)."""
        best: Optional[tuple[int, Place]] = None
        introducers = {"في"} | ({"علي"} if trig.entry.plover in VIOLENT_TYPES else set())  # غارة على شمال اليمن
        for k, token in enumerate(tokens):
            if k == trig.index or doc.without_conjunction(token) not in introducers:   # في، وفي
                continue
            here = EventCoder._place_after(doc, tokens, k)
            if here is not None and (best is None or abs(k - trig.index) < best[0]):
                best = (abs(k - trig.index), here)
        return best[1] if best else None

    @staticmethod
    def _place_after(doc: Document, tokens: Sequence[Token], k: int) -> Optional[Place]:
        """The place named right after the preposition at ``k``, past place nouns, compass
        words and quantifiers (في مدينة درنة، على شمال غربي اليمن، في بعض مناطق محافظة البصرة)."""
        places = doc.span_index("places")
        j = k + 1
        while j < len(tokens) and j - k <= 4 and (fold(tokens[j].text) in PLACE_NOUNS or tokens[j].norm in COMPASS
                                                  or tokens[j].norm in PLACE_QUANTIFIERS):
            here = [p for p in places.overlapping(tokens[j].start, tokens[j].end) if p.start == tokens[j].start]
            if here:
                return here[0]  # مدينة غزة is itself a place
            j += 1
        if j >= len(tokens):
            return None
        here = [p for p in places.overlapping(tokens[j].start, tokens[j].end) if p.start <= tokens[j].start
                or p.start == tokens[k + 1].start]
        return here[0] if here else None

    def _dedupe(self, doc: Document, events: list[Event]) -> list[Event]:
        """Two triggers of one type close together in one sentence are one event when
        their participants agree or the second has none of its own (وقوفها وتضامنها مع
        ...، تظاهر آلاف ... احتجاجا على ...); the merged event keeps the roles either had."""
        out: list[Event] = []
        for event in events:
            recent = range(len(out) - 1, max(-1, len(out) - 6), -1)  # events arrive in text order
            k = next((k for k in recent for e in (out[k],) if e.type == event.type and e.sentence == event.sentence
                      and (self._motive_of(doc, e, event)   # the motive's own crowd is only a guess
                           or (abs(e.trigger.start - event.trigger.start) < 60
                               and not any(c in doc.text[e.trigger.end:event.trigger.start] for c in ",،;؛.")
                               and (event.source is None or e.source is None or e.source.actor == event.source.actor)
                               and (event.target is None or e.target is None
                                    or (e.target.actor or e.target.text) == (event.target.actor or event.target.text))))),
                     None)
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
                    if not same_participant(later.source, event.target):
                        events[k] = replace(event, source=later.source)
                    break
        return events
