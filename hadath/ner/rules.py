"""The first entity recogniser: knowledge-base and gazetteer look-ups plus name
patterns (given names, titles such as القيادي/الرئيس/وزير, surnames repeated
later in the article).

It is one implementation of the entity stage; a trained tagger plugs in the same
way (a stage that provides ``entities``), and can use this one for post-correction.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Optional, Sequence

from hadath.actors.kb import KnowledgeBase
from hadath.doc import Document, Entity, Token
from hadath.geo.gazetteer import QUALIFIERS
from hadath.spans import SpanIndex
from hadath.text.clitics import CONJUNCTIONS, WordFrequencies, lookup_keys, proclitic_length
from hadath.text.function_words import FUNCTION_WORDS, is_nisba_adjective
from hadath.text.normalize import fold, normalize


TITLES = tuple(fold(t) for t in """الرئيس القيادي الزعيم الشيخ الدكتور د اللواء العميد العقيد المقدم الرائد الفريق
المشير الجنرال الملك الأمير الأميرة ولي العهد السفير المبعوث النائب الوزير الأمين العام المتحدث الناطق السيد السيدة
المستشار الرئيسة القائد المسؤول الإمام المرشد المطران البابا الحاخام الكاتب الصحفي الصحافي المحامي الناشط الأسير
المعتقل الشهيد الطفل الشاب الفنان الفنانة المخرج اللاعب المدرب المرشح العاهل""".split())
TITLE_PHRASES = tuple(tuple(fold(w) for w in p.split()) for p in (
    "رئيس الوزراء", "رئيس الحكومة", "رئيس المكتب السياسي", "عضو المكتب السياسي", "نائب رئيس", "وزير الخارجية",
    "وزير الدفاع", "وزير الداخلية", "وزير المالية", "وزير", "وزيرة", "رئيس", "رئيسة", "زعيم", "قائد",
    "المتحدث باسم", "الناطق باسم", "المتحدث الرسمي باسم", "الأمين العام", "ولي العهد", "عضو", "مدير", "نائب"))
NOT_NAMES = frozenset(fold(w) for w in """نظيره نظيرته نظيرها نظيريه نظراءه نظرائه وزير وزيرة رئيس نائب
مساعد مستشار قائد زعيم أمين عضو ممثل مبعوث سفير المبارك الكريم المعظم الأركان السابق الأسبق الراحل""".split())
_TITLES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {}
for _title in sorted(TITLE_PHRASES + tuple((t,) for t in TITLES), key=len, reverse=True):
    _TITLES_BY_FIRST[_title[0]] = _TITLES_BY_FIRST.get(_title[0], ()) + (_title,)
NAME_PARTICLES = frozenset(fold(w) for w in "بن ابن بنت أبو ابو أبي ابي أم آل عبد".split())
MAX_NAME_TOKENS = 4
COMMON_WORD_LIMIT = 3000   # a first surname token more frequent than this is a common word
ORG_HEADS = frozenset(fold(w) for w in """وزارة الوزارة وكالة منظمة مجلس لجنة اللجنة هيئة الهيئة حزب جماعة جمعية
الجمعية اتحاد الاتحاد محكمة المحكمة النيابة نيابة شركة مؤسسة المؤسسة سفارة السفارة قنصلية القنصلية جامعة مركز
المركز مكتب بنك البنك صندوق فيلق لواء كتائب سرايا ائتلاف الائتلاف رابطة نقابة شرطة الشرطة جهاز الجهاز قيادة
القيادة مفوضية المفوضية وحدة""".split())
MAX_ORG_TOKENS = 5
RARE_AFTER_TITLE = 500     # unknown (non-given, non-KB) names after a title are rarer than this
DEFINITE_SURNAME_LIMIT = 400  # the same for surnames with the article (الحية 102, المجتمع 2,600)


@dataclass(frozen=True)
class _Candidate:
    first: int
    last: int
    type: str
    actor: Optional[str]
    name_en: Optional[str]
    origin: str
    rank: int  # tie-breaker: lower wins


def load_given_names() -> frozenset[str]:
    text = (resources.files("hadath.ner") / "data" / "given_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _strip_conjunction(norm: str) -> str:
    return norm[1:] if norm[:1] in CONJUNCTIONS and len(norm) > 3 else norm


def _place_readings(doc: Document, token: Token) -> list[str]:
    """Readings of a token for gazetteer look-ups, limited to the clitics the words
    layer found (بدمشق -> دمشق, but بيان is not ب + يان)."""
    roles = doc.proclitics(token.index)
    strip = sum(1 for r in roles if r in ("conj", "prep", "future"))
    norm = token.norm
    out = []
    for key in lookup_keys(norm):
        removed = len(norm) - len(key) if norm.endswith(key) else (1 if key.startswith("ال") else 99)
        article = 2 if "det" in roles or key.startswith("ال") or norm[strip:].startswith("ال") else 0
        if removed <= strip or (removed <= strip + article and not key.startswith("ال")):
            out.append(key)
    return out


@dataclass
class RuleBasedRecognizer:
    kb: KnowledgeBase
    word_frequencies: WordFrequencies
    given_names: frozenset[str]
    gazetteer: Optional[Any] = None   # hadath.geo.gazetteer.Gazetteer
    name: str = "entities"
    requires: tuple[str, ...] = ("tokens", "sentences")
    provides: tuple[str, ...] = ("entities",)
    _keys: Optional[frozenset[str]] = field(default=None, repr=False)
    _first: Optional[frozenset[str]] = field(default=None, repr=False)

    def __call__(self, doc: Document) -> Document:
        found: list[Entity] = []
        for sentence in doc.sentences:
            found.extend(self._sentence_entities(doc, doc.sentence_tokens(sentence)))
        found.extend(self._repeated_surnames(doc, found))
        doc.entities = tuple(sorted(found, key=lambda e: (e.start, -e.end)))
        return doc

    # -- candidates -------------------------------------------------------
    def _sentence_entities(self, doc: Document, tokens: Sequence[Token]) -> list[Entity]:
        norms = [t.norm for t in tokens]
        roles = [doc.proclitics(t.index) for t in tokens]
        out: list[Entity] = []
        i = 0
        while i < len(tokens):
            if tokens[i].kind != "word":
                i += 1
                continue
            heads = _place_readings(doc, tokens[i])
            candidates = [c for c in (self._kb_candidate(norms, i), self._place_candidate(norms, i, heads),
                                      self._person_candidate(norms, i, roles), self._org_candidate(doc, tokens, i))
                          if c]
            if not candidates:
                i += 1
                continue
            known = [c for c in candidates if c.origin == "kb" and c.type]
            best = min(known or candidates, key=lambda c: (-(c.last - c.first), c.rank))
            if best.type:
                out.append(self._entity(doc, tokens, best))
            i = best.last
        return out

    def _kb_candidate(self, norms: Sequence[str], i: int) -> Optional[_Candidate]:
        match = self.kb.match(norms, i)
        if not match:
            return None
        for hit in match.hits:
            actor = self.kb.actors.get(hit.actor_id)
            if hit.is_entity and actor and actor.entity_type:
                return _Candidate(i, match.last, actor.entity_type, actor.id, actor.name_en, "kb", 0)
        if match.key in self.kb.offices or any(h.kind == "office" for h in match.hits):
            return self._person_after_title(norms, i, match.last)
        # a non-entity alias (generic agent, nominal): consume it so that its words
        # are not re-read as names, but produce no entity
        return _Candidate(i, match.last, "", None, None, "kb-generic", 3)

    def _place_head(self, norms: Sequence[str], i: int, length: int, heads: Sequence[str]) -> Optional[str]:
        """The reading of token ``i`` under which ``length`` tokens name a place.

        A generic qualifier (مدينة القدس) is left out of the entity unless the whole
        phrase is itself a gazetteer name (مخيم جنين): the bare name matches next.
        """
        tail = " ".join(norms[i + 1:i + length])
        for head in heads:
            if head in FUNCTION_WORDS or (head not in self._place_first_words and head not in QUALIFIERS):
                continue
            name = f"{head} {tail}".strip()
            if head in QUALIFIERS and length > 1:
                if name in self._place_keys or (self.gazetteer.lookup(name) and not self.gazetteer.lookup(tail)):
                    return head  # the qualifier is part of the name, or needed to read it (مدينة صور)
                continue
            if self.gazetteer.lookup(name):
                return head
        return None

    def _place_candidate(self, norms: Sequence[str], i: int, heads: Sequence[str]) -> Optional[_Candidate]:
        if self.gazetteer is None:
            return None
        for length in range(min(4, len(norms) - i), 0, -1):
            if self._place_head(norms, i, length, heads) is not None:
                return _Candidate(i, i + length, "LOC", None, None, "gazetteer", 1)
        return None

    @property
    def _place_first_words(self) -> frozenset[str]:
        """First words of gazetteer names, with and without the article (a cheap pre-check)."""
        if self._first is None:
            words = set()
            for key in self._place_keys:
                first = key.split(" ", 1)[0]
                words.add(first)
                words.add("ال" + first)
                if first.startswith("ال"):
                    words.add(first[2:])
            self._first = frozenset(words)
        return self._first

    @property
    def _place_keys(self) -> frozenset[str]:
        if self._keys is None:
            self._keys = frozenset(self.gazetteer.keys()) if self.gazetteer is not None else frozenset()
        return self._keys

    def _org_candidate(self, doc: Document, tokens: Sequence[Token], i: int) -> Optional[_Candidate]:
        """An institution named by its head noun and a definite phrase (وزارة المالية،
        منظمة العفو الدولية، شرطة مكافحة الإرهاب التركية، المؤسسة الوطنية للنفط)."""
        head = doc.without_conjunction(tokens[i])
        if head not in ORG_HEADS or "prep" in doc.proclitics(tokens[i].index):
            return None
        known = self._kb_candidate([t.norm for t in tokens], i + 1) if i + 1 < len(tokens) else None
        if known is not None and known.type:
            return None  # قيادة فصائل المقاومة: the known organisation is the entity
        end = i + 1
        definite_seen = adjective_seen = False
        while end < len(tokens) and end - i <= MAX_ORG_TOKENS:
            token = tokens[end]
            if token.kind != "word" or token.norm in FUNCTION_WORDS:
                break
            roles = doc.proclitics(token.index)
            norm = token.norm
            if "conj" in roles:
                # وزارة الصناعة والتجارة: a coordinated definite noun continues the name
                if not (norm[1:].startswith("ال") and definite_seen):
                    break
            elif "prep" in roles:
                if norm[:1] == "ل" and (norm[1:3] == "ال" or norm.startswith("لل")) and definite_seen:
                    end += 1  # المؤسسة الوطنية للنفط: a final ل-phrase
                break
            definite = norm.startswith("ال") or "det" in roles or bool(self.kb.demonym_country(norm))
            adjective = is_nisba_adjective(norm) or bool(self.kb.demonym_country(norm))
            if adjective_seen and not adjective:
                break  # وكالة الأنباء اليمنية الرسمية | القرار: after an adjective only adjectives follow
            adjective_seen = adjective_seen or adjective
            if not definite and (definite_seen or head.startswith("ال") or end + 1 >= len(tokens)
                                 or not (tokens[end + 1].norm.startswith("ال") or "det" in doc.proclitics(tokens[end + 1].index))):
                break  # an indefinite word only inside an iḍāfa chain (شرطة مكافحة الإرهاب), never
                # after a definite head (الشرطة | اعتقلت المشتبه)
            definite_seen = definite_seen or definite
            end += 1
        if not definite_seen:
            return None
        return _Candidate(i, end, "ORG", None, None, "pattern", 2)

    def _person_candidate(self, norms: Sequence[str], i: int,
                          roles: Sequence[tuple[str, ...]] = ()) -> Optional[_Candidate]:
        head = norms[i][1:] if roles and "conj" in roles[i] else norms[i]
        if head in FUNCTION_WORDS or self.kb.demonym_country(head):
            return None  # على folds to علي; تركي here is "Turkish", not the name Turki
        if head in self.given_names or head in ("عبد", "ابو"):
            return self._name_from(norms, i, i, roles=roles)
        for title in _TITLES_BY_FIRST.get(head, ()):
            n = len(title)
            if tuple(norms[i + 1:i + n]) == title[1:]:
                return self._person_after_title(norms, i, i + n)
        return None

    def _person_after_title(self, norms: Sequence[str], i: int, j: int) -> Optional[_Candidate]:
        """A name right after a title (الرئيس الأمريكي دونالد ترامب, القيادي خليل الحية)."""
        # skip a nationality adjective or an organisation name between title and name
        while j < len(norms):
            match = self.kb.match(norms, j)
            person = self._kb_person(match)
            if person is not None:
                return person  # الرئيس المصري عبد الفتاح السيسي: the knowledge base knows him
            if self.kb.demonym_country(norms[j]) or match:
                j = match.last if match else j + 1
                continue
            break
        if j >= len(norms):
            return None
        return self._name_from(norms, i, j, after_title=True)

    def _kb_person(self, match) -> Optional[_Candidate]:
        if match is None:
            return None
        for hit in match.hits:
            actor = self.kb.actors.get(hit.actor_id)
            if hit.kind == "name" and actor is not None and actor.entity_type == "PER":
                return _Candidate(match.first, match.last, "PER", actor.id, actor.name_en, "kb", 0)
        return None

    def _name_from(self, norms: Sequence[str], anchor: int, i: int, after_title: bool = False,
                   roles: Sequence[tuple[str, ...]] = ()) -> Optional[_Candidate]:
        """Extend a person name starting at token ``i``; ``anchor`` is where the
        candidate's claim starts (the title is consumed but not part of the name)."""
        first = norms[i][1:] if i == anchor and roles and "conj" in roles[i] else norms[i]
        if i == anchor and not roles:
            first = _strip_conjunction(norms[i])
        if not self._name_like(first, strict=True) and first not in self.given_names:
            return None  # after a title too: الرئيس الفلبيني حظر ... is no name
        if after_title and first not in self.given_names and self.word_frequencies[first] >= RARE_AFTER_TITLE:
            return None  # an unknown name after a title is a rare word; a common one is a verb or noun
        if first in ("عبد", "ابو", "ابن", "بن") and i + 1 < len(norms):
            end = i + 2
        else:
            end = i + 1
        while end < len(norms) and end - i < MAX_NAME_TOKENS:
            norm = norms[end]
            clitics = roles[end] if end < len(roles) else ()
            if "conj" in clitics or "prep" in clitics:
                break  # وأسامة: a coordinated second name; لمحاولته: a prepositional phrase
            if norm in NAME_PARTICLES and end + 1 < len(norms):
                end += 2
                continue
            if not self._name_like(norm, strict=end - i >= 1 and norm not in self.given_names):
                break
            end += 1
        if end == i + 1 and not (first in self.given_names and after_title) and not after_title:
            return None  # a lone given name is too weak
        return _Candidate(anchor, end, "PER", None, None, "pattern", 2) if anchor == i else \
            _Candidate(anchor, end, "PER", None, None, "title", 2)

    def _name_like(self, norm: str, strict: bool) -> bool:
        if not norm or not ("\u0621" <= norm[0] <= "\u064a") or norm in FUNCTION_WORDS or len(norm) < 2:
            return False
        if self.kb.demonym_country(norm) or norm in TITLES or norm in NOT_NAMES:
            return False
        if strict and norm.endswith("ا") and self.word_frequencies[norm[:-1]] > 5 * max(1, self.word_frequencies[norm]):
            return False  # an accusative noun (هنية اجتماعا), not a name
        limit = COMMON_WORD_LIMIT if strict else COMMON_WORD_LIMIT * 10
        if strict and norm.startswith("ال"):
            limit = DEFINITE_SURNAME_LIMIT  # الحية yes, المجتمع no
        return self.word_frequencies[norm] < limit or norm in self.given_names

    # -- output -----------------------------------------------------------
    def _entity(self, doc: Document, tokens: Sequence[Token], cand: _Candidate) -> Entity:
        first_index = cand.first
        if cand.origin == "title":
            first_index = self._name_start(tokens, cand)
        head = tokens[first_index]
        start = head.start
        if cand.origin in ("kb", "gazetteer"):
            matched = self._matched_head(doc, tokens, cand)
            skip = proclitic_length(head.norm, matched)
        else:
            skip = 1 if "conj" in doc.proclitics(head.index) else 0
        if skip:
            folded = normalize(head.text)
            start = head.start + folded.raw_span(skip, len(folded.text))[0]
        end = tokens[cand.last - 1].end
        return Entity(doc.text[start:end], cand.type, start, end, cand.actor, cand.name_en, cand.origin)  # type: ignore[arg-type]

    def _matched_head(self, doc: Document, tokens: Sequence[Token], cand: _Candidate) -> str:
        norms = [t.norm for t in tokens]
        if cand.origin == "kb":
            match = self.kb.match(norms, cand.first)
            return match.key[0] if match else norms[cand.first]
        heads = _place_readings(doc, tokens[cand.first])
        return self._place_head(norms, cand.first, cand.last - cand.first, heads) or norms[cand.first]

    def _name_start(self, tokens: Sequence[Token], cand: _Candidate) -> int:
        """First token of the name proper inside a title candidate."""
        norms = [t.norm for t in tokens]
        j = cand.first
        while j < cand.last - 1:
            stripped = _strip_conjunction(norms[j]) if j == cand.first else norms[j]
            if stripped in TITLES or any(stripped == p[0] for p in TITLE_PHRASES) or self.kb.demonym_country(norms[j]) \
                    or norms[j] in FUNCTION_WORDS or (self.kb.match(norms, j) and j + 1 < cand.last):
                j += 1
                continue
            break
        return j

    def _repeated_surnames(self, doc: Document, found: list[Entity]) -> list[Entity]:
        """A surname alone later in the article (بدران after حسام بدران) is the same person."""
        surnames = {}
        for entity in found:
            if entity.type == "PER" and " " in entity.text.strip():
                surname = fold(entity.text.split()[-1])
                if len(surname) >= 3 and surname not in FUNCTION_WORDS:
                    surnames[surname] = entity
        if not surnames:
            return []
        taken = SpanIndex(found)
        extra = []
        for token in doc.tokens:
            if token.kind != "word":
                continue
            for key in lookup_keys(token.norm)[:2]:
                if key in surnames and not taken.covers(token.start):
                    first_seen = surnames[key]
                    if token.start > first_seen.start:
                        skip = len(token.norm) - len(key)
                        folded = normalize(token.text)
                        start = token.start + folded.raw_span(skip, len(folded.text))[0] if skip else token.start
                        if taken.covers(start):       # the clitic-free span is already an entity
                            break
                        extra.append(Entity(doc.text[start:token.end], "PER", start, token.end,
                                            first_seen.actor, first_seen.name_en, "coref"))
                    break
        return extra
