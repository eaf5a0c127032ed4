"""Clause constructions that make an event noun an event, or a verb no event (issue 4),
on sentences written for these tests: impersonal passives (تم)، verbs of occurrence,
orders that carry out the act, quotations opened by an event noun, subjects of quoted
verbs, present-tense states after الذي, and look-alike phrases."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def coder_only():
    """The pipeline without the event check: what the coder itself reads."""
    from hadath.engine import Resources, build_pipeline, make_document
    from hadath.options import ExtractOptions

    pipeline = build_pipeline(ExtractOptions(event_classifier="off"), Resources())
    return lambda text: pipeline(make_document(text))


def events_of(doc, kind):
    return [e for e in doc.events if e.type == kind]


def actor(participant):
    return participant.actor if participant is not None else None


def test_impersonal_passive_makes_the_noun_an_event_without_a_doer(annotate):
    doc = annotate("وقالت الوزارة إنه تم اعتقال أربعة مطلوبين في مدينة الخليل.")
    arrest = events_of(doc, "COERCE")
    assert arrest and arrest[0].happened
    assert arrest[0].source is None  # not the ministry that reports it
    assert "مطلوبين" in arrest[0].target.text


def test_negated_impersonal_passive_is_negated(annotate):
    doc = annotate("ولم يتم اعتقال أي من المشتبه بهم حتى الآن.")
    arrest = events_of(doc, "COERCE")
    assert arrest and arrest[0].negated and not arrest[0].happened


def test_charges_directed_at_someone_after_tm(annotate):
    doc = annotate("وتم توجيه اتهامات إلى وزير الداخلية المصري السابق حبيب العادلي.")
    accuse = events_of(doc, "ACCUSE")
    assert accuse and accuse[0].source is None
    assert "العادلي" in accuse[0].target.text


def test_subject_of_a_support_verb_stops_at_the_event_noun(annotate):
    doc = annotate("ووجهت النيابة اتهامات لوزير الداخلية المصري السابق حبيب العادلي.")
    accuse = events_of(doc, "ACCUSE")
    assert accuse and accuse[0].source.text == "النيابة"


def test_verb_of_occurrence_makes_clashes_an_event(coder_only):
    # the event check may drop an ASSAULT its classifier scores low: the coder must code it
    doc = coder_only("اندلعت اشتباكات عنيفة بين الجيش والمسلحين في ضواحي المدينة الليلة الماضية.")
    clash = events_of(doc, "ASSAULT")
    assert clash and clash[0].happened and clash[0].trigger.text == "اشتباكات"


def test_protests_renewed_is_a_protest(coder_only):
    doc = coder_only("تجددت المظاهرات في عدة مدن جنوبية يوم الجمعة.")
    assert events_of(doc, "PROTEST")


def test_an_order_of_a_court_carries_out_the_detention(annotate):
    doc = annotate("وأمرت النيابة العامة باحتجاز المتهمين الثلاثة على ذمة التحقيق.")
    detention = events_of(doc, "COERCE")
    assert detention, [(e.type, e.trigger.text) for e in doc.events]
    assert "النيابة" in detention[0].source.text
    assert "المتهمين" in detention[0].target.text


def test_quotation_opened_by_an_event_noun_after_an_announcing_verb(annotate):
    doc = annotate('وأعلنت وزارة الداخلية "القبض على خلية إرهابية" في شمال البلاد.')
    arrest = events_of(doc, "COERCE")
    assert arrest and not arrest[0].in_quote
    assert "وزارة الداخلية" in arrest[0].source.text


def test_subject_right_before_a_quoted_verb(annotate):
    doc = annotate('وذكر البيان أن قوات الأمن "اعتقلت خمسة أشخاص" خلال المداهمة.')
    arrest = events_of(doc, "COERCE")
    assert arrest and arrest[0].source is not None and "قوات الأمن" in arrest[0].source.text


def test_present_tense_support_after_a_relative_is_a_state(annotate):
    doc = annotate("وتواصل الجماعات التي تدعمها الحكومة انتشارها في المنطقة.")
    assert not events_of(doc, "SUPPORT")
    doc = annotate("ودعمت الحكومة الجماعات المسلحة في المنطقة.")
    assert events_of(doc, "SUPPORT")


def test_asking_not_to_be_named_is_no_request(annotate):
    doc = annotate("وقال مسؤول طلب عدم الكشف عن هويته إن المفاوضات متعثرة.")
    assert not events_of(doc, "REQUEST")


def test_time_spent_in_prison_is_no_sentence(annotate):
    doc = annotate("وقضى الناشط أربع سنوات في السجن قبل الإفراج عنه.")
    assert not events_of(doc, "SANCTION")
    doc = annotate("وقضت المحكمة بالسجن أربع سنوات على الناشط.")
    assert events_of(doc, "SANCTION")


def test_sparking_a_dispute_is_no_bombing(coder_only):
    doc = coder_only("وهي القضية التي فجرت الخلاف بين البلدين، بعد أن فجرت الجماعة عبوة ناسفة قرب السفارة.")
    attacks = events_of(doc, "ASSAULT")
    assert [e.trigger.start for e in attacks] == [doc.text.rindex("فجرت")]


def test_subject_fronted_after_anna_is_the_doer_not_the_object(annotate):
    doc = annotate("وأفاد المراسل بأن الحوثيين رفضوا مقترحات الأمم المتحدة بالانسحاب من الميناء.")
    reject = events_of(doc, "REJECT")
    assert reject and "الحوثيين" in reject[0].source.text
    assert actor(reject[0].target) == "un"


def test_an_event_noun_after_anna_is_no_doer(annotate):
    doc = annotate("وأكد المتحدث أن الهجوم استهدف مقر الشرطة في المدينة.")
    attacks = events_of(doc, "ASSAULT")
    assert attacks and all(e.source is None or "الهجوم" not in e.source.text for e in attacks)
    assert all(not (e.source and e.target and e.source.text == e.target.text) for e in attacks)


def test_an_organisation_named_first_is_the_subject_not_a_later_person(annotate):
    doc = annotate("من جانبها دانت منظمة العفو الدولية اعتقال الناشطة نسرين ستوده.")
    condemn = events_of(doc, "ACCUSE")
    assert condemn and actor(condemn[0].source) == "amnesty"


def test_a_reporting_verb_subject_carries_to_the_next_sentence(annotate):
    doc = annotate("أكدت الإمارات التزامها بالخطة الإنسانية. وطالبت المجتمع الدولي بإدانة الانتهاكات.")
    request = events_of(doc, "REQUEST")
    assert request and actor(request[0].source) == "ARE"


def test_an_entrys_own_support_verb_keeps_its_subject_over_the_occurrence_reading(annotate):
    # وقع is "signed" for a partnership (its listed support verb) and "took place" for an attack
    doc = annotate("ووقعت الحكومة الأردنية شراكة استراتيجية مع الاتحاد الأوروبي.")
    partnership = events_of(doc, "COOPERATE")
    assert partnership and partnership[0].source is not None and "الحكومة" in partnership[0].source.text


def test_an_added_event_reads_its_roles_by_the_walks_rules():
    """``EventCoder.event_at`` (the event check's added events) shares the sentence walk's
    role rules: in a quotation after أن the subject before the verb is the doer, and a
    reported clause's own noun phrase counts when the check vouches for the event, where
    the walk itself codes nothing (no named actor inside a quotation)."""
    from hadath.engine import Resources, build_pipeline, make_document
    from hadath.options import ExtractOptions

    pipeline = build_pipeline(ExtractOptions(ner="rules", event_classifier="off"), Resources())
    coder = pipeline.stages[pipeline.names.index("events")]
    for text, trigger, source, target in (
            ("وأضاف البيان أن «المتمردين شنوا الهجوم على الموقع بسيارة مفخخة».", "الهجوم", "المتمردين", "الموقع"),
            ("وقال المتحدث «ان قوات خاصة من الجيش العراقي قتلت 11 ارهابيا قرب تكريت».", "قتلت", "قوات خاصة",
             "ارهابيا")):
        doc = pipeline(make_document(text))
        assert not [e for e in doc.events if e.type == "ASSAULT"]    # in a quotation: the walk codes none
        event = coder.event_at(doc, doc.sentences[0], text.index(trigger))
        assert event is not None and event.type == "ASSAULT"
        assert source in event.source.text and target in event.target.text


def test_a_deeds_place_elsewhere_in_its_sentence(coder_only):
    """When the trigger's clause names no place, a material event takes the place after في
    nearest to it in the sentence; a statement does not (its places are what it talks about)."""
    doc = coder_only("وفي مدينة درعا جنوب سوريا، قصفت الطائرات الحكومية مواقع للمعارضة صباح اليوم.")
    (attack,) = events_of(doc, "ASSAULT")
    assert attack.location is not None and "درعا" in attack.location.text
    doc = coder_only("وفي مؤتمر صحفي عقده في عمان، أدان وزير الخارجية الأردني قصف المدنيين.")
    condemnations = events_of(doc, "ACCUSE")
    assert condemnations and condemnations[0].location is None


def test_the_event_location_score():
    from hadath.eval.gold import location_matches

    assert location_matches(None, None, None)
    assert not location_matches({"text": "دمشق"}, None, None)           # a place where the gold has none
    assert location_matches({"text": "العاصمة السورية دمشق"}, "دمشق", "Damascus")
    assert location_matches({"text": "الشام", "name_en": "Damascus"}, "دمشق", "Damascus")
    assert not location_matches(None, "دمشق", "Damascus")


def test_the_event_date_score():
    from hadath.eval.gold import date_matches

    event = {"date": "2018-04-22", "date_precision": "day", "sentence": {"start": 0, "end": 50}}
    dates = [{"text": "الأحد", "start": 20, "end": 25, "value": "2018-04-22"},
             {"text": "الأحد", "start": 80, "end": 85, "value": "2018-04-15"}]
    assert date_matches(event, "مساء الأحد", dates)                 # the phrase in the event's sentence
    assert not date_matches(dict(event, date="2018-04-15"), "مساء الأحد", dates)
    assert not date_matches(event, "الخميس", dates)                   # hadath read no such date
    assert not date_matches(event, None, dates)                       # a date where the gold has none
    assert date_matches(dict(event, date_precision="published"), None, dates)


# -- doers placed before a support verb, partitive doers, participles after أن ---------

def test_subject_before_a_support_verb_whose_object_names_a_place(coder_only):
    # the phrase after شنت (غارات داخل الصومال) is the noun's own, not the verb's subject
    doc = coder_only("وكانت القوات الأمريكية شنت غارات داخل الصومال الشهر الماضي.")
    raid = events_of(doc, "ASSAULT")
    assert raid and actor(raid[0].source) == "usa_military"


def test_counting_word_between_support_verb_and_noun(coder_only):
    doc = coder_only("وكانت القوات الأمريكية وجهت عدة ضربات جوية داخل الصومال.")
    strike = events_of(doc, "ASSAULT")
    assert strike and actor(strike[0].source) == "usa_military"


def test_phrase_entries_take_the_support_verbs_of_their_head(coder_only):
    # ضربة جوية is read by the air-strike phrase entry, which now lists نفذ
    doc = coder_only("وقال المسؤول إن إسرائيل نفذت ضربة جوية في سوريا.")
    strike = events_of(doc, "ASSAULT")
    assert strike and actor(strike[0].source) == "ISR"


def test_partitive_subject_names_the_doers(coder_only):
    doc = coder_only("قام عدد من جنود «المارينز» بقتل المدنيين في القرية.")
    killing = events_of(doc, "ASSAULT")
    assert killing and killing[0].source is not None and "جنود" in killing[0].source.text
    assert "المدنيين" in killing[0].target.text


def test_partitive_before_a_verb_in_a_reported_clause(coder_only):
    doc = coder_only("وقالت الشرطة إن مجموعة من المسلحين هاجمت حاجزا أمنيا.")
    attack = events_of(doc, "ASSAULT")
    assert attack and attack[0].source is not None and actor(attack[0].source) == "gunmen"
    assert not events_of(doc, "ACCUSE")  # هاجم with armed doers is an attack, not criticism


def test_counted_victims_after_a_violent_verb_are_no_doers(coder_only):
    doc = coder_only("قتل عدد من الجنود في الهجوم على الحاجز.")
    assert all(e.source is None or "الجنود" not in e.source.text for e in events_of(doc, "ASSAULT"))


def test_participle_right_after_an_is_the_subject_noun(coder_only):
    doc = coder_only("وأفاد مسؤولون بأن مهاجما انتحاريا فجر نفسه خارج مكتب الشركة.")
    assert not events_of(doc, "ACCUSE")  # مهاجما is "an attacker", not "attacking"
    bombing = events_of(doc, "ASSAULT")
    assert bombing and bombing[0].source is not None and "مهاجما" in bombing[0].source.text


def test_long_subject_closed_by_a_comma_before_its_verb(coder_only):
    doc = coder_only("قالت الشرطة إن مهاجما انتحاريا من حركة طالبان، فجر حافلة تابعة للشرطة في كابول.")
    bombing = events_of(doc, "ASSAULT")
    assert bombing and bombing[0].source is not None and "مهاجما" in bombing[0].source.text


def test_clause_that_ended_at_the_comma_keeps_the_next_verb_outside(coder_only):
    doc = coder_only("وأعلن مسؤول أن المتظاهرين وافقوا على التفاوض، نفى زعيم التحالف ذلك.")
    assert all(e.source is None or "المتظاهرين" not in e.source.text for e in doc.events if e.trigger.text == "نفى")


def test_relative_doer_makes_a_definite_attack_noun_an_event(coder_only):
    doc = coder_only("اما الهجوم الذي نفذته طالبان في العاصمة فأسفر عن ثمانية قتلى.")
    attack = events_of(doc, "ASSAULT")
    assert attack and actor(attack[0].source) == "taliban"


def test_blowing_up_a_bus_is_an_attack_but_dawn_is_not(coder_only):
    assert events_of(coder_only("وقال إن انتحاريا فجر حافلة للشرطة."), "ASSAULT")
    assert not events_of(coder_only("خرجت فجر اليوم نحو مئة حافلة من المعبر."), "ASSAULT")
    # a phrase's object does not lie beyond «، و»
    doc = coder_only("اقتحمت قوة إسرائيلية البلدة فجراً، وحاصرت منزل أحد الناشطين.")
    assert not [e for e in doc.events if e.type == "ASSAULT" and e.trigger.text.startswith("فجر")]


# -- tense after أن, plural verbs, organisation names --------------------------------

def test_imperfective_after_an_is_not_done_yet(coder_only):
    doc = coder_only("ويتوقع أن تعتقل الشرطة المشتبه بهم خلال أيام.")
    arrest = events_of(doc, "COERCE")
    assert arrest and arrest[0].modality == "future" and not arrest[0].happened


def test_after_and_before_an_tell_what_happened(coder_only):
    doc = coder_only("وعادت الحياة إلى المدينة بعد أن تخلى المسلحون عن مواقعهم.")
    assert all(e.modality != "future" for e in doc.events)
    doc = coder_only("وقتل المهاجم شابتين قبل أن يقتل برصاص الشرطة.")
    assert all(e.modality != "future" for e in events_of(doc, "ASSAULT"))


def test_perfective_plural_after_an_is_done(coder_only):
    doc = coder_only("وسبق للناشطين الكويتيين أن نظموا مظاهرة أمام المسرح.")
    assert all(e.modality != "future" for e in doc.events)


def test_plural_perfective_of_the_faala_pattern_is_a_verb_with_its_subject(coder_only):
    # هاجموا looked like an adverbial participle (هاجما) and lost its subject
    doc = coder_only("وقال شهود إن عددا من المسلحين هاجموا الحاجز.")
    attack = events_of(doc, "ASSAULT")
    assert attack and actor(attack[0].source) == "gunmen"


def test_a_verb_after_a_definite_institution_is_no_part_of_its_name(annotate):
    doc = annotate("وقال إن الشرطة اعتقلت المشتبه بهم في المدينة.")
    assert not [e for e in doc.entities if "اعتقلت" in e.text]
    assert events_of(doc, "COERCE")


def test_claimed_attack_takes_the_claiming_group_as_doer(coder_only):
    doc = coder_only("قتل ستة مدنيين في هجوم انتحاري استهدف موكبا عسكريا وتبنته حركة طالبان.")
    attack = [e for e in events_of(doc, "ASSAULT") if e.trigger.text == "هجوم"]
    assert attack and actor(attack[0].source) == "taliban"


def test_place_after_compass_words_and_quantifiers(coder_only):
    doc = coder_only("قتل عشرون شخصا على الأقل كانوا يحضرون حفل زفاف، في غارة جوية على شمال غربي اليمن.")
    attacks = events_of(doc, "ASSAULT")
    assert attacks and all(e.location is not None and e.location.text == "اليمن" for e in attacks)
    doc = coder_only("وتظاهر آلاف المحتجين في بعض مناطق محافظة البصرة احتجاجا على نقص الخدمات.")
    protest = events_of(doc, "PROTEST")
    assert protest and protest[0].location is not None and "البصرة" in protest[0].location.text


def test_laying_the_blame_on_someone_is_an_accusation(coder_only):
    doc = coder_only("ووجه الحوثيون اللوم في الغارة إلى التحالف الذي تقوده السعودية.")
    blame = events_of(doc, "ACCUSE")
    assert blame and actor(blame[0].source) == "houthis" and actor(blame[0].target) == "saudi_coalition"
    assert not events_of(coder_only("ووجه الرئيس رسالة إلى نظيره الفرنسي."), "ACCUSE")


def test_a_courts_adana_is_a_conviction(coder_only):
    doc = coder_only("وكانت محكمة تركية قد أدانت الصحفيين بالارتباط بمدبري محاولة الانقلاب.")
    conviction = events_of(doc, "SANCTION")
    assert conviction and conviction[0].cameo == "116" and conviction[0].mode == "convict"
    assert not events_of(doc, "ACCUSE")
    condemnation = events_of(coder_only("وأدانت الحكومة التركية الهجوم على السفارة."), "ACCUSE")
    assert condemnation and condemnation[0].cameo.startswith("11")


def test_a_listed_support_verb_before_a_long_subject(coder_only):
    doc = coder_only("توصل الرئيس الجنوب السوداني سالفا كير وزعيم المعارضة رياك مشار إلى اتفاق لتقاسم السلطة.")
    assert events_of(doc, "AGREE")
    # no far support verb without the preposition that governs the noun
    doc = coder_only("وأكد الرئيس الفرنسي ايمانويل ماكرون، الأربعاء، من أستراليا التزام باريس بالاتفاق الذي يفرض "
                     "قيودا على برنامج طهران النووي مقابل تخفيف العقوبات عليها.")
    assert all(e.source is None or "ماكرون" not in e.source.text for e in events_of(doc, "SANCTION"))


def test_scheduled_meetings_and_purposes_are_not_held_yet(coder_only):
    planned = events_of(coder_only("وقالت مصادر إن اجتماعا مقررا سيعقد بعد يومين بين الجانبين."), "CONSULT")
    assert planned and planned[0].modality == "future" and not planned[0].happened
    purpose = events_of(coder_only("واكتفت بلغاريا باستدعاء سفيرها من موسكو لإجراء مشاورات."), "CONSULT")
    assert purpose and purpose[0].modality == "future"
    held = events_of(coder_only("وعقد الوزيران اجتماعا في الدوحة أمس."), "CONSULT")
    assert held and held[0].happened
