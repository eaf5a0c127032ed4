"""Who attacked whom: role patterns of violent events that plain clause order misses.

News of attacks reports victims as subjects (تعرضت القوات الأمريكية لهجوم، قتل أربعة
أشخاص) and names the doer in a passive agent phrase (على يد مسلحين، برصاص رجال الأمن)
or in a relative clause after the event noun (هجوم شنه متمردون، الهجوم الذي نفذته
طالبان).  The event coder asks these helpers only for ASSAULT and COERCE events; each
returns ``None`` when its pattern is absent.
"""
from __future__ import annotations

from typing import Optional, Sequence

from hadath.actors.participants import (SENTENCE_BREAKS, MentionIndex, counted_phrase_end, noun_phrase_end,
                                        participant_in, subject_after, subject_before)
from hadath.doc import Document, Participant, Token
from hadath.text.clitics import strip_enclitic
from hadath.text.normalize import fold

EXPOSED_VERBS = frozenset(fold(w) for w in "تعرض تعرضت تعرضوا تعرضا يتعرض تتعرض يتعرضون".split())
RELATIVES = frozenset(fold(w) for w in "الذي التي الذين".split())
SUPPORT_AFTER = frozenset(fold(w) for w in """شن شنت شنوا شنه شنها شنته شنتها شنوه شنوها نفذ نفذت نفذوا ارتكب
ارتكبت ارتكبوا تبنى تبنت""".split())
AIMING_VERBS = frozenset(fold(w) for w in "استهدف استهدفت استهدفا استهدفتا استهدفوا مستهدفا مستهدفة مستهدفين".split())
RESULT_VERBS = frozenset(fold(w) for w in "أدى ادى أدت ادت أسفر اسفر أسفرت اسفرت أوقع اوقع أوقعت اوقعت خلف خلفت".split())
RESULT_PREPOSITIONS = frozenset(fold(w) for w in "إلى الى عن".split())
CASUALTY_NOUNS = frozenset(fold(w) for w in "مقتل إصابة اصابة جرح سقوط مصرع استشهاد وإصابة واصابة وجرح".split())
#: Words that open another clause: an agent phrase beyond them is another event's.
CLAUSE_LINKS = frozenset(fold(w) for w in "بينما فيما حيث عندما حين بعدما لكن وبينما وفيما وحيث".split())
COMMAS = SENTENCE_BREAKS | {",", "،", ":"}
#: Words after على/ب that do not start a target (على الأقل، على الأرجح).
NOT_TARGETS = frozenset(fold(w) for w in """الأقل الاقل الأكثر الاكثر الأرجح الارجح الفور خلفية إثر اثر حد نحو
يد أيدي ايدي طريق مقربة بعد مسافة الأرض الارض الصعيد""".split())


def exposed_subject(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex) -> Optional[Participant]:
    """تعرضت القوات الأمريكية لهجوم: the subject of تعرض governing the ل-event noun at
    ``i`` is the event's target (after the verb, or before it: قاعدة ... تعرضت لهجوم)."""
    if not tokens[i].norm.startswith("ل"):
        return None
    for k in range(i - 1, max(-1, i - 10), -1):
        if tokens[k].norm in SENTENCE_BREAKS:
            return None  # a comma may set off a time or a title (تعرض قيادي ...، الثلاثاء، للخطف)
        if doc.without_conjunction(tokens[k]) in EXPOSED_VERBS:
            if k + 1 < i:
                end = min(i, noun_phrase_end(doc, tokens, k + 1))
                if end > k + 1:
                    return participant_in(doc, tokens, k + 1, end, index)
            return subject_before(doc, tokens, k, index)
    return None


def agent_phrase(doc: Document, tokens: Sequence[Token], start: int, limit: int,
                 index: MentionIndex) -> Optional[Participant]:
    """The doer of a passive or of an event noun: على يد/أيدي X، برصاص X، من قبل X."""
    for k in range(start, min(limit, len(tokens))):
        norm = tokens[k].norm
        if norm in COMMAS or norm in CLAUSE_LINKS:
            return None
        after = None
        if norm in ("علي", "على") and k + 1 < len(tokens) and tokens[k + 1].norm in ("يد", "ايدي"):
            after = k + 2
        elif norm in ("برصاص", "برصاصه", "بنيران"):
            after = k + 1
        elif norm == "من" and k + 1 < len(tokens) and tokens[k + 1].norm == "قبل" and k + 2 < len(tokens) \
                and tokens[k + 2].kind == "word":
            after = k + 2
        if after is not None and after < len(tokens):
            end = noun_phrase_end(doc, tokens, after)
            if end > after:
                return participant_in(doc, tokens, after, end, index)
    return None


def relative_doer(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex) -> Optional[Participant]:
    """هجوم شنه متمردون، الهجوم الذي نفذته طالبان، غارة جوية شنتها طائرة: the subject of
    a support verb that follows the event noun at ``i`` (after its adjectives)."""
    k = i + 1
    while k < len(tokens) and k - i <= 3 and tokens[k].kind == "word" and not doc.proclitics(tokens[k].index) \
            and tokens[k].norm.startswith("ال") == tokens[i].norm.startswith("ال") \
            and _verb_stem(tokens[k].norm) not in SUPPORT_AFTER and tokens[k].norm not in RELATIVES:
        k += 1  # adjectives: هجوم مسلح، غارة جوية
    if k < len(tokens) and tokens[k].norm in RELATIVES:
        k += 1
    if k >= len(tokens) or _verb_stem(tokens[k].norm) not in SUPPORT_AFTER:
        return None
    # any noun phrase: after شنه/نفذه the doer is the subject even when unknown (متطرف إسلامي)
    subject, _ = subject_after(doc, tokens, k + 1, index, require_actor=False)
    return subject


ATTRIBUTED = frozenset(fold(w) for w in "نسب نسبت نسبه نسبها نسبته".split())   # نسب إلى X: attributed to X
TO = frozenset(fold(w) for w in ("إلى", "الى"))
# تبنى with the attack as its object pronoun (تبنته، تبنتها، تبناه), or bare before the
# attack noun (وتبنت جماعة الشباب الهجوم): who claimed it.
CLAIM_VERBS = frozenset(fold(w) for w in "تبنته تبنتها تبناه تبناها تبنوه تبنوها".split())
CLAIM_VERBS_BARE = frozenset(fold(w) for w in "تبنى تبنت تبنوا".split())
CLAIMED = frozenset(fold(w) for w in """هجوم الهجوم الهجمات هجمات تفجير التفجير التفجيرات العملية عملية
الاعتداء اعتداء المسؤولية مسؤولية""".split())


def claimed_by(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex) -> Optional[Participant]:
    """هجوم انتحاري ... استهدف موكبا وتبنته حركة طالبان؛ ... وتبنت جماعة الشباب الهجوم؛ هجوم
    انتحاري، نسب إلى المتمردين التاميل: the group that claimed the attack at ``i``, or that it
    was attributed to, later in its sentence."""
    for k in range(i + 1, len(tokens)):
        bare = doc.without_conjunction(tokens[k])
        if tokens[k].norm in (".", "!", "?"):
            return None
        if bare in ATTRIBUTED and k + 2 < len(tokens) and tokens[k + 1].norm in TO:
            subject, _ = subject_after(doc, tokens, k + 2, index, require_actor=False)
            if subject is not None and (subject.actor or subject.resolved_text):
                return subject
        pronoun = bare in CLAIM_VERBS
        if not pronoun and not (bare in CLAIM_VERBS_BARE and k + 1 < len(tokens)):
            continue
        subject, after = subject_after(doc, tokens, k + 1, index)
        if subject is None or not (subject.actor or subject.resolved_text):
            continue
        if pronoun or (after < len(tokens) and doc.without_conjunction(tokens[after]) in CLAIMED):
            return subject
    return None


def aimed_at(doc: Document, tokens: Sequence[Token], i: int, index: MentionIndex) -> Optional[Participant]:
    """هجوم انتحاري استهدف دورية للشرطة، انفجرت عبوة استهدفت موكبا: the object of استهدف
    right after the attack at ``i`` (within a few words, same clause) is its target."""
    for k in range(i + 1, min(len(tokens), i + 8)):
        if tokens[k].norm in COMMAS or tokens[k].norm in CLAUSE_LINKS:
            return None
        if doc.without_conjunction(tokens[k]) in AIMING_VERBS and k + 1 < len(tokens) and tokens[k + 1].kind == "word":
            end = noun_phrase_end(doc, tokens, k + 1)
            return participant_in(doc, tokens, k + 1, end, index) if end > k + 1 else None
    return None


def consequence_victims(doc: Document, tokens: Sequence[Token], i: int,
                        index: MentionIndex) -> Optional[Participant]:
    """انفجرت سيارة مفخخة ... مما أدى إلى مقتل عشرة أشخاص، ما أسفر عن إصابة ثلاثة من عناصر
    الجيش: the victims named in the consequence of the attack at ``i``."""
    for k in range(i + 1, len(tokens) - 2):
        if tokens[k].norm in SENTENCE_BREAKS:
            return None
        if doc.without_conjunction(tokens[k]) not in RESULT_VERBS:
            continue
        j = k + 1
        if tokens[j].norm in RESULT_PREPOSITIONS:
            j += 1
        if j >= len(tokens) or doc.without_conjunction(tokens[j]) not in CASUALTY_NOUNS:
            return None
        j += 1
        while j < len(tokens) and doc.without_conjunction(tokens[j]) in CASUALTY_NOUNS:
            j += 1  # مقتل وإصابة نحو 100 شخص
        end = counted_phrase_end(doc, tokens, j)
        if end <= j:
            end = noun_phrase_end(doc, tokens, j)
        return participant_in(doc, tokens, j, end, index) if end > j else None
    return None


def _verb_stem(norm: str) -> str:
    """شنه، نفذته، شنتها -> the verb without its object pronoun."""
    if norm in SUPPORT_AFTER:
        return norm
    return next((key for key in strip_enclitic(norm) if key in SUPPORT_AFTER), norm)


def starts_target(token: Token) -> bool:
    """Whether a word after على/ب can start the target phrase of an attack."""
    return token.kind == "word" and token.norm not in NOT_TARGETS
