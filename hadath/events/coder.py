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

from dataclasses import dataclass
from datetime import date
from typing import Optional, Sequence

from hadath.actors.participants import (MentionIndex, SubjectTracker, noun_phrase_end, participant_in,
                                        subject_after)
from hadath.doc import DateMention, Document, Event, Participant, Place, Sentence, TextSpan, Token
from hadath.events.lexicon import TriggerEntry, TriggerLexicon
from hadath.text.clitics import CONJUNCTIONS, FUTURE, IMPERFECTIVE_PREFIXES, lookup_keys, strip_enclitic
from hadath.text.function_words import FUNCTION_WORDS, NEGATIONS
from hadath.text.normalize import fold

CONDITIONALS = frozenset(fold(w) for w in "إذا اذا لو إن في_حال حال حالة لولا".split())
FUTURE_WORDS = frozenset(fold(w) for w in "سوف سيتم ستقوم سيقوم".split())
DENIALS = frozenset(fold(w) for w in "نفى نفت ينفي تنفي نفوا".split())
COMMA = {",", "،", ";", "؛", ":"}
STATEMENT_TYPES = {"ACCUSE", "REQUEST", "SUPPORT", "REJECT", "THREATEN", "AGREE", "CONCEDE"}
PARTICIPATION = tuple(fold(w) for w in ("بحضور", "بمشاركة", "مشاركة", "حضور", "وفد"))


@dataclass(frozen=True)
class _Trigger:
    index: int          # token index within the sentence
    entry: TriggerEntry
    key: str            # lexicon form that matched
    verbal: bool


def _verb_keys(norm: str) -> list[str]:
    keys = [norm]
    if norm[:1] in CONJUNCTIONS and len(norm) > 3:
        keys.append(norm[1:])
    for key in list(keys):
        if key[:1] == FUTURE and key[1:2] in IMPERFECTIVE_PREFIXES and len(key) > 3:
            keys.append(key[1:])
    return keys


def _noun_keys(norm: str) -> list[str]:
    keys = lookup_keys(norm)
    for key in list(keys):
        keys.extend(strip_enclitic(key))
    return list(dict.fromkeys(keys))


@dataclass
class EventCoder:
    lexicon: TriggerLexicon
    name: str = "events"
    requires: tuple[str, ...] = ("tokens", "sentences", "quoted", "mentions")  # places, dates used when present
    provides: tuple[str, ...] = ("events",)

    def __call__(self, doc: Document) -> Document:
        index = MentionIndex(doc.mentions)
        subjects = SubjectTracker()
        events: list[Event] = []
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            events.extend(self._sentence_events(doc, sentence, tokens, index, subjects))
        doc.events = tuple(self._dedupe(events))
        return doc

    # -- triggers ---------------------------------------------------------
    def _find_triggers(self, tokens: Sequence[Token]) -> list[_Trigger]:
        found: list[_Trigger] = []
        for i, token in enumerate(tokens):
            if token.kind != "word":
                continue
            verb = self._lookup(_verb_keys(token.norm), ("verb", "phrase"))
            noun = self._lookup(_noun_keys(token.norm), ("noun",))
            if verb and not (noun and self._support_before(tokens, i, noun[0])):
                entry, key = verb
                if entry.pos == "phrase" and not self._phrase_object(tokens, i, entry):
                    continue
                found.append(_Trigger(i, entry, key, True))
            elif noun:
                found.append(_Trigger(i, noun[0], noun[1], False))
        return found

    def _lookup(self, keys: list[str], kinds: tuple[str, ...]) -> Optional[tuple[TriggerEntry, str]]:
        for key in keys:
            for entry in self.lexicon.by_form.get(key, ()):
                if entry.pos in kinds:
                    return entry, key
        return None

    @staticmethod
    def _phrase_object(tokens: Sequence[Token], i: int, entry: TriggerEntry) -> bool:
        objects = set(entry.phrase_object)
        if not objects:
            return True
        return any(key in objects for t in tokens[i + 1:i + 6] for key in lookup_keys(t.norm))

    @staticmethod
    def _support_before(tokens: Sequence[Token], i: int, entry: TriggerEntry) -> Optional[int]:
        if not entry.support:
            return None
        support = set(entry.support)
        for j in range(i - 1, max(-1, i - 8), -1):
            if tokens[j].norm in COMMA:
                break
            if any(k in support for k in _verb_keys(tokens[j].norm)):
                return j
        return None

    # -- events -----------------------------------------------------------
    def _sentence_events(self, doc: Document, sentence: Sentence, tokens: Sequence[Token],
                         index: MentionIndex, subjects: SubjectTracker) -> list[Event]:
        out: list[Event] = []
        triggers = self._find_triggers(tokens)
        verbal_positions = [t.index for t in triggers if t.verbal]
        for trig in triggers:
            token = tokens[trig.index]
            in_quote = any(q.start <= token.start < q.end for q in doc.quoted)
            if trig.verbal:
                source, after = subject_after(doc, tokens, trig.index + 1, index)
                if source is not None:
                    subjects.set(source)
                elif not in_quote:
                    source = subjects.inherited()
                target = self._target(doc, tokens, trig, after, index, source)
                if in_quote:
                    source = None  # the quote's speaker is the source; left to the quote layer
            else:
                if in_quote or self._governed(trig.index, verbal_positions, tokens):
                    continue
                support = self._support_before(tokens, trig.index, trig.entry)
                if support is not None:
                    source, _ = subject_after(doc, tokens, support + 1, index)
                    if source is not None:
                        subjects.set(source)
                    else:
                        source = subjects.inherited()
                else:
                    source, _ = subject_after(doc, tokens, trig.index + 1, index)
                    if source is None:
                        continue  # a bare event noun is background, not a coded event
                target = self._target(doc, tokens, trig, trig.index + 1, index, source)
            negated, modality = self._modality(tokens, trig.index)
            out.append(self._event(doc, sentence, tokens, trig, source, target, negated, modality, in_quote))
        return out

    def _governed(self, i: int, verbal_positions: list[int], tokens: Sequence[Token]) -> bool:
        """A noun inside the complement of an earlier verbal trigger in the same clause
        (دعت إلى الاحتشاد، أدانت مشاركة ...)."""
        for position in verbal_positions:
            if position < i and not any(t.norm in COMMA for t in tokens[position + 1:i]):
                return True
        return False

    def _target(self, doc: Document, tokens: Sequence[Token], trig: _Trigger, after: int,
                index: MentionIndex, source: Optional[Participant]) -> Optional[Participant]:
        preps = set(trig.entry.target_prep)
        limit = self._clause_end(tokens, trig.index)
        if trig.entry.plover == "CONSULT":
            preps |= {"مع", *PARTICIPATION}
        j = after
        while j < limit and tokens[j].text in {'"', "«", "“", "'"}:
            j += 1
        if "obj" in preps and j < limit and tokens[j].kind == "word" and tokens[j].norm not in FUNCTION_WORDS \
                and not self._prep_clitic(tokens[j]):
            end = noun_phrase_end(tokens, j)
            candidate = participant_in(doc, tokens, j, end, index)
            if candidate is not None and not self._same(candidate, source):
                return candidate
        for k in range(after, limit):
            norm = tokens[k].norm
            keys = {norm, norm[1:] if norm[:1] in CONJUNCTIONS else norm}
            if keys & preps:
                start = k + 1
                if norm.endswith(PARTICIPATION):
                    start = k  # بحضور وفد من قيادة حركة حماس: the participant is further on
                window_end = min(limit, start + 8)
                for m in index.overlapping(tokens[min(start, window_end - 1)].start if start < len(tokens) else 0,
                                           tokens[window_end - 1].end if window_end > 0 else 0):
                    if (m.actor or m.kind == "nominal") and m.start >= tokens[start - 1 if start else 0].start:
                        from hadath.actors.participants import participant_from_mention

                        candidate = participant_from_mention(m)
                        if not self._same(candidate, source):
                            return candidate
                end = noun_phrase_end(tokens, start)
                if end > start and tokens[k].norm in preps:
                    return participant_in(doc, tokens, start, end, index)
        return None

    @staticmethod
    def _prep_clitic(token: Token) -> bool:
        return token.norm[:1] in ("ب", "ل", "ك") and token.norm[1:3] == "ال" or token.norm.startswith("لل")

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
    def _modality(tokens: Sequence[Token], i: int) -> tuple[bool, str]:
        negated = False
        modality = "asserted"
        norm = tokens[i].norm
        if norm[:1] == FUTURE or (norm[:2] in ("وس", "فس") and norm[2:3] in IMPERFECTIVE_PREFIXES):
            if norm.lstrip("وف")[:1] == FUTURE and norm.lstrip("وف")[1:2] in IMPERFECTIVE_PREFIXES:
                modality = "future"
        for j in range(max(0, i - 3), i):
            prev = tokens[j].norm
            bare = prev[1:] if prev[:1] in CONJUNCTIONS and len(prev) > 2 else prev
            if bare in NEGATIONS:
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
        location = self._location(doc, tokens, trig)
        when, precision = self._date(doc, sentence, token)
        confidence = 0.5 + (0.2 if source and source.actor else 0.0) + (0.1 if target else 0.0) \
            + (0.1 if trig.verbal else 0.0) - (0.3 if in_quote else 0.0)
        return Event(entry.plover, entry.cameo, TextSpan(token.text, token.start, token.end),
                     TextSpan(doc.text[sentence.start:sentence.end], sentence.start, sentence.end),
                     source, target, location, when, precision, entry.mode or None, negated,
                     modality, round(max(0.05, min(confidence, 0.95)), 2), entry.quad, entry.intensity, in_quote)  # type: ignore[arg-type]

    def _location(self, doc: Document, tokens: Sequence[Token], trig: _Trigger) -> Optional[Place]:
        """A place introduced by في right after the trigger (or its object), in its clause."""
        limit = self._clause_end(tokens, trig.index)
        window = tokens[trig.index + 1:min(limit, trig.index + 6)]
        for k, token in enumerate(window):
            if token.norm in ("في", "بمدينه", "بمحافظه") or (token.norm.startswith("ب") and k == 0):
                for place in doc.places:
                    if token.start <= place.start <= token.end + 12 and place.start >= token.start:
                        return place
            if trig.entry.plover in STATEMENT_TYPES and token.norm not in ("في",):
                continue
        return None

    @staticmethod
    def _date(doc: Document, sentence: Sentence, token: Token) -> tuple[Optional[date], Optional[str]]:
        in_sentence = [d for d in doc.dates if sentence.start <= d.start < sentence.end]
        if in_sentence:
            nearest: DateMention = min(in_sentence, key=lambda d: abs(d.start - token.start))
            return nearest.value, nearest.precision
        if doc.published:
            return doc.published, "published"
        return None, None

    @staticmethod
    def _dedupe(events: list[Event]) -> list[Event]:
        """Two triggers of one type with the same participants in one clause are one event
        (وقوفها وتضامنها مع ...)."""
        out: list[Event] = []
        for event in events:
            twin = next((e for e in out if e.type == event.type and e.sentence == event.sentence
                         and abs(e.trigger.start - event.trigger.start) < 40
                         and (e.source and e.source.actor) == (event.source and event.source.actor)
                         and (e.target and e.target.actor) == (event.target and event.target.actor)), None)
            if twin is None:
                out.append(event)
        return out
