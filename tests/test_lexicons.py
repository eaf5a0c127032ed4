"""The bundled trigger and cue lexicons load, validate and say what we expect."""
from __future__ import annotations

import pytest

from hadath.events.lexicon import (
    COLUMNS,
    MODES,
    PLOVER_TYPES,
    QUAD,
    goldstein,
    load_triggers,
    parse_support_verbs,
    parse_triggers,
)
from hadath.quotes.lexicon import CUE_CLASSES, load_cues, parse_attributions, parse_cues
from hadath.text.normalize import fold


@pytest.fixture(scope="module")
def triggers():
    return load_triggers()


@pytest.fixture(scope="module")
def cues():
    return load_cues()


def types_of(lex, form):
    return {e.plover for e in lex.lookup(form) if not e.is_phrase}


# --------------------------------------------------------------------------- triggers

def test_triggers_load_and_are_big_enough(triggers):
    assert len(triggers) >= 250
    assert len({e.lemma for e in triggers}) >= 250
    assert len(triggers.by_form) > 1000


def test_every_plover_type_present(triggers):
    present = {e.plover for e in triggers}
    assert present == set(PLOVER_TYPES)
    for t in PLOVER_TYPES:
        assert len(triggers.by_type(t)) >= 5, t


@pytest.mark.parametrize("form,expected", [
    ("أدانت", "ACCUSE"), ("ندد", "ACCUSE"), ("استنكرت", "ACCUSE"), ("اتهم", "ACCUSE"), ("انتقدت", "ACCUSE"),
    ("دعت", "REQUEST"), ("طالبت", "REQUEST"), ("ناشد", "REQUEST"), ("حثت", "REQUEST"),
    ("اجتماعا", "CONSULT"), ("التقى", "CONSULT"), ("زار", "CONSULT"), ("محادثات", "CONSULT"), ("قمة", "CONSULT"),
    ("أيد", "SUPPORT"), ("رحبت", "SUPPORT"), ("تضامنت", "SUPPORT"), ("أشاد", "SUPPORT"),
    ("هدد", "THREATEN"), ("توعد", "THREATEN"), ("حذرت", "THREATEN"),
    ("رفضت", "REJECT"),
    ("قصفت", "ASSAULT"), ("غارات", "ASSAULT"), ("غارة", "ASSAULT"), ("اغتيال", "ASSAULT"), ("اشتباكات", "ASSAULT"),
    ("مقتل", "ASSAULT"), ("تفجير", "ASSAULT"),
    ("اعتقلت", "COERCE"), ("احتجز", "COERCE"), ("اقتحم", "COERCE"), ("داهمت", "COERCE"), ("حاصرت", "COERCE"),
    ("تظاهر", "PROTEST"), ("مظاهرة", "PROTEST"), ("مظاهرات", "PROTEST"), ("إضراب", "PROTEST"), ("اعتصام", "PROTEST"),
    ("استنفار", "MOBILIZE"), ("تعزيزات", "MOBILIZE"),
    ("عقوبات", "SANCTION"), ("جمدت", "SANCTION"),
    ("اتفقت", "AGREE"), ("وافقت", "AGREE"), ("تعهد", "AGREE"),
    ("تعاونت", "COOPERATE"),
    ("مساعدات", "AID"),
    ("انسحبت", "RETREAT"), ("أفرجت", "RETREAT"), ("استقال", "RETREAT"),
    ("تنازل", "CONCEDE"), ("اعتذر", "CONCEDE"),
])
def test_known_forms(triggers, form, expected):
    assert expected in types_of(triggers, form), (form, types_of(triggers, form))


def test_index_is_folded(triggers):
    # spelling variants fold together: alef-hamza, ta marbuta, alef maqsura
    assert triggers.lookup("ادانت") == triggers.lookup("أدانت")
    assert triggers.lookup("مظاهره") == triggers.lookup("مظاهرة")
    assert triggers.lookup("التقي") == triggers.lookup("التقى")
    for key in triggers.by_form:
        assert key == fold(key)


def test_first_entry_is_the_plain_reading(triggers):
    # a matcher that takes the first entry of a form gets the single-word reading
    first = triggers.by_form[fold("دعت")][0]
    assert first.plover == "REQUEST" and not first.is_phrase
    assert triggers.by_form[fold("أدانت")][0].plover == "ACCUSE"


def test_noun_with_support(triggers):
    (entry,) = [e for e in triggers.lookup("اجتماعا") if e.pos == "noun"]
    assert entry.plover == "CONSULT" and entry.nominal
    assert "عقد" in entry.support_lemmas
    # support holds folded forms of the support verbs, ready for token comparison
    assert {"عقد", "عقدت", "يعقد", "اجري", "اجرت"} <= entry.support
    raid = [e for e in triggers.lookup("غارة") if e.pos == "noun"][0]
    assert {"شن", "شنت", "نفذ"} <= raid.support
    killing = [e for e in triggers.lookup("مقتل") if e.pos == "noun"][0]
    assert killing.standalone and not killing.support


def test_support_verbs_are_defined(triggers):
    for e in triggers:
        for lemma in e.support_lemmas:
            assert lemma in triggers.support_verbs, (e.lemma, lemma)
    assert triggers.is_support("عقدت", ["عقد"])
    assert triggers.is_support("شنت")


def test_phrases(triggers):
    def phrase(lemma):
        (e,) = [e for e in triggers if e.lemma == lemma]
        assert e.is_phrase and e.pos == "phrase"
        return e

    blame = phrase("حمل المسؤولية")
    assert blame.plover == "ACCUSE" and {fold("مسؤولية"), fold("مسئولية")} <= blame.phrase_object
    release = phrase("أطلق سراح")
    assert (release.plover, release.mode) == ("RETREAT", "release")
    assert phrase("فرض عقوبات").plover == "SANCTION"
    assert phrase("قطع العلاقات").plover == "SANCTION"
    assert phrase("نشر قوات").plover == "MOBILIZE"
    assert phrase("أعرب عن قلق").plover == "ACCUSE"
    assert phrase("تنسيق أمني").plover == "COOPERATE"
    assert phrase("وقف إطلاق النار").plover == "RETREAT"
    fire = phrase("أطلق النار")
    assert fire.plover == "ASSAULT" and fire.mode == "firearms"
    # multiword objects are kept as word tuples; phrase_object holds their key (last) word
    ceasefire = phrase("وقف إطلاق النار")
    assert ("اطلاق", "نار") in ceasefire.objects and "نار" in ceasefire.phrase_object


def test_object_match_and_select(triggers):
    following = [["سراح"], ["الاسري", "اسري"]]
    entry, obj = triggers.select("أطلقت", following)
    assert entry.lemma == "أطلق سراح" and obj == ("سراح",)
    entry, obj = triggers.select("أطلقت", [["النار", "نار"], ["علي"]])
    assert entry.lemma == "أطلق النار"
    # the ceasefire wins over the shooting noun: longer object, and إطلاق النار is blocked after وقف
    entry, obj = triggers.select("وقف", [["اطلاق"], ["النار", "نار"]])
    assert entry.plover == "RETREAT" and obj == ("اطلاق", "نار")
    shooting = [e for e in triggers.lookup("إطلاق") if e.lemma == "إطلاق النار"][0]
    assert shooting.blocked("وقف", None)
    # a plain verb stays plain when no object follows
    entry, obj = triggers.select("دعت", [["الي"], ["الحوار"]])
    assert entry.plover == "REQUEST"
    # phrase-only heads give nothing without their object
    assert triggers.select("أطلقت", [["حمله"], ["انتخابيه"]]) is None


def test_block_next(triggers):
    conference = [e for e in triggers.lookup("مؤتمر") if e.pos == "noun"][0]
    assert conference.blocked(None, fold("صحفي"))
    assert triggers.select("مؤتمر", [[fold("صحفي")]]) is None


def test_ambiguity_marks(triggers):
    warn = [e for e in triggers.lookup("حذر") if e.plover == "THREATEN"][0]
    assert warn.is_ambiguous("حذر")
    research = [e for e in triggers.lookup("بحث") if e.plover == "CONSULT"][0]
    assert research.is_ambiguous("بحث") and not research.is_ambiguous("بحثت")
    # forms shared by different types are marked in every entry
    for form, entries in triggers.by_form.items():
        single = [e for e in entries if not e.is_phrase]
        if len({e.plover for e in single}) > 1:
            assert all(e.is_ambiguous(form) for e in single), form


def test_known_collisions_are_not_forms(triggers):
    # frequent unrelated words that must never be trigger forms
    for word in ("مدينة", "قبل", "بين", "عبر", "فجر", "صادر", "أبعد", "ثمن", "أمر", "هنا", "تدمر", "مرحبا",
                 "تحالف", "جند", "قاطع", "تسيطر", "مطلقا", "يعد", "توقع", "تلوح"):
        single = [e for e in triggers.lookup(word) if not e.is_phrase]
        assert not single, (word, [e.key for e in single])


def test_forms_are_bare_and_long_enough(triggers):
    for e in triggers:
        assert e.forms and e.folded_forms
        for f in e.folded_forms:
            assert len(f) >= 2, (e.lemma, f)
            assert " " not in f
        if e.pos == "noun":
            for f in e.forms:
                assert not f.startswith(("ال", "وال", "بال", "لل")), (e.lemma, f)


def test_codes_quads_modes_intensity(triggers):
    for e in triggers:
        assert e.cameo.isdigit() and 2 <= len(e.cameo) <= 4
        assert e.quad == QUAD[e.plover]
        assert not e.mode or e.mode in MODES[e.plover]
        assert -10 <= e.intensity <= 10
        g = goldstein(e.cameo)
        assert g is not None, e.cameo
        if "intensity-override" not in e.note:
            assert abs(e.intensity - g) < 1e-9, (e.lemma, e.cameo, e.intensity, g)
        else:
            assert abs(e.intensity - g) <= 6, (e.lemma, e.intensity, g)
    # a few codes that matter
    by_lemma = {(e.lemma, e.pos): e for e in triggers}
    assert by_lemma[("اعتقل", "verb")].cameo == "173"
    assert by_lemma[("غارة", "noun")].cameo == "195" and by_lemma[("غارة", "noun")].mode == "aerial"
    assert by_lemma[("زار", "verb")].cameo == "042" and by_lemma[("زار", "verb")].mode == "visit"
    assert by_lemma[("تظاهر", "verb")].cameo == "141"
    assert by_lemma[("أدان", "verb")].cameo == "111"


def test_target_preps(triggers):
    solidarity = [e for e in triggers.lookup("تضامن") if e.pos == "verb"][0]
    assert fold("مع") in solidarity.target_prep
    assert "obj" in [e for e in triggers.lookup("اعتقل")][0].target_prep
    assert fold("على") in [e for e in triggers.lookup("غارة") if e.pos == "noun"][0].target_prep
    assert fold("من") in [e for e in triggers.lookup("انسحب") if e.pos == "verb"][0].target_prep


def test_candidates_and_match_token(triggers):
    cand, entries = triggers.match_token("وأدانت")
    assert cand.key == fold("أدانت") and cand.prefix == "و"
    assert entries[0].plover == "ACCUSE"
    cand, entries = triggers.match_token("بالاجتماع")
    assert entries and entries[0].plover == "CONSULT"
    cand, entries = triggers.match_token("زيارتها")       # ta marbuta restored under a pronoun
    assert entries and entries[0].plover == "CONSULT" and cand.suffix == "ها"
    cand, entries = triggers.match_token("وسيزور")
    assert entries and entries[0].plover == "CONSULT"
    cand, entries = triggers.match_token("اعتقلوهم")       # وا restored before a pronoun
    assert entries and entries[0].plover == "COERCE"
    # verbs are not read behind the article
    _, entries = triggers.match_token("الانسحاب")
    assert entries and all(e.nominal for e in entries)


# --------------------------------------------------------------------------- validation errors

HEADER = "\t".join(COLUMNS)


def row(**kw):
    base = dict(lemma="أدان", pos="verb", plover="ACCUSE", cameo="111", mode="disapprove", quad="3",
                intensity="-2", target_prep="obj", forms="أدان|أدانت", support="", standalone="",
                phrase_object="", block_prev="", block_next="", note="")
    base.update(kw)
    return "\t".join(base[c] for c in COLUMNS)


@pytest.mark.parametrize("kw,message", [
    (dict(plover="CONDEMN"), "unknown PLOVER type"),
    (dict(cameo="11a"), "not numeric"),
    (dict(cameo="999"), "not a CAMEO event code"),
    (dict(cameo="190"), "cannot be PLOVER ACCUSE"),
    (dict(quad="5"), "not in 1-4"),
    (dict(quad="1"), "PLOVER ACCUSE is quad 3"),
    (dict(intensity="-12"), "out of range"),
    (dict(intensity="x"), "not a number"),
    (dict(forms=""), "empty forms"),
    (dict(forms="أدان|ا"), "shorter than 2 letters"),
    (dict(mode="aerial"), "not a PLOVER mode"),
    (dict(target_prep="حول"), "unknown target_prep"),
    (dict(pos="phrase"), "needs phrase_object"),
    (dict(pos="adj"), "unknown pos"),
    (dict(support="عقد"), "only nouns"),
])
def test_validation_errors_name_the_line(kw, message):
    second = {"lemma": "ندد", "forms": "ندد", **kw}
    text = HEADER + "\n" + row() + "\n" + row(**second) + "\n"
    with pytest.raises(ValueError) as err:
        parse_triggers(text)
    assert message in str(err.value)
    assert "triggers.tsv:3" in str(err.value)


def test_conflicting_noun_forms_need_ambiguous():
    a = dict(lemma="غارة", pos="noun", plover="ASSAULT", cameo="195", mode="aerial", quad="4",
             intensity="-10", target_prep="على", forms="غارة")
    b = dict(lemma="غارة2", pos="noun", plover="PROTEST", cameo="141", mode="demo", quad="4",
             intensity="-6.5", target_prep="", forms="غارة")
    with pytest.raises(ValueError, match="conflicting types"):
        parse_triggers("\n".join([HEADER, row(**a), row(**b)]) + "\n")
    with pytest.raises(ValueError, match="conflicting types"):  # marking only one side is not enough
        parse_triggers("\n".join([HEADER, row(**a, note="ambiguous"), row(**b)]) + "\n")
    lex = parse_triggers("\n".join([HEADER, row(**a, note="ambiguous: also X"),
                                    row(**b, note="ambiguous=غارة")]) + "\n")
    assert {e.plover for e in lex.lookup("غارة")} == {"ASSAULT", "PROTEST"}
    with pytest.raises(ValueError, match="ambiguous= names forms not in the entry"):
        parse_triggers("\n".join([HEADER, row(note="ambiguous=قتل")]) + "\n")


def test_bad_header_and_support_reference():
    with pytest.raises(ValueError, match="header"):
        parse_triggers("lemma\tpos\n")
    support = parse_support_verbs("lemma\tforms\tnote\nعقد\tعقد|عقدت\t\n")
    noun = row(lemma="اجتماع", pos="noun", plover="CONSULT", cameo="040", mode="", quad="1", intensity="1",
               target_prep="مع", forms="اجتماع", support="شن")
    with pytest.raises(ValueError, match="not defined in support_verbs"):
        parse_triggers(HEADER + "\n" + noun + "\n", support)


# --------------------------------------------------------------------------- cues

def test_cues_load(cues):
    assert len(cues) >= 60
    assert {e.cls for e in cues} <= CUE_CLASSES
    assert {"neutral", "assertive", "opinion", "condemn", "demand", "warn", "deny", "accuse", "support",
            "threaten", "promise"} == {e.cls for e in cues}


@pytest.mark.parametrize("lemma,cls,min_forms", [
    ("قال", "neutral", 8), ("أكد", "assertive", 8), ("دعا", "demand", 7), ("حذر", "warn", 7),
    ("اعتبر", "opinion", 7), ("شدد", "assertive", 7), ("أضاف", "neutral", 7), ("أشار", "neutral", 7),
    ("نفى", "deny", 5), ("أدان", "condemn", 6),
])
def test_core_cues_have_many_forms(cues, lemma, cls, min_forms):
    e = cues.by_lemma(lemma)
    assert e is not None and e.cls == cls
    assert len(e.folded_forms) >= min_forms, e.forms


def test_cue_forms(cues):
    for form, cls in [("قالت", "neutral"), ("وأضاف".removeprefix("و"), "neutral"), ("مؤكدا", "assertive"),
                      ("مشيرا", "neutral"), ("يرى", "opinion"), ("دعت", "demand"), ("حذرت", "warn"),
                      ("نفت", "deny"), ("اتهم", "accuse"), ("رحبت", "support"), ("هدد", "threaten"),
                      ("تعهد", "promise")]:
        assert cls in {e.cls for e in cues.lookup(form)}, form
    for e in cues:
        assert all(len(f) >= 2 for f in e.folded_forms)
    # collisions kept out
    for word in ("بين", "عبر", "نصف", "نجيب", "مجددا", "مرحبا", "مقرا", "لافتة"):
        assert not cues.lookup(word), word


def test_attributions(cues):
    kinds = {a.lemma: a.kind for a in cues.attributions}
    assert kinds["بحسب"] == "source" and kinds["حسبما"] == "clause"
    assert fold("وفقا") in cues.attributions_by_form
    multi = [a for a in cues.attributions if any(len(f) > 1 for f in a.folded_forms)]
    assert multi  # على لسان، جاء في ...


def test_cue_validation():
    header = "lemma\tclass\tforms\tnote\n"
    with pytest.raises(ValueError, match="unknown cue class"):
        parse_cues(header + "قال\tsaying\tقال\t\n")
    with pytest.raises(ValueError, match="empty forms"):
        parse_cues(header + "قال\tneutral\t\t\n")
    with pytest.raises(ValueError, match="cues.tsv:3: duplicate lemma"):
        parse_cues(header + "قال\tneutral\tقال\t\nقال\tneutral\tقالت\t\n")
    with pytest.raises(ValueError, match="conflicting classes"):
        parse_cues(header + "أ\tneutral\tرد\t\nب\tdeny\tرد\t\n")
    entries, _ = parse_cues(header + "أ\tneutral\tرد\tambiguous\nب\tdeny\tرد\tambiguous=رد\n")
    assert len(entries) == 2
    with pytest.raises(ValueError, match="unknown attribution kind"):
        parse_attributions("lemma\tkind\tforms\tnote\nبحسب\twho\tبحسب\t\n")
