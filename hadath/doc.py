"""The data model: one :class:`Document` owns the raw text; annotations are light,
immutable records that point into it with character offsets.

Offsets are always half-open ``[start, end)`` indices into ``Document.text``, the
raw input, whatever normalisation happened inside a stage.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Optional

EntityType = Literal["PER", "ORG", "LOC"]


@dataclass(frozen=True)
class TextSpan:
    """A verbatim piece of the article."""

    text: str
    start: int
    end: int

    def overlaps(self, other: "TextSpan") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "TextSpan") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Token:
    """A surface token: a whitespace/punctuation-delimited unit of the raw text."""

    index: int
    text: str
    start: int
    end: int
    norm: str                 # folded form (see hadath.text.normalize.fold)
    kind: Literal["word", "number", "latin", "punct", "symbol"]


@dataclass(frozen=True)
class Word:
    """A syntactic word inside a token: Arabic clitics make one token several words
    (و+ب+ال+مدينة).  ``start``/``end`` are raw offsets of this segment."""

    token_index: int
    text: str                 # folded segment
    start: int
    end: int
    role: Literal["conj", "prep", "future", "det", "stem", "pron"]


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    token_start: int          # index of first token
    token_end: int            # one past the last token


@dataclass(frozen=True)
class Entity:
    """A named PER/ORG/LOC mention."""

    text: str
    type: EntityType
    start: int
    end: int
    actor: Optional[str] = None       # canonical actor id (knowledge base) or None
    name_en: Optional[str] = None
    origin: str = "gazetteer"         # which recogniser produced it
    confidence: float = 1.0


@dataclass(frozen=True)
class Mention:
    """A reference to an actor: a named entity, a nominal (الفصائل، الجيش) or a
    generic agent (المستوطنين).  ``antecedent`` is the earlier mention this one was
    resolved to by in-document coreference, if any."""

    text: str
    start: int
    end: int
    actor: Optional[str]
    name_en: Optional[str]
    country: Optional[str]            # ISO 3166 alpha-3 (or PLOVER special code)
    sector: Optional[str]             # PLOVER/CAMEO sector: GOV, MIL, REB, PTY, IGO ...
    kind: Literal["named", "nominal", "generic"] = "named"
    entity_type: Optional[EntityType] = None
    antecedent: Optional[TextSpan] = None
    qid: Optional[str] = None


@dataclass(frozen=True)
class Place:
    """A geocoded location mention."""

    text: str
    start: int
    end: int
    name_en: Optional[str]
    geonameid: Optional[int]
    lat: Optional[float]
    lon: Optional[float]
    country: Optional[str]            # ISO alpha-3
    feature: str = "city"             # site | city | district | province | region | country
    resolution: int = 4               # PLOVER: 5 sub-city, 4 city, 3 district, 2 province, 1 country
    confidence: float = 1.0


@dataclass(frozen=True)
class DateMention:
    """A date expression resolved to a calendar date (relative ones against the
    publication date)."""

    text: str
    start: int
    end: int
    value: date
    precision: Literal["day", "week", "month", "year"]
    calendar: Literal["gregorian", "hijri", "relative"]


@dataclass(frozen=True)
class Participant:
    """Source or target of an event, or the speaker of a quote."""

    text: str
    start: int
    end: int
    actor: Optional[str] = None
    name_en: Optional[str] = None
    country: Optional[str] = None
    sector: Optional[str] = None
    resolved_text: Optional[str] = None   # antecedent's text when reached by coreference
    qid: Optional[str] = None


#: Modalities of events that took place.
REALIS = frozenset({"asserted", "historical"})


@dataclass(frozen=True)
class Event:
    type: str                 # PLOVER event type
    cameo: str                # CAMEO code
    trigger: TextSpan
    sentence: TextSpan
    source: Optional[Participant] = None
    target: Optional[Participant] = None
    location: Optional[Place] = None
    date: Optional[date] = None
    date_precision: Optional[str] = None   # day | week | month | year | published
    mode: Optional[str] = None
    negated: bool = False
    # historical: it took place, but the article reports it as background, dated well before
    # the publication date (the event's date is then that earlier date)
    modality: Literal["asserted", "future", "hypothetical", "conditional", "historical"] = "asserted"
    confidence: float = 0.5
    quad_class: Optional[int] = None       # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    intensity: Optional[float] = None      # PLOVER/Goldstein-like scale, -10..10
    in_quote: bool = False                 # asserted inside a quote rather than by the reporter

    @property
    def happened(self) -> bool:
        """The text says it took place: not negated, and reported (``asserted``) or recalled
        as background (``historical``), not planned, hypothetical or conditional."""
        return not self.negated and self.modality in REALIS


@dataclass(frozen=True)
class Quote:
    speaker: Optional[Participant]
    cue: TextSpan
    content: TextSpan
    direct: bool


@dataclass
class Document:
    """The article and every layer of annotation on it.

    Stages fill the layers in order; ``text`` is never modified.
    """

    text: str
    id: str = "doc"
    published: Optional[date] = None
    title: Optional[str] = None
    url: Optional[str] = None
    source: Optional[str] = None
    tokens: tuple[Token, ...] = ()
    words: tuple[Word, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    quoted: tuple[TextSpan, ...] = ()       # regions inside quotation marks
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    places: tuple[Place, ...] = ()
    dates: tuple[DateMention, ...] = ()
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    focus_country: Optional[str] = None     # ISO alpha-3 the article is mostly about
    meta: dict = field(default_factory=dict)
    layers_done: set[str] = field(default_factory=set)

    def span(self, start: int, end: int) -> TextSpan:
        return TextSpan(self.text[start:end], start, end)

    def sentence_at(self, offset: int) -> Optional[Sentence]:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def span_index(self, layer: str):
        """A :class:`hadath.spans.SpanIndex` over a layer (``"quoted"``, ``"entities"``,
        ``"mentions"`` ...), rebuilt only when the layer was replaced."""
        from hadath.spans import SpanIndex

        items = getattr(self, layer)
        cache = self.meta.setdefault("_span_indexes", {})
        hit = cache.get(layer)
        if hit is None or hit[0] is not items:
            hit = (items, SpanIndex(items))
            cache[layer] = hit
        return hit[1]

    def word_roles(self, token_index: int) -> tuple[str, ...]:
        """Roles of the words of a token, in order (``("conj", "det", "stem", "pron")``)."""
        table = self.meta.get("_word_roles")
        if table is None or len(table) != len(self.tokens):
            rows: list[list[str]] = [[] for _ in self.tokens]
            for word in self.words:
                rows[word.token_index].append(word.role)
            table = [tuple(r) for r in rows]
            self.meta["_word_roles"] = table
        return table[token_index]

    def proclitics(self, token_index: int) -> tuple[str, ...]:
        """Roles of the clitics before the stem of a token (``("conj", "prep", "det")``)."""
        roles = self.word_roles(token_index)
        return roles[: roles.index("stem")] if "stem" in roles else roles

    def without_conjunction(self, token: Token) -> str:
        """The token's folded form without the و/ف the words layer split off (وهاجموا ->
        هاجموا), and whole when none was (وحدة stays وحدة)."""
        return token.norm[1:] if "conj" in self.proclitics(token.index) else token.norm

    def sentence_tokens(self, sentence: Sentence) -> tuple[Token, ...]:
        return self.tokens[sentence.token_start:sentence.token_end]
