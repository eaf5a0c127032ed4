"""Closed-class Arabic words (folded), shared by the recognisers and the chunker."""
from __future__ import annotations

from hadath.text.normalize import fold

_PREPOSITIONS = """في من الى إلى على عن مع ضد بين حول خلال عبر منذ حتى لدى عند نحو قبل بعد أمام وراء
تحت فوق دون بدون سوى غير ازاء إزاء تجاه بحق لصالح عقب إثر اثر جراء بسبب رغم برغم ضمن وسط قرب بجانب""".split()
_CONJUNCTIONS = """و أو او ثم بل لكن لكن ولكن إذ اذ إذا اذا لو لولا كي لكي حيث بينما كما مثلما إلا الا أم ام""".split()
_PARTICLES = """أن ان إن لن لم لا ما قد لقد سوف هل ليس ليست كان كانت يكون تكون أنه انه أنها انها إنه انه
إنها انها أنهم انهم إنهم هذا هذه ذلك تلك هؤلاء أولئك الذي التي الذين اللذين اللتين اللواتي اللاتي
هو هي هم هن نحن أنا انا أنت انت كل بعض جميع أي اي أيضا ايضا فقط جدا أكثر اكثر أقل اقل عدة عدد
يوم اليوم أمس امس غدا الآن الان حاليا بينما وفق وفقا حسب بحسب نفس ذات مدى كذلك هناك هنا حين عندما
منها منه فيه فيها عليه عليها لها له لهم اليه إليه إليها اليها عنه عنها بها به بهم معه معها لدى""".split()

FUNCTION_WORDS: frozenset[str] = frozenset(fold(w) for w in _PREPOSITIONS + _CONJUNCTIONS + _PARTICLES)
PREPOSITIONS: frozenset[str] = frozenset(fold(w) for w in _PREPOSITIONS)
NEGATIONS: frozenset[str] = frozenset(fold(w) for w in "لم لن لا ما ليس ليست لسنا غير عدم".split())
#: Cardinal numbers and counting nouns: a phrase they head counts people rather than
#: naming who acted (قتل أربعة أشخاص، زهاء 15 مسلحا، عشرات المتظاهرين).
NUMBER_WORDS: frozenset[str] = frozenset(fold(w) for w in """واحد واحدة اثنان اثنين اثنتين ثلاثة ثلاث أربعة أربع
خمسة خمس ستة ست سبعة سبع ثمانية ثماني تسعة تسع عشرة عشر أحد إحدى عشرون عشرين ثلاثون ثلاثين أربعون أربعين
خمسون خمسين ستون ستين سبعون سبعين ثمانون ثمانين تسعون تسعين مئة مائة مئات المئات ألف آلاف الآلاف ألوف
عشرات العشرات ملايين زهاء حوالي حوالى نحو قرابة ألفي ألفين مئتي مائتي مئتين مائتين مليون""".split())


NISBA_SHAPED_NOUNS: frozenset[str] = frozenset(fold(w) for w in "القنصلية المفوضية الجمعية".split())


def is_nisba_adjective(norm: str) -> bool:
    """A definite relational adjective, folded (الدولية، اليمني، والإسلامية); not the
    nouns of that shape that head institutions (القنصلية السعودية، المفوضية الأوروبية)."""
    body = norm[1:] if norm[:1] in ("و", "ف") and norm[1:3] == "ال" else norm
    return body.startswith("ال") and body.endswith(("ي", "يه", "يين", "يون")) and body not in NISBA_SHAPED_NOUNS


RELATIVES: frozenset[str] = frozenset(fold(w) for w in "الذي التي الذين اللذين اللتين اللواتي اللاتي".split())
