"""Who protested, against whom (issue 4): roles of PROTEST events on sentences written
for these tests, one pattern each (counted crowds, motive phrases, demands, slogans,
the crowd of a protest noun, riot police)."""
from __future__ import annotations


def protests(doc):
    found = [e for e in doc.events if e.type == "PROTEST"]
    assert found, [(e.type, e.trigger.text) for e in doc.events]
    return found


def actor(participant):
    return participant.actor if participant is not None else None


def test_counted_crowd_with_partitive_is_the_source(annotate):
    event = protests(annotate("احتشد الآلاف من المتظاهرين أمس أمام البرلمان في العاصمة."))[0]
    assert actor(event.source) == "protesters"


def test_members_of_an_organisation_keep_the_members_in_the_text(annotate):
    event = protests(annotate("تظاهر أمس عشرات من أعضاء حركة حماس أمام مقر الصليب الأحمر في غزة."))[0]
    assert event.source is not None and event.source.text.startswith("أعضاء")
    assert actor(event.source) == "hamas"


def test_time_words_are_not_part_of_the_crowd(annotate):
    event = protests(annotate("تظاهر آلاف العراقيين مساء أمس في ساحة التحرير."))[0]
    assert event.source is not None and "مساء" not in event.source.text


def test_a_crowd_of_things_is_no_subject(annotate):
    doc = annotate("تجمعت مئات السيارات والشاحنات عند المعبر الحدودي.")
    assert not [e for e in doc.events if e.type == "PROTEST" and e.source is not None]


def test_motive_phrase_names_what_is_protested(annotate):
    event = protests(annotate("تظاهر مئات الطلاب أمام السفارة احتجاجا على قرار الحكومة الإسرائيلية."))[0]
    assert actor(event.source) == "students"
    assert event.target is not None and event.target.country == "ISR"


def test_motive_after_a_crowd_verb_is_one_protest(annotate):
    doc = annotate("خرج آلاف الأشخاص إلى الشوارع للاحتجاج على رفع أسعار الوقود.")
    found = protests(doc)
    assert len(found) == 1
    assert actor(found[0].source) == "people_generic"
    assert "أسعار" in found[0].target.text


def test_second_protest_word_merges_with_the_first(annotate):
    doc = annotate("تظاهر آلاف الإسرائيليين في تل أبيب، واحتجاجا على سياسة الحكومة أغلقوا الطريق الرئيسي.")
    assert len([e for e in doc.events if e.type == "PROTEST" and e.trigger.text.endswith("احتجاجا")]) == 0


def test_demand_for_resignation_names_the_target(annotate):
    event = protests(annotate("اعتصم المئات من العمال أمام الوزارة للمطالبة باستقالة وزير العمل."))[0]
    assert event.target is not None and "وزير" in event.target.text


def test_demand_addressee_after_a_participle(annotate):
    event = protests(annotate("وتجمع مئات المتظاهرين وسط المدينة، مطالبين الحكومة العراقية بالتدخل."))[0]
    assert actor(event.source) == "protesters"
    assert event.target is not None and event.target.country == "IRQ"


def test_slogan_names_the_target(annotate):
    event = protests(annotate("وخرج المتظاهرون إلى الشوارع في لاهور مرددين هتافات منها «يسقط مشرف»."))[0]
    assert event.target is not None and "مشرف" in event.target.text


def test_against_phrase_names_the_target(annotate):
    event = protests(annotate("وخرج آلاف المتظاهرين في مسيرة ضد الحكومة المصرية في القاهرة."))[0]
    assert event.target is not None and event.target.country == "EGY"


def test_stone_throwing_crowd_with_the_object_far_from_the_verb(annotate):
    event = protests(annotate("ورشق مئات المتظاهرين قوات الشرطة بالحجارة والزجاجات الفارغة."))[0]
    assert actor(event.source) == "protesters"
    assert event.target is not None and "الشرطة" in event.target.text


def test_riot_police_is_no_riot(annotate):
    doc = annotate("وانتشرت قوات مكافحة الشغب في محيط الجامعة.")
    assert not [e for e in doc.events if e.type == "PROTEST"]


def test_drone_is_no_march(annotate):
    doc = annotate("وأسقطت الدفاعات الجوية طائرة مسيرة قرب الحدود.")
    assert not [e for e in doc.events if e.type == "PROTEST"]


def test_a_crowd_that_protests_is_a_street_protest_not_a_diplomatic_one(annotate):
    doc = annotate("واحتج مئات المتظاهرين أمس في موقع الهجوم على مقتل المدنيين.")
    assert [e.type for e in doc.events if e.trigger.text == "واحتج"] == ["PROTEST"]
    doc = annotate("واحتجت الخارجية المصرية لدى السفير الإسرائيلي على التصريحات.")
    assert [e.type for e in doc.events if e.trigger.text == "واحتجت"] == ["ACCUSE"]


def test_conjunction_before_a_rare_imperfective(annotate):
    event = protests(annotate("ويعتصم آلاف المتظاهرين أمام مقر الحكومة في بانكوك."))[0]
    assert event.trigger.text == "ويعتصم" and actor(event.source) == "protesters"


def test_motive_of_named_protesters_without_a_verb_of_coming_out(annotate):
    event = protests(annotate("وشكل مئات من المتظاهرين سلسلة بشرية قرب المطار للاحتجاج على زيارة الرئيس."))[0]
    assert actor(event.source) == "protesters"
    assert event.target is not None and "زيارة" in event.target.text


def test_burnt_flags_name_the_country_protested(annotate):
    doc = annotate("وفي بغداد أحرق متظاهرون أعلام إسرائيل أمام مقر الأمم المتحدة.")
    event = next(e for e in doc.events if e.type == "PROTEST")
    assert event.target is not None and event.target.country == "ISR"
    doc = annotate("واحتشد المتظاهرون في الساحة ورفعوا الأعلام الفلسطينية.")
    assert all(e.target is None or e.target.country != "PSE" for e in doc.events if e.type == "PROTEST")


def test_accusing_participle_and_what_they_call_it(annotate):
    event = protests(annotate("واحتج مئات المتظاهرين أمس متهمين الجنود الأميركيين بإطلاق النار على المدنيين."))[0]
    assert actor(event.target) == "soldiers"
    doc = annotate("خرج الآلاف في مسيرة وسط العاصمة أمس للاحتجاج على ما يصفونه بوحشية الشرطة.")
    event = protests(doc)[0]
    assert event.source is not None and event.source.text == "الآلاف"
    assert actor(event.target) == "police_generic"


def test_the_phrase_after_an_intransitive_protest_verb_is_the_crowd(rules_coded):
    found = protests(rules_coded("أضرب العرب في إسرائيل أمس احتجاجا على قرار المحكمة."))
    assert len(found) == 1  # احتجاجا is the strike's motive, not a second protest
    assert found[0].source is not None and found[0].source.text == "العرب"


def test_a_crowd_named_after_kana_before_a_plural_verb(rules_coded):
    found = protests(rules_coded("وكان 1000 لاجئ من التبت على الأقل قد احتشدوا خارج مقر الأمم المتحدة."))
    assert found[0].source is not None and "لاجئ" in found[0].source.text


def test_a_partitive_people_after_kana(rules_coded):
    found = protests(rules_coded("وكان الآلاف من النيباليين قد خرجوا في مسيرات في العاصمة كاتماندو."))
    assert found[0].source is not None and "النيباليين" in found[0].source.text


def test_a_time_word_after_a_protest_verb_is_no_crowd(rules_coded):
    found = protests(rules_coded("وتجمع مساء أمس مئات المتظاهرين أمام السفارة."))
    assert found[0].source is None or "مساء" not in found[0].source.text
