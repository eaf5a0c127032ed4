"""Who attacked whom: roles of violent events (issue 4) on sentences written for these
tests, one pattern each (generic actors, counted victims, case endings, agreement,
تعرض ل، passive agents, relative doers, كان ... قد)."""
from __future__ import annotations


def assault(doc):
    found = [e for e in doc.events if e.type == "ASSAULT"]
    assert found, [(e.type, e.trigger.text) for e in doc.events]
    return found[0]


def actor(participant):
    return participant.actor if participant is not None else None


def test_generic_doers_after_the_verb(annotate):
    event = assault(annotate("هاجم مسلحون مجهولون نقطة تفتيش في شمال المدينة."))
    assert actor(event.source) == "gunmen" and event.source.sector == "UAF"
    assert event.source.name_en == "Gunmen"


def test_counted_phrase_after_a_killing_verb_is_the_victims(annotate):
    event = assault(annotate("قتل سبعة أشخاص في انفجار سيارة مفخخة في سوق شعبي."))
    assert event.source is None
    assert actor(event.target) == "people_generic"


def test_counted_subject_of_a_protest_is_the_protesters(annotate):
    doc = annotate("تظاهر آلاف الطلاب أمام مبنى الوزارة.")
    protest = next(e for e in doc.events if e.type == "PROTEST")
    assert actor(protest.source) == "students"


def test_oblique_plural_after_the_verb_is_the_object(annotate):
    event = assault(annotate("وهاجمت الشرطة المتظاهرين في الساحة الرئيسية."))
    assert actor(event.source) == "police_generic"
    assert actor(event.target) == "protesters"


def test_plural_agreement_puts_the_subject_before_the_verb(annotate):
    event = assault(annotate("وقال شهود إن مستوطنين هاجموا المزارعين قرب القرية."))
    assert event.source is not None and event.source.country == "ISR"
    assert "المزارعين" in event.target.text


def test_victim_of_an_event_noun_is_its_genitive(annotate):
    event = assault(annotate("وأعلنت مصادر طبية مقتل ثلاثة جنود في الهجوم."))
    assert event.source is None  # the announcer of deaths is not their cause
    assert actor(event.target) == "soldiers"


def test_army_announcing_its_own_kills_is_the_source(annotate):
    event = assault(annotate("وأعلن الجيش المصري مقتل عشرة مسلحين في شمال سيناء."))
    assert event.source is not None and event.source.sector == "MIL"
    assert actor(event.target) == "gunmen"


def test_exposed_to_an_attack_makes_the_subject_the_target(annotate):
    event = assault(annotate("وتعرضت دورية للجيش العراقي لهجوم على أيدي مسلحين قرب كركوك."))
    assert actor(event.source) == "gunmen"
    assert event.target is not None and "دورية" in event.target.text


def test_passive_agent_after_barsas(annotate):
    event = assault(annotate("وقتل شاب برصاص قوات الأمن في المدينة."))
    assert actor(event.source) == "police_generic"


def test_doer_named_after_the_attack_noun_is_shared_with_the_killing(annotate):
    doc = annotate("وقتل خمسة جنود في هجوم شنه متمردون على قاعدة عسكرية.")
    killing = next(e for e in doc.events if e.trigger.text == "وقتل")
    assert actor(killing.source) == "rebels"
    assert actor(killing.target) == "soldiers"


def test_kana_qad_subject(annotate):
    event = assault(annotate("وكانت جماعة مسلحة قد أطلقت قذائف على البلدة أمس."))
    assert actor(event.source) == "gunmen"
    assert event.target is not None and "البلدة" in event.target.text


def test_suicide_bombers_blew_themselves_up(annotate):
    event = assault(annotate("وفجر انتحاريان نفسيهما قرب مقر الشرطة."))
    assert actor(event.source) == "suicide_bombers"
    assert not any(e.trigger.text == "انتحاريان" for e in annotate("وفجر انتحاريان نفسيهما قرب مقر الشرطة.").events)


def test_time_adverbial_is_not_the_victim(annotate):
    event = assault(annotate("واغتالت وحدة إسرائيلية خاصة قبل ظهر أمس ناشطا في المدينة."))
    assert event.source is not None and event.source.country == "ISR"
    assert event.target is not None and event.target.text.startswith("ناشط")


def test_agent_genitive_of_a_storming_noun(annotate):
    doc = annotate("أدانت الجامعة العربية اقتحام المستوطنين للمسجد الأقصى.")
    storming = next(e for e in doc.events if e.trigger.text == "اقتحام")
    assert actor(storming.source) == "isr_settlers"


def test_preverbal_victims_read_the_verb_as_passive(annotate):
    event = assault(annotate("وقال مصدر أمني إن ثلاثة مدنيين قتلوا في القصف."))
    assert event.source is None
    assert actor(event.target) == "civilians"


def test_generic_noun_after_a_killing_verb_with_no_object_is_the_victim(annotate):
    event = assault(annotate("وقتل جنديان على يد مسلحين قرب الحدود."))
    assert actor(event.source) == "gunmen"
    assert actor(event.target) == "soldiers"


def test_preverbal_doer_with_an_object_stays_the_doer(annotate):
    event = assault(annotate("وقال مصدر إن مسلحين قتلوا شرطيا في الموصل."))
    assert actor(event.source) == "gunmen"
    assert actor(event.target) == "police_generic"


def test_adjective_after_an_attack_noun_is_no_doer(annotate):
    event = assault(annotate("وأدى هجوم انتحاري تبنته طالبان إلى مقتل ثلاثة جنود."))
    assert actor(event.source) == "taliban"


def test_total_before_the_counted_victims(annotate):
    event = assault(annotate("خطف المسلحون ما مجموعه 14 شخصا قرب المدينة."))
    assert actor(event.source) == "gunmen"
    assert actor(event.target) == "people_generic"


def test_event_at_gives_roles_to_a_trigger_the_rules_skipped(resources):
    """The event check adds events where the coder's rules coded none (here a bare noun
    after بعد): EventCoder.event_at reads their roles from the clause."""
    from hadath.engine import build_pipeline, make_document
    from hadath.events.coder import EventCoder
    from hadath.options import ExtractOptions

    pipeline = build_pipeline(ExtractOptions(ner="rules", event_classifier="off"), resources)
    coder = next(stage for stage in pipeline.stages if isinstance(stage, EventCoder))
    text = "وتوقفت حركة السير بعد الهجوم الذي شنه مسلحون على الحاجز."
    doc = pipeline(make_document(text))
    assert not [e for e in doc.events if e.type == "ASSAULT"]
    event = coder.event_at(doc, doc.sentences[0], text.index("الهجوم"))
    assert event is not None and event.type == "ASSAULT"
    assert actor(event.source) == "gunmen" and "الحاجز" in event.target.text
    assert coder.event_at(doc, doc.sentences[0], text.index("حركة")) is None


def test_reported_clause_subject_that_names_no_known_actor(annotate):
    event = assault(annotate("وأكدت الألوية أن دبابة إسرائيلية أطلقت القذيفة على مقاتليها."))
    assert event.source is not None and "دبابة" in event.source.text


def test_reported_clause_pronoun_is_the_speaker(annotate):
    event = assault(annotate("وفي يناير أكد حلف شمال الأطلسي أنه قتل نحو 150 متمردا من طالبان."))
    assert actor(event.source) == "nato"
    assert actor(event.target) == "rebels"


def test_the_speakers_own_forces_are_the_speaker(annotate):
    event = assault(annotate("وأعلن الجيش الأمريكي في وقت لاحق أن قواته قتلت مسلحا خلال عمليات في العاصمة."))
    assert actor(event.source) == "usa_military"


def test_kana_without_qad(annotate):
    event = assault(annotate("وكان الوحيدي أطلق عدة أعيرة نارية على مجموعة من السياح."))
    assert event.source is not None and "الوحيدي" in event.source.text
    doc = annotate('وأضاف "والتي كان أحدثها إدانته للسفير، نحن ملتزمون بالسلام".')
    assert not [e for e in doc.events if e.type == "ACCUSE"]


def test_victims_of_the_consequence_clause(annotate):
    doc = annotate("وقال مصدر إن سيارة مفخخة انفجرت قرب السوق، مما أدى إلى مقتل عشرة أشخاص على الأقل.")
    event = assault(doc)
    assert actor(event.target) == "people_generic"


def test_aimed_verb_after_an_attack_noun_names_its_target_not_a_second_doer(annotate):
    doc = annotate("وقتل أربعة جنود في هجوم انتحاري استهدف دورية للشرطة.")
    attacks = [e for e in doc.events if e.type == "ASSAULT"]
    assert all(e.source is None for e in attacks), [(e.trigger.text, e.source) for e in attacks]
    assert any(e.target is not None and "دورية" in e.target.text for e in attacks)


def test_kana_qad_with_no_object_reads_as_passive(annotate):
    event = assault(annotate("وكانت رئيسة الوزراء السابقة قد قتلت في هجوم انتحاري في مدينة روالبندي."))
    assert event.source is None
    assert event.target is not None and "رئيسة" in event.target.text


def test_nationality_of_an_attack_noun_names_the_military(annotate):
    event = assault(annotate("وقال مسؤولون إن ضربة جوية أميركية في شمال العراق أدت إلى مقتل ثمانية مقاتلين."))
    assert actor(event.source) == "USA_MIL"
    event = assault(annotate("واستشهد ثلاثة فلسطينيين أمس في غارة إسرائيلية على مخيم جباليا."))
    assert event.source is not None and event.source.country == "ISR"


def test_the_speakers_aircraft_after_a_comma_are_the_speaker(annotate):
    event = assault(annotate("قال الجيش التركي في بيان نشره على موقعه، أمس، إن طائراته قصفت مواقع للمتمردين."))
    assert event.source is not None and event.source.country == "TUR"


def test_a_single_suicide_bomber_and_the_target_he_aimed_at(annotate):
    event = assault(annotate("وفجر انتحاري نفسه مستهدفا حافلة للشرطة في المدينة."))
    assert actor(event.source) == "suicide_bombers"
    assert event.target is not None and "حافلة" in event.target.text


def test_addressees_after_kull_min(annotate):
    doc = annotate("وناشدت محكمة العدل الدولية كل من إيران وأمريكا بالامتناع عن أي خطوات تصعيدية.")
    call = [e for e in doc.events if e.type == "REQUEST"]
    assert call and call[0].target is not None and actor(call[0].target) == "IRN"
    assert call[0].location is None  # the addressee is not where the appeal was made


def test_an_institution_noun_after_a_named_subject_is_the_object(annotate):
    # القنصلية looks like a relational adjective (-ية) but heads the object phrase
    doc = annotate("وطالب الرئيس التركي رجب طيب أردوغان القنصلية السعودية بإثبات خروج الصحفي.")
    call = [e for e in doc.events if e.type == "REQUEST"]
    assert call and actor(call[0].source) == "recep_tayyip_erdogan"
    assert call[0].target is not None and "السعودية" in call[0].target.text


def test_whoever_after_kull_min_is_no_addressee(annotate):
    doc = annotate("وشكر الوزير كل من ساهم في إطلاق سراح الرهائن.")
    assert all(e.target is None or "ساهم" not in e.target.text for e in doc.events)


def test_agent_phrase_makes_a_preverbal_victim_passive(annotate):
    doc = annotate("وأعلنت الوزارة أن شابا قتل برصاص الجيش الإسرائيلي قرب الحدود.")
    killing = [e for e in doc.events if e.type == "ASSAULT"]
    assert killing and actor(killing[0].source) == "isr_idf"
    assert killing[0].target is not None and "شابا" in killing[0].target.text


def test_an_object_keeps_the_verb_active_despite_a_later_agent_phrase(annotate):
    doc = annotate("وقال إن مسلحين قتلوا شرطيا على يد مجهولين.")
    killing = [e for e in doc.events if e.type == "ASSAULT"]
    assert killing and actor(killing[0].source) == "gunmen"


def test_wounded_by_gunfire_is_an_attack_by_the_shooter(annotate):
    doc = annotate("وأصيب ثلاثة فلسطينيين برصاص الجيش الإسرائيلي شرق غزة.")
    shooting = [e for e in doc.events if e.type == "ASSAULT"]
    assert shooting and actor(shooting[0].source) == "isr_idf"
    assert shooting[0].target is not None and "فلسطينيين" in shooting[0].target.text


def test_wounded_without_an_agent_takes_no_doer_from_the_discourse(rules_coded):
    doc = rules_coded("وقال رئيس الحكومة الهندية إن الوضع مستقر. وأصيب الوزير برصاصة في رأسه.")
    shooting = [e for e in doc.events if e.type == "ASSAULT"]
    assert shooting and shooting[0].source is None
    assert shooting[0].target is not None and "الوزير" in shooting[0].target.text


def test_an_attack_attributed_to_a_group_takes_it_as_doer(rules_coded):
    doc = rules_coded("وتعرضت قاعدة للجيش أمس لهجوم انتحاري، نسب الى المتمردين التاميل، واسفر عن مقتل جنود.")
    attack = [e for e in doc.events if e.type == "ASSAULT" and "هجوم" in e.trigger.text]
    assert attack and actor(attack[0].source) == "rebels"


def test_a_suicide_bomber_noun_is_its_own_doer(rules_coded):
    doc = rules_coded("قتل 18 شخصا في انفجار سيارتين مفخختين، يقود إحداهما انتحاري، في بغداد امس.")
    bomber = [e for e in doc.events if e.type == "ASSAULT" and e.trigger.text == "انتحاري"]
    assert bomber and actor(bomber[0].source) == "suicide_bombers"


def test_what_explodes_is_no_doer_and_the_dead_are_no_doers(rules_coded):
    doc = rules_coded("وقال الشرطي إن المدنيين هربوا. وانفجرت سيارة مفخخة لدى مرور دورية مما أدى إلى مقتل أربعة أشخاص.")
    blast = [e for e in doc.events if e.type == "ASSAULT" and e.trigger.text.endswith("انفجرت")]
    assert blast and blast[0].source is None and actor(blast[0].target) == "people_generic"
    doc = rules_coded("سقطت قذائف على مبان سكنية ما أدى إلى مقتل مدنيين اثنين.")
    assert all(e.source is None or "مدنيين" not in e.source.text for e in doc.events)
