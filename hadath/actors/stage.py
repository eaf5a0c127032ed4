"""The actor stage: every reference to an actor becomes a :class:`Mention` linked to
the knowledge base, with in-document coreference.

* named aliases (حركة حماس، نتنياهو) link directly, spelling variants the tagger
  finds (ترمب، أفورقى) through :meth:`KnowledgeBase.fuzzy_link`;
* office phrases (وزير الخارجية الروسي) resolve to the holder on the publication date;
* generic agents (الجيش الإسرائيلي، المستوطنين) link to country agents;
* nominals (الفصائل، الحركة) link to the most recent earlier mention of an actor
  that lists them, and keep that mention as ``antecedent``;
* names the KB lacks get a stable NIL id (``nil:per:<folded name>``) and an English
  name (persons romanised, organisations translated: :mod:`hadath.actors.english`),
  and a bare surname joins the full name mentioned before it.
"""
from __future__ import annotations

from collections import Counter

from dataclasses import dataclass
from typing import Optional

from hadath.actors.kb import Actor, AliasMatch, KnowledgeBase
from hadath.actors.english import EnglishNamer
from hadath.doc import Document, Entity, Mention, TextSpan
from hadath.spans import SpanIndex
from hadath.text.clitics import proclitic_length
from hadath.text.function_words import FUNCTION_WORDS
from hadath.text.normalize import fold, normalize


GENERIC_NOUNS: dict[str, frozenset[str]] = {
    suffix: frozenset(fold(w) for w in words.split()) for suffix, words in {
        "MIL": "طائرات طائره طيران مقاتلات مقاتله قوات جنود جندي دبابات زوارق بوارج مدفعيه جيش وحدات عسكريون "
               "عسكريين عسكري ضباط ضابط صواريخ مروحيات وحده قوه فرقه كتيبه لواء دوريه مدرعات اليات "
               "غاره غارات ضربه ضربات قصف صاروخ قذيفه قذائف دبابه توغل",
        "COP": "شرطه امن شرطي عناصر",
        "GOV": "مسؤول مسؤولون مسؤولين وزير دبلوماسي دبلوماسيون دبلوماسيين مصادر مصدر سفير وفد حكومه مبعوث "
               "متحدث سلطات اداره",
        "CVL": "مواطن مواطنون مواطنين مدنيين مدنيون مدني متظاهرون متظاهرين محتجون محتجين سياح عمال لاجئين",
    }.items()}

#: Adjectives that may stand between a military noun and its nationality (غارة جوية إسرائيلية).
MIDDLE_ADJECTIVES = frozenset(fold(w) for w in "جويه جوي صاروخي صاروخيه مدفعي بريه بحريه عسكري عسكريه".split())


def _focus_country(mentions) -> Optional[str]:
    """The ISO3 country the mentions name most often (the article's focus), or None;
    a tie goes to the country named first (never to hash order, so every process
    gives the same answer)."""
    countries = Counter(m.country for m in mentions if m.country and len(m.country) == 3)
    return countries.most_common(1)[0][0] if countries else None


# head noun of a state body -> (agent suffix, whether its country must be named in it);
# bodies whose head is also used by non-state bodies (هيئة، لجنة، مجلس) need the country named
INSTITUTION_HEADS: dict[str, tuple[str, bool]] = {
    fold(word): (suffix, needs_country) for words, suffix, needs_country in (
        ("وزارة وزاره رئاسة", "GOV", False),
        ("هيئة لجنة مجلس مكتب مديرية دائرة مصلحة", "GOV", True),
        ("سفارة سفاره قنصلية", "MFA", False),
        ("محكمة نيابة", "JUD", False),
        ("شرطة", "COP", False),
        ("جيش", "MIL", False),
        ("برلمان", "LEG", False),
    ) for word in words.split()}


@dataclass
class ActorStage:
    kb: KnowledgeBase
    namer: EnglishNamer
    given_names: frozenset[str] = frozenset()     # folded; never taken for a known person's surname
    name: str = "actors"
    requires: tuple[str, ...] = ("tokens", "sentences", "entities")
    provides: tuple[str, ...] = ("mentions",)

    def __call__(self, doc: Document) -> Document:
        mentions: list[Mention] = []
        covered: list[TextSpan] = []
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            norms = [t.norm for t in tokens]
            i = 0
            while i < len(tokens):
                match = self.kb.match(norms, i) if tokens[i].kind == "word" else None
                if not match:
                    i += 1
                    continue
                mention = self._from_match(doc, tokens, match, mentions)
                if mention is not None:
                    mentions.append(mention)
                    covered.append(TextSpan(mention.text, mention.start, mention.end))
                i = match.last
        known = SpanIndex(covered)
        doc_countries = frozenset(m.country for m in mentions if m.country and len(m.country) == 3)
        focus = _focus_country(mentions)
        for entity in doc.entities:
            if entity.type == "LOC" or any(m.start <= entity.start and entity.end <= m.end
                                           for m in known.overlapping(entity.start, entity.end)):
                continue
            mentions.append(self._unlisted_mention(entity, doc_countries, focus, mentions))
            covered.append(TextSpan(entity.text, entity.start, entity.end))
        mentions.extend(self._demonym_mentions(doc, SpanIndex(covered)))
        mentions.sort(key=lambda m: m.start)
        doc.mentions = tuple(self._surname_coref(mentions))
        doc.entities = tuple(self._link_entities(doc.entities, doc.mentions))
        doc.focus_country = _focus_country(doc.mentions)
        return doc

    def _span(self, doc: Document, tokens, match: AliasMatch) -> tuple[int, int]:
        head = tokens[match.first]
        skip = proclitic_length(head.norm, match.key[0])
        start = head.start
        if skip:
            folded = normalize(head.text)
            start += folded.raw_span(skip, len(folded.text))[0]
        return start, tokens[match.last - 1].end

    def _from_match(self, doc: Document, tokens, match: AliasMatch, earlier: list[Mention]) -> Optional[Mention]:
        start, end = self._span(doc, tokens, match)
        text = doc.text[start:end]
        named = [h for h in match.hits if h.kind == "name"]
        if named:
            actor = self.kb.actors[named[0].actor_id]
            return self._mention(text, start, end, actor, "named")
        holder = self.kb.office_holder(match.key, doc.published)
        if holder:
            return self._mention(text, start, end, self.kb.actors[holder], "generic")
        agents = [h for h in match.hits if h.kind in ("agent", "office")]
        if agents:
            return self._mention(text, start, end, self.kb.actors[agents[0].actor_id], "generic")
        nominal_ids = {h.actor_id for h in match.hits if h.kind == "nominal"}
        for previous in reversed(earlier):
            if previous.actor in nominal_ids:
                actor = self.kb.actors[previous.actor]
                antecedent = previous.antecedent or TextSpan(previous.text, previous.start, previous.end)
                return self._mention(text, start, end, actor, "nominal", antecedent)
        if nominal_ids:
            return Mention(text, start, end, None, None, None, None, "nominal")
        return None

    def _demonym_mentions(self, doc: Document, covered: SpanIndex) -> list[Mention]:
        """A noun with a nationality adjective names a generic state or national actor
        (طائرات إسرائيلية -> Israel military, مسؤول أمريكي -> US government)."""
        out: list[Mention] = []
        for k in range(1, len(doc.tokens)):
            token, noun = doc.tokens[k], doc.tokens[k - 1]
            if token.kind != "word" or noun.kind != "word" or noun.norm in FUNCTION_WORDS:
                continue
            iso = self.kb.demonym_country(token.norm)
            if iso is None or covered.overlapping(noun.start, token.end):
                continue
            if (noun.norm[2:] if noun.norm.startswith("ال") else noun.norm) in MIDDLE_ADJECTIVES and k >= 2 \
                    and doc.tokens[k - 2].kind == "word":
                noun = doc.tokens[k - 2]  # ضربة جوية أميركية: an adjective between noun and nationality
                if covered.overlapping(noun.start, token.end):
                    continue
            bare = doc.without_conjunction(noun)
            # the reading without a split-off و first, then the whole word (وحدة is not و+حدة)
            readings = ((bare, 1), (noun.norm, 0)) if bare != noun.norm else ((bare, 0),)
            found = next(((sfx, skip) for form, skip in readings for sfx, nouns in GENERIC_NOUNS.items()
                          if (form[2:] if form.startswith("ال") else form) in nouns), None)
            if found is None:
                continue
            suffix, skip = found
            actor = self.kb.actors.get(f"{iso}_{suffix}") or self.kb.actors.get(iso)
            if actor is None:
                continue
            start = noun.start + skip
            out.append(self._mention(doc.text[start:token.end], start, token.end, actor, "generic"))
        return out

    @staticmethod
    def _mention(text: str, start: int, end: int, actor: Actor, kind: str,
                 antecedent: Optional[TextSpan] = None) -> Mention:
        return Mention(text, start, end, actor.id, actor.name_en, actor.country, actor.sector, kind,  # type: ignore[arg-type]
                       actor.entity_type, antecedent, actor.qid)  # type: ignore[arg-type]

    def _unlisted_mention(self, entity: Entity, doc_countries: frozenset[str], focus: Optional[str],
                          earlier: list[Mention]) -> Mention:
        """A tagged name no alias matched: a spelling variant, an ambiguous alias the
        tagger confirms, a state institution of a known country, or NIL."""
        if entity.actor is None:
            actor_id = self.kb.fuzzy_link(entity.text, entity.type, doc_countries, self.given_names) \
                or self.kb.ambiguous_link(entity.text, entity.type)
            if actor_id is not None:
                return self._mention(entity.text, entity.start, entity.end, self.kb.actors[actor_id], "named")
            if entity.type == "ORG":
                agent = self._institution_agent(entity.text, focus)
                if agent is not None:
                    return Mention(entity.text, entity.start, entity.end, agent.id,
                                   self.namer(entity.text, "ORG") or agent.name_en, agent.country, agent.sector,
                                   "named", "ORG")
        return self._nil_mention(entity, earlier)

    def _institution_agent(self, text: str, focus: Optional[str]) -> Optional[Actor]:
        """The country agent of a state body the KB does not list (وزارة المالية،
        السفارة الألمانية، محكمة بئر السبع المركزية): by its head noun, for the country its
        name states or, for unambiguously state heads, the article's focus country."""
        words = fold(text).split()
        if not words:
            return None
        head = words[0][2:] if words[0].startswith("ال") else words[0]
        entry = INSTITUTION_HEADS.get(head)
        if entry is None:
            return None
        suffix, needs_demonym = entry
        country = self._country_named_in(words[1:])
        if country is None and not needs_demonym:
            country = focus
        return self.kb.actors.get(f"{country}_{suffix}") if country else None

    def _country_named_in(self, words: list[str]) -> Optional[str]:
        """ISO3 of the first nationality adjective (not a glossary word: المالية is finance)
        or country name among folded ``words``."""
        for word in words:
            if not self.namer.is_glossary_word(word):
                iso = self.kb.demonym_country(word)
                if iso:
                    return iso
        for k in range(len(words)):
            match = self.kb.match(words, k)
            if match and match.hits:
                actor = self.kb.actors.get(match.hits[0].actor_id)
                if actor is not None and actor.type == "country":
                    return actor.id
        return None

    def _nil_mention(self, entity: Entity, earlier: list[Mention]) -> Mention:
        key = fold(entity.text)
        actor_id = entity.actor or f"nil:{entity.type.lower()}:{key.replace(' ', '_')}"
        actor = self.kb.actors.get(actor_id)
        name_en = actor.name_en if actor else (entity.name_en or self.namer(entity.text, entity.type))
        return Mention(entity.text, entity.start, entity.end, actor_id, name_en,
                       actor.country if actor else None, actor.sector if actor else None,
                       "named", entity.type)

    @staticmethod
    def _surname_coref(mentions: list[Mention]) -> list[Mention]:
        """A one-word PER mention that ends an earlier multi-word name takes its actor."""
        out: list[Mention] = []
        for mention in mentions:
            if mention.entity_type == "PER" and " " not in mention.text.strip():
                key = fold(mention.text)
                for previous in reversed(out):
                    if previous.entity_type == "PER" and " " in previous.text.strip() \
                            and fold(previous.text).split()[-1] == key:
                        mention = Mention(mention.text, mention.start, mention.end, previous.actor, previous.name_en,
                                          previous.country, previous.sector, mention.kind, "PER",
                                          TextSpan(previous.text, previous.start, previous.end), previous.qid)
                        break
            out.append(mention)
        return out

    @staticmethod
    def _link_entities(entities, mentions) -> list[Entity]:
        """Copy actor ids and English names from mentions onto the entities they cover."""
        by_span = {(m.start, m.end): m for m in mentions}
        index = SpanIndex(mentions)
        out = []
        for entity in entities:
            mention = by_span.get((entity.start, entity.end))
            if mention is None:
                mention = next((m for m in index.overlapping(entity.start, entity.end)
                                if m.start <= entity.start and entity.end <= m.end), None)
            if mention is not None and mention.actor:
                entity = Entity(entity.text, entity.type, entity.start, entity.end, mention.actor,
                                mention.name_en or entity.name_en, entity.origin, entity.confidence)
            out.append(entity)
        return out
