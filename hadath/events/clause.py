"""Clause structure around an event trigger: the word lists and token tests that need
no lexicon.

The event coder (:mod:`hadath.events.coder`) and the role finder
(:mod:`hadath.events.roles`) share them: a trigger word's readings (و/ف, future س,
object pronouns), where its clause ends, whether it opens reported speech (أن، إن),
which support verb governs an event noun (شنت غارة، تم اعتقال، اندلعت اشتباكات), and
its negation, tense and condition.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from hadath.actors.participants import ADVERBIALS, is_participle
from hadath.doc import Document, Participant, Token
from hadath.events.lexicon import TriggerEntry
from hadath.text.clitics import CONJUNCTIONS, FUTURE, IMPERFECTIVE_PREFIXES, lookup_keys, strip_enclitic
from hadath.text.function_words import FUNCTION_WORDS, NEGATIONS, RELATIVES
from hadath.text.normalize import fold

EVENT_NEGATIONS = NEGATIONS - {fold("ما")}  # ما أسفر عن مقتل: a relative, not a negation
CONDITIONALS = frozenset(fold(w) for w in "إذا اذا لو حال حالة لولا".split())
# بعد أن تخلى، قبل أن يُقتل، سبق أن: a subjunctive that tells what did happen
NARRATIVE_BEFORE_AN = frozenset(fold(w) for w in "بعد قبل منذ سبق وبعد وقبل وسبق لسبق".split())
# Words after an event noun that schedule it (اجتماع مقرر، القمة المقبلة) and verbs of holding
# it in the future after س (سيعقد، ستجرى); purpose masdars before it (لإجراء مشاورات).
PLANNED = frozenset(fold(w) for w in "مقرر مقررا المقرر مقررة المقررة المرتقب المرتقبة مرتقب مرتقبة المقبل المقبلة".split())
HELD = frozenset(fold(w) for w in "يعقد تعقد يجري تجرى يجرى تجري يقام تقام".split())
PURPOSE_MASDARS = frozenset(fold(w) for w in "لإجراء لعقد لبدء لتوقيع لإطلاق".split())
SUBJUNCTIVE = frozenset(fold(w) for w in "أن كي لكي".split())  # + imperfective: intended, expected, required
FUTURE_WORDS = frozenset(fold(w) for w in "سوف سيتم ستقوم سيقوم".split())
DENIALS = frozenset(fold(w) for w in "نفى نفت ينفي تنفي نفوا".split())
COMMA = {",", "،", ";", "؛", ":"}
OPEN_QUOTES = {'"', "«", "“", "'"}
THAT_WORDS = frozenset(fold(w) for w in "أن إن أنه إنه أنها إنها بأن".split())
THAT_PRONOUNS = frozenset(fold(w) for w in "أنه إنه انه أنها إنها انها بأنه بأنها".split())
BACKGROUND_PREPS = frozenset(fold(w) for w in "عقب بعد قبل خلال إثر اثر منذ أثناء اثناء حول بشأن".split())
VIOLENT_TYPES = {"ASSAULT", "COERCE"}       # their perfective verbs also read as passives (قتل / قُتل)
REFLEXIVE = ("نفس", "انفس")   # نفسه، أنفسهم: the doer's own self (فجر نفسه)
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


@dataclass(frozen=True)
class Trigger:
    """A trigger word found in a sentence, with the lexicon entry it reads as."""
    index: int          # token index within the sentence
    entry: TriggerEntry
    key: str            # lexicon form that matched
    verbal: bool


def verb_keys(norm: str, conj: bool = True, pronoun: bool = True) -> list[str]:
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


def bare_verb(norm: str) -> str:
    """A word without a leading و/ف (وتم → تم)."""
    return norm[1:] if norm[:1] in CONJUNCTIONS and len(norm) > 2 else norm


def noun_keys(norm: str) -> list[str]:
    """Readings of a noun token: without proclitics (وال، بال، ل ...) and without a
    possessive pronoun."""
    keys = lookup_keys(norm)
    for key in list(keys):
        keys.extend(strip_enclitic(key))
    return list(dict.fromkeys(keys))


def generic(participant: Optional[Participant]) -> bool:
    """A generic actor (people, soldiers, gunmen: a sector and no country)."""
    return participant is not None and participant.actor is not None and participant.country is None \
        and participant.sector is not None


def reflexive(trig: Trigger) -> bool:
    """فجر نفسه: a suicide bombing, whose counted subject is the bombers."""
    return any(word.startswith(REFLEXIVE) for word in trig.entry.phrase_object)


def perfective(trig: Trigger) -> bool:
    """A past-tense reading: not an imperfective (ي/ت/ن/أ + stem) and not a masdar."""
    key = trig.key
    return not (key[:1] in IMPERFECTIVE_PREFIXES and len(key) > 3 and not trig.entry.lemma.startswith(("ت", "ا", "أ")))


def standalone(doc: Document, tokens: Sequence[Token], trig: Trigger) -> bool:
    """A bare event noun that reports an event by itself (مقتل 5 أشخاص), rather than
    referring back to a known one (عقب الاجتماع)."""
    if not trig.entry.standalone:
        return False
    if "det" in doc.proclitics(tokens[trig.index].index):
        return False
    previous = tokens[trig.index - 1].norm if trig.index else ""
    return previous not in BACKGROUND_PREPS


def plural_participle(doc: Document, token: Token) -> bool:
    """مطالبين، منددين، مرددين: a verbal trigger in the plural participle form shares the
    subject of the main verb (تجمع المتظاهرون مطالبين الحكومة ...) and has none of its own."""
    bare = doc.without_conjunction(token)
    return len(bare) >= 6 and bare.startswith("م") and bare.endswith("ين")


def plural_agreement(doc: Document, token: Token) -> bool:
    """A perfective verb with the plural subject suffix -وا (هاجموا، اغتالوا)."""
    bare = doc.without_conjunction(token)
    return len(bare) >= 4 and bare.endswith("وا")


def agent_genitive(doc: Document, tokens: Sequence[Token], k: int) -> bool:
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


def reported(tokens: Sequence[Token], i: int) -> Optional[int]:
    """Index of the أن/إن that opens the reported clause holding token ``i``, if any
    (looking back no further than the previous comma or quotation mark; a comma right
    before a verb without و may close a long subject: إن مهاجما من طالبان، فجر)."""
    first = i - 1
    long_subject = 0 < first < len(tokens) and tokens[first].norm in COMMA and tokens[i].norm[:1] != "و" \
        and not is_participle(tokens[i].norm)  # فجر is no ف+; مهددا، داعيا share the main subject
    if long_subject:
        first -= 1
    for j in range(first, -1, -1):
        if tokens[j].norm in THAT_WORDS:
            if long_subject and (tokens[j].norm in THAT_PRONOUNS or any(
                    t.norm in RELATIVES or t.norm.endswith("وا") for t in tokens[j + 1:first + 1])):
                return None  # ان المتظاهرين وافقوا على التفاوض، نفى: the clause ended at the comma
            return j
        if tokens[j].norm in COMMA or tokens[j].text in OPEN_QUOTES or tokens[j].text in ('»', '”'):
            return None
    return None


def reported_clause(tokens: Sequence[Token], i: int) -> Optional[tuple[int, int]]:
    """The أن/إن opening the reported clause of token ``i`` and the first word after
    it (past quotation marks), or None outside reported speech."""
    j = reported(tokens, i)
    if j is None:
        return None
    start = j + 1
    while start < i and (tokens[start].kind != "word" or tokens[start].text in OPEN_QUOTES):
        start += 1
    return j, start


def clause_end(tokens: Sequence[Token], i: int) -> int:
    """Tokens up to the next «، و<verb>»-style break or the sentence end."""
    for k in range(i + 1, len(tokens)):
        if tokens[k].norm in COMMA and k + 1 < len(tokens) and tokens[k + 1].norm[:1] in CONJUNCTIONS:
            return k
    return len(tokens)


SUPPORT_REACH = 14    # words back from an event noun to its listed support verb
SENTENCE_ENDS = frozenset({".", "!", "?"})
GOVERNING_PREPOSITIONS = frozenset(fold(w) for w in ("إلى", "الى", "على"))


def support_before(tokens: Sequence[Token], i: int, entry: TriggerEntry) -> Optional[int]:
    """The support verb governing the event noun at ``i``: the impersonal تم/جرى
    right before it or before the masdar that precedes it (تم توجيه اتهامات), one the
    entry lists (شنت غارة), for any event noun after ب the light verb قام (قام
    مسلحون بخطف ...), an order for the acts an order carries out (أمرت باحتجاز), or
    else a verb of occurrence up to four words before it (اندلعت اشتباكات، شهدت
    مدينة البصرة تظاهرات)."""
    for j in range(i - 1, max(-1, i - 3), -1):
        if tokens[j].kind != "word" or tokens[j].norm in FUNCTION_WORDS:
            break
        if bare_verb(tokens[j].norm) in PASSIVE_LIGHT_VERBS:
            return j
    support = set(entry.support)
    light = tokens[i].norm[:1] == "ب" or tokens[i].norm[:2] == "وب"
    ordered = entry.plover in ORDERED_TYPES
    if support or light or ordered:
        # an entry's own support verb may stand before a long subject (توصل الرئيس الجنوب
        # السوداني سالفا كير وزعيم المعارضة رياك مشار إلى اتفاق)
        # (further than 7 words only when the noun is the verb's prepositional complement: إلى اتفاق)
        governed = i > 0 and tokens[i - 1].norm in GOVERNING_PREPOSITIONS
        for j in range(i - 1, max(-1, i - (SUPPORT_REACH if governed else 8)), -1):
            if tokens[j].norm in COMMA or tokens[j].norm in SENTENCE_ENDS:
                break
            keys = verb_keys(tokens[j].norm)
            if any(k in support for k in keys) or (light and any(k in LIGHT_VERBS for k in keys)) \
                    or (ordered and j >= i - 4 and any(k in DECISION_VERBS for k in keys)):
                return j
    for j in range(i - 1, max(-1, i - 5), -1):
        if tokens[j].kind != "word" or tokens[j].norm in COMMA:
            return None
        if bare_verb(tokens[j].norm) in OCCURRENCE_VERBS:
            return j
        if tokens[j].norm in FUNCTION_WORDS:
            return None
    return None


def impersonal(tokens: Sequence[Token], support: int, entry: TriggerEntry) -> bool:
    """Whether the support verb at ``support`` names no doer: تم/جرى, or a verb of
    occurrence that is not one of the entry's own support verbs (وقّع شراكة has a
    subject; وقع هجوم has none)."""
    bare = bare_verb(tokens[support].norm)
    if bare in PASSIVE_LIGHT_VERBS:
        return True
    return bare in OCCURRENCE_VERBS and not any(k in entry.support for k in verb_keys(tokens[support].norm))


def subjunctive_form(bare: str) -> bool:
    """An imperfective after أن (يقوم، تعتقل، نشن), which is then a subjunctive; not a
    perfective of the تفاعل pattern (أن تظاهر المئات) nor any ا-initial perfective."""
    if len(bare) <= 3 or bare[:1] not in ("ي", "ت", "ن"):
        return False
    if bare.endswith("وا") and bare[:1] != "ي":
        return False  # أن نظموا مظاهرة: a perfective plural (the subjunctive is ينظموا)
    return not (bare[:1] == "ت" and bare[2:3] == "ا")


def modality_of(tokens: Sequence[Token], i: int, verbal: bool = True) -> tuple[bool, str]:
    """Negation (لم، لن، لا، نفى) and future/conditional marking from the verb's
    prefix (سيزور) and the three words before it: ``(negated, modality)``."""
    negated = False
    mode = "asserted"
    norm = tokens[i].norm
    bare = norm[1:] if norm[:1] in CONJUNCTIONS and len(norm) > 3 else norm
    if verbal and bare[:1] == FUTURE and bare[1:2] in IMPERFECTIVE_PREFIXES:
        mode = "future"
    if verbal and i and tokens[i - 1].norm in SUBJUNCTIVE and subjunctive_form(bare) \
            and not (i >= 2 and tokens[i - 2].norm in NARRATIVE_BEFORE_AN):
        mode = "future"  # يتوقع أن تعتقل الشرطة، يعتزم أن يقوم الخبراء بالتحقيق: not done (yet)
    for j in range(max(0, i - 3), i):
        prev = tokens[j].norm
        word = prev[1:] if prev[:1] in CONJUNCTIONS and len(prev) > 2 else prev
        if word in EVENT_NEGATIONS:
            negated = True
            if word == "لن":
                mode = "future"
        if word in DENIALS:
            negated = True
        if word in FUTURE_WORDS:
            mode = "future"
        if word in CONDITIONALS:
            mode = "conditional"
    if not verbal and mode == "asserted" and planned_noun(tokens, i):
        mode = "future"
    return negated, mode


def planned_noun(tokens: Sequence[Token], i: int) -> bool:
    """An event noun that is scheduled, not held: qualified as planned (اجتماع مقرر،
    القمة المقبلة، اجتماعا سيعقد) or the object of a purpose masdar (لإجراء مشاورات، لعقد
    اجتماع)."""
    after = [t.norm for t in tokens[i + 1:i + 3]]
    if any(w in PLANNED or (w[:1] == FUTURE and w[1:2] in IMPERFECTIVE_PREFIXES and len(w) > 3 and w[1:] in HELD)
           for w in after):
        return True
    return i > 0 and tokens[i - 1].norm in PURPOSE_MASDARS
