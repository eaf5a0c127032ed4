"""Quotes: a reporting verb (cue), its speaker, and what was said.

Direct content is the quotation that follows the cue (after its subject and
phrases like «في بيان لها»); indirect content is the أن/إن clause, or for
demand/warning verbs the إلى/ل/من/ب complement, up to the end of the clause.
Cues inside another quotation are part of that quotation, not new quotes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from hadath.actors.participants import (ADVERBIALS, MentionIndex, SubjectTracker, is_participle, noun_phrase_end,
                                        subject_after, subject_before)
from hadath.doc import Document, Participant, Quote, TextSpan, Token
from hadath.quotes.lexicon import CueLexicon
from hadath.text.clitics import CONJUNCTIONS
from hadath.text.function_words import FUNCTION_WORDS
from hadath.text.normalize import fold
from hadath.text.sentences import CLOSING, OPENING, TOGGLING

THAT = frozenset(fold(w) for w in "أن إن أنه إنه أنها إنها بأن بأنه بأنها أنهم إنهم بأنهم أنّ".split())
COMPLEMENT_PREPS = frozenset(fold(w) for w in "إلى الى على من ب ل".split())
COMMA = {",", "،", ";", "؛"}
ANNOUNCE = {"أعلن"}  # أعلن + a noun announces an action (an event), not a statement
OBJECT_CLASSES = {"deny", "assertive", "opinion", "demand"}  # their object phrase is what was said
PREP_CLASSES = {"demand", "warn", "threaten", "promise"}  # دعا إلى، حذر من، هدد ب: the complement is the content
IMPERSONAL = frozenset(fold(w) for w in "يذكر ويذكر يشار ويشار يبدو ويبدو".split())  # يذكر أن ...
SPEAKER_REACH = 3  # sentences over which وأضاف/وتابع continue the last speaker
MAX_GAP = 14  # tokens between cue and the start of its content


@dataclass
class QuoteExtractor:
    cues: CueLexicon
    name: str = "quotes"
    requires: tuple[str, ...] = ("tokens", "sentences", "quoted", "mentions")
    provides: tuple[str, ...] = ("quotes",)

    def __call__(self, doc: Document) -> Document:
        index = MentionIndex.of(doc)
        subjects = SubjectTracker()
        quotes: list[Quote] = []
        last_speaker: Optional[tuple[Participant, int]] = None
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            for i, token in enumerate(tokens):
                if token.kind != "word" or self._inside_quote(doc, token):
                    continue
                cue = self._cue(token.norm)
                if cue is None or (token.norm in IMPERSONAL and i + 1 < len(tokens) and tokens[i + 1].norm in THAT):
                    continue
                if is_participle(token.norm):
                    speaker, after = None, i + 1  # داعيا، مؤكدا: the main verb's subject speaks
                else:
                    # after دعا/طالب a bare noun phrase is as often the addressee as the speaker
                    addressed = any(entry.cls == "demand" for entry in cue)
                    speaker, after = subject_after(doc, tokens, i + 1, index, require_actor=addressed)
                if speaker is not None:
                    subjects.set(speaker, sentence.index)
                    last_speaker = (speaker, sentence.index)
                else:
                    speaker = subject_before(doc, tokens, i, index) or subjects.inherited(sentence.index)
                    if speaker is None and last_speaker and sentence.index - last_speaker[1] <= SPEAKER_REACH:
                        speaker = last_speaker[0]  # وأضاف ... continues the last speaker
                if speaker is not None:
                    last_speaker = (speaker, sentence.index)
                content = self._content(doc, tokens, i, after)
                if content is None:
                    continue
                span, direct = content
                quotes.append(Quote(speaker, TextSpan(token.text, token.start, token.end), span, direct))
        doc.quotes = tuple(quotes)
        return doc

    def _cue(self, norm: str):
        for key in (norm, norm[1:] if norm[:1] in CONJUNCTIONS and len(norm) > 3 else None):
            if key and key in self.cues.by_form:
                return self.cues.by_form[key]
        return None

    @staticmethod
    def _inside_quote(doc: Document, token: Token) -> bool:
        return doc.span_index("quoted").covers(token.start)

    def _content(self, doc: Document, tokens: Sequence[Token], cue_index: int,
                 after: int) -> Optional[tuple[TextSpan, bool]]:
        clause_end = self._clause_end(tokens, cue_index)
        classes = {entry.cls for entry in self._cue(tokens[cue_index].norm) or ()}
        k = after
        while k < clause_end and tokens[k].text in COMMA:
            k += 1
        if classes & PREP_CLASSES and k < clause_end and not self._complement_prep(doc, tokens[k]) \
                and tokens[k].kind == "word" and tokens[k].norm not in FUNCTION_WORDS:
            addressee_end = noun_phrase_end(doc, tokens, k)  # داعيا المجتمع الدولي | إلى ...
            if addressee_end < clause_end and self._complement_prep(doc, tokens[addressee_end]):
                k = addressee_end
        if classes & PREP_CLASSES and k < clause_end and self._complement_prep(doc, tokens[k]) \
                and not any(self._opens(tokens[j]) for j in range(k, min(k + 2, clause_end))):
            return self._indirect(doc, tokens, k, clause_end), False  # دعت إلى ...، حذرت من ...
        for k in range(after, min(clause_end, after + MAX_GAP)):
            token = tokens[k]
            if self._opens(token):
                region = self._region_after(doc, token)
                if region is not None and not self._quoted_name(doc, tokens, region, clause_end):
                    return region, True
            if k > after and self._cue(token.norm) is not None:
                return None  # the next cue starts before any content
            if token.norm in THAT:
                if k + 1 < len(tokens) and self._opens(tokens[k + 1]):
                    region = self._region_after(doc, tokens[k + 1])
                    if region is not None:
                        return region, True  # أكدت أن "..."
                return self._indirect(doc, tokens, k + 1, clause_end), False
        k = after
        while k < clause_end and (tokens[k].norm in COMMA or tokens[k].norm in ADVERBIALS):
            k += 1
        lemmas = {entry.lemma for entry in self._cue(tokens[cue_index].norm) or ()}
        if classes & OBJECT_CLASSES and not lemmas & ANNOUNCE and clause_end - k >= 2 and tokens[k].kind == "word" \
                and tokens[k].norm not in FUNCTION_WORDS and "prep" not in doc.proclitics(tokens[k].index):
            return self._indirect(doc, tokens, k, clause_end), False  # نفى امتلاكه ...، أكدت التزام ...
        return None

    def _quoted_name(self, doc: Document, tokens: Sequence[Token], region: TextSpan, clause_end: int) -> bool:
        """ذكرت "وفا" أن ...: a short quotation followed by أن names the source."""
        inside = [t for t in tokens if region.start <= t.start < region.end]
        if not inside or len(inside) > 3:
            return False
        after = [t for t in tokens if t.start >= region.end][:3]
        return any(t.norm in THAT for t in after)

    @staticmethod
    def _opens(token: Token) -> bool:
        return token.text in OPENING or token.text in TOGGLING

    @staticmethod
    def _region_after(doc: Document, mark: Token) -> Optional[TextSpan]:
        return next((q for q in doc.span_index("quoted").overlapping(mark.end, mark.end + 2)
                     if mark.end <= q.start <= mark.end + 1), None)

    @staticmethod
    def _complement_prep(doc: Document, token: Token) -> bool:
        """إلى/على/من/ب/ل, free or as a clitic (لفك، بالإفراج)."""
        if token.kind != "word":
            return False
        return token.norm in COMPLEMENT_PREPS or "prep" in doc.proclitics(token.index) \
            or (token.norm[:1] in ("ل", "ب") and len(token.norm) >= 3 and token.norm not in FUNCTION_WORDS)

    @staticmethod
    def _indirect(doc: Document, tokens: Sequence[Token], first: int, end: int) -> TextSpan:
        last = max(first + 1, end)
        while last - 1 > first and tokens[last - 1].kind == "punct":
            last -= 1
        start, stop = tokens[min(first, len(tokens) - 1)].start, tokens[min(last, len(tokens)) - 1].end
        return TextSpan(doc.text[start:stop], start, stop)

    def _clause_end(self, tokens: Sequence[Token], i: int) -> int:
        """The next «، و<cue>» or sentence end."""
        depth_open = False
        for k in range(i + 1, len(tokens)):
            text = tokens[k].text
            if text in OPENING or (text in TOGGLING and not depth_open):
                depth_open = True
                continue
            if text in CLOSING or (text in TOGGLING and depth_open):
                depth_open = False
                continue
            if not depth_open and text in COMMA and k + 1 < len(tokens) and self._cue(tokens[k + 1].norm):
                return k
        return len(tokens)
