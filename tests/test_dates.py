"""hadath.dates: finding Arabic date expressions and resolving them."""
from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hadath.dates import resolve
from hadath.dates.resolve import find_dates, parse_published

D = dt.date


@pytest.fixture(autouse=True)
def strict(monkeypatch):
    """Surface the exceptions find_dates/parse_published would swallow in production."""
    monkeypatch.setattr(resolve, "STRICT", True)

PUB = D(2023, 2, 27)          # a Monday


def only(text: str, pub: dt.date | None = PUB):
    mentions = find_dates(text, pub)
    assert len(mentions) == 1, [(m.text, m.value) for m in mentions]
    m = mentions[0]
    assert text[m.start:m.end] == m.text
    return m


def check(text: str, surface: str, value: dt.date, precision: str, calendar: str,
          pub: dt.date | None = PUB):
    """``surface`` must be found exactly, with the given resolution."""
    mentions = find_dates(text, pub)
    for m in mentions:
        assert text[m.start:m.end] == m.text
    hits = [m for m in mentions if m.text == surface]
    assert hits, f"{surface!r} not in {[(m.text, m.value) for m in mentions]}"
    m = hits[0]
    assert text.index(surface) == m.start
    assert (m.value, m.precision, m.calendar) == (value, precision, calendar), m
    return m


def nothing(text: str, pub: dt.date | None = PUB):
    mentions = find_dates(text, pub)
    assert mentions == [], [(m.text, m.value) for m in mentions]


# --------------------------------------------------------------------------- Gregorian
GREGORIAN = [
    ("وقعت الحادثة في 27 فبراير 2023 قرب المدينة", "27 فبراير 2023", D(2023, 2, 27), "day"),
    ("وقعت في ٢٧ شباط ٢٠٢٣", "٢٧ شباط ٢٠٢٣", D(2023, 2, 27), "day"),
    ("في 27 شباط/فبراير 2023 أعلن", "27 شباط/فبراير 2023", D(2023, 2, 27), "day"),
    ("في 27 فبراير/ شباط 2023", "27 فبراير/ شباط 2023", D(2023, 2, 27), "day"),
    ("صدر في (فبراير) شباط 2023", "(فبراير) شباط 2023", D(2023, 2, 1), "month"),
    ("صدر في فبراير (شباط) 2023", "فبراير (شباط) 2023", D(2023, 2, 1), "month"),
    ("الذي صدر في مارس/آذار 2017 بيعت", "مارس/آذار 2017", D(2017, 3, 1), "month"),
    ("ففي 24 فبراير شباط الماضي قال", "24 فبراير شباط الماضي", D(2023, 2, 24), "day"),
    ("في 11 يناير/كانون الثاني الماضي", "11 يناير/كانون الثاني الماضي", D(2023, 1, 11), "day"),
    ("انتخابات 15 جويلية 2022 في تونس", "15 جويلية 2022", D(2022, 7, 15), "day"),
    ("في جانفي 2020 أعلنت", "جانفي 2020", D(2020, 1, 1), "month"),
    ("منذ أوت 2021", "أوت 2021", D(2021, 8, 1), "month"),
    ("في 3 أفريل 2019", "3 أفريل 2019", D(2019, 4, 3), "day"),
    ("في تشرين الأول 2022", "تشرين الأول 2022", D(2022, 10, 1), "month"),
    ("في 12 كانون الأول 2021", "12 كانون الأول 2021", D(2021, 12, 12), "day"),
    ("في 1 آب 2020", "1 آب 2020", D(2020, 8, 1), "day"),
    ("مواليد 4 يونيه 1990", "4 يونيه 1990", D(1990, 6, 4), "day"),
    ("في الخامس من يونيو 2020", "الخامس من يونيو 2020", D(2020, 6, 5), "day"),
    ("في الحادي والعشرين من مارس 2021", "الحادي والعشرين من مارس 2021", D(2021, 3, 21), "day"),
    ("بدأ العمل أول يناير 2023", "أول يناير 2023", D(2023, 1, 1), "day"),
    ("يوم 23 مارس من عام 2019 وقع", "23 مارس من عام 2019", D(2019, 3, 23), "day"),
    ("في 14 يوليو من العام الماضي", "14 يوليو من العام الماضي", D(2022, 7, 14), "day"),
    ("وقع في شهر مايو أيار", "شهر مايو أيار", D(2022, 5, 1), "month"),
    ("الجولة العاشرة : 18 ماي 2017", "18 ماي 2017", D(2017, 5, 18), "day"),
    ("خلال شهر جانفي الفارط", "شهر جانفي الفارط", D(2023, 1, 1), "month"),
    ("خلال شهر فيفري الفارط", "شهر فيفري الفارط", D(2022, 2, 1), "month"),   # strictly before
    ("تنطلق يوم الجمعة 28 أفريل 2017 المحاكمة", "يوم الجمعة 28 أفريل 2017", D(2017, 4, 28), "day"),
    ("ثورة 14 يناير2011 في تونس", "14 يناير2011", D(2011, 1, 14), "day"),
]


@pytest.mark.parametrize("text,surface,value,precision", GREGORIAN)
def test_gregorian(text, surface, value, precision):
    check(text, surface, value, precision, "gregorian")


def test_day_without_year_is_closest_past_occurrence():
    check("وقع في 20 فبراير", "20 فبراير", D(2023, 2, 20), "day", "gregorian")
    check("وقع في 15 مارس", "15 مارس", D(2022, 3, 15), "day", "gregorian")
    check("وقع في 27 فبراير", "27 فبراير", D(2023, 2, 27), "day", "gregorian")


def test_day_without_year_with_future_modifier():
    check("تبدأ في 15 مارس المقبل", "15 مارس المقبل", D(2023, 3, 15), "day", "gregorian")
    check("في 11 تشرين الثاني/نوفمبر المقبل", "11 تشرين الثاني/نوفمبر المقبل", D(2023, 11, 11), "day",
          "gregorian")


def test_month_without_year():
    check("في مارس الماضي", "مارس الماضي", D(2022, 3, 1), "month", "gregorian")
    check("في يناير الماضي", "يناير الماضي", D(2023, 1, 1), "month", "gregorian")
    check("في ديسمبر", "ديسمبر", D(2022, 12, 1), "month", "gregorian")
    check("في أبريل المقبل", "أبريل المقبل", D(2023, 4, 1), "month", "gregorian")
    check("منتصف فبراير الجاري", "فبراير الجاري", D(2023, 2, 1), "month", "gregorian")


def test_weekday_picks_the_year_of_a_yearless_date():
    # 5 March 2023 is a Sunday; the closest *past* 5 March (2022) is a Saturday.
    check("الأحد 5 مارس", "الأحد 5 مارس", D(2023, 3, 5), "day", "gregorian")
    check("يوم الأحد الموافق 26 فبراير", "يوم الأحد الموافق 26 فبراير", D(2023, 2, 26), "day",
          "gregorian")


def test_numeric_dates():
    text = "صدر القرار 27/2/2023 ونشر 2023-02-27 وأعلن 27.2.2023 ثم 2/27/2023"
    found = [(m.text, m.value, m.calendar) for m in find_dates(text, PUB)]
    assert found == [("27/2/2023", D(2023, 2, 27), "gregorian"), ("2023-02-27", D(2023, 2, 27), "gregorian"),
                     ("27.2.2023", D(2023, 2, 27), "gregorian"), ("2/27/2023", D(2023, 2, 27), "gregorian")]
    nothing("القانون رقم 12/5/2020")
    nothing("بنسبة 1.234.5678")


YEARS = [
    ("في عام 2023 ارتفعت", "عام 2023", D(2023, 1, 1)),
    ("قتل في 2019 عدد", "2019", D(2019, 1, 1)),
    ("في العام 2019", "العام 2019", D(2019, 1, 1)),
    ("موازنة لعام 2023", "عام 2023", D(2023, 1, 1)),
    ("احتفالات عام 2023م", "عام 2023م", D(2023, 1, 1)),
    ("الحرب منذ 2011 وحتى", "2011", D(2011, 1, 1)),
    ("بناؤها عام 1869 ولكن", "عام 1869", D(1869, 1, 1)),
]


@pytest.mark.parametrize("text,surface,value", YEARS)
def test_years(text, surface, value):
    check(text, surface, value, "year", "gregorian")


def test_numbers_that_are_not_years():
    nothing("وصل في 2000 شخص إلى المدينة")
    nothing("في 1850 قرية")          # outside 1900-2100 after a weak preposition
    nothing("بلغ 2019 دولارا")
    nothing("قبل 2000 عام")


def test_count_after_a_date_is_not_its_year():
    check("نشر في 5 يونيو 1500 جندي", "5 يونيو", D(2022, 6, 5), "day", "gregorian")
    check("حتى نهاية نوفمبر/ تشرين ثانٍ عام 2019", "نوفمبر/ تشرين ثانٍ عام 2019", D(2019, 11, 1), "month",
          "gregorian")
    check("بين عامي1992 و2006", "عامي1992", D(1992, 1, 1), "year", "gregorian")


def test_ambiguous_month_names_need_context():
    nothing("قال رمضان أحمد إن الوضع")
    nothing("المغنيان برونو مارس وكيندريك لامار")
    nothing("قالت رئيسة الوزراء تيريزا ماي")
    nothing("الرئيس التركي رجب طيب أردوغان")
    nothing("فاز الفريق 3-صفر")
    nothing("في محافظة إب وسط اليمن")
    check("في آب الماضي", "آب الماضي", D(2022, 8, 1), "month", "gregorian")
    check("في آب", "آب", D(2022, 8, 1), "month", "gregorian")
    check("خلال شهر رمضان", "شهر رمضان", D(2023, 3, 23), "month", "hijri")


# --------------------------------------------------------------------------- Hijri
HIJRI = [
    ("الموافق 15 رمضان 1444 هـ", "15 رمضان 1444 هـ", D(2023, 4, 6), "day"),
    ("في رمضان 1444هـ", "رمضان 1444هـ", D(2023, 3, 23), "month"),
    ("العام 1444 هـ", "العام 1444 هـ", D(2022, 7, 30), "year"),
    ("تقويم 1444 هـ", "1444 هـ", D(2022, 7, 30), "year"),
    ("الموافق 4 ذو الحجة 1439", "4 ذو الحجة 1439", D(2018, 8, 15), "day"),
    ("في 10 ذي الحجة 1444 هـ", "10 ذي الحجة 1444 هـ", D(2023, 6, 28), "day"),
    ("في جمادى الأولى 1445 هـ", "جمادى الأولى 1445 هـ", D(2023, 11, 15), "month"),
    ("في 12 ربيع الأول 1445", "12 ربيع الأول 1445", D(2023, 9, 27), "day"),
    ("في 1 ربيع الآخر 1445 هـ", "1 ربيع الآخر 1445 هـ", D(2023, 10, 16), "day"),
    ("فجر يوم الأربعاء الموافق 1439/12/4هـ", "1439/12/4هـ", D(2018, 8, 15), "day"),
    ("غرة شوال 1444 هـ", "غرة شوال 1444 هـ", D(2023, 4, 21), "day"),
]


@pytest.mark.parametrize("text,surface,value,precision", HIJRI)
def test_hijri(text, surface, value, precision):
    check(text, surface, value, precision, "hijri")


def test_hijri_month_without_year_is_nearest_occurrence():
    check("خلال شهر رمضان", "شهر رمضان", D(2023, 3, 23), "month", "hijri", pub=D(2023, 5, 1))
    check("خلال شهر رمضان", "شهر رمضان", D(2023, 3, 23), "month", "hijri", pub=D(2023, 4, 1))
    check("بعد عيد الأضحى في 10 ذي الحجة", "10 ذي الحجة", D(2023, 6, 28), "day", "hijri",
          pub=D(2023, 7, 20))


def test_hijri_month_with_gregorian_year():
    check("عرضت في رمضان 2018 في لندن", "رمضان 2018", D(2018, 5, 16), "month", "hijri")
    check("في 3 شوال 2023", "3 شوال 2023", D(2023, 4, 23), "day", "hijri")
    nothing("فبراير 1444 هـ")             # a Gregorian month in a Hijri year: inconsistent


def test_hijri_day_30_of_a_29_day_month():
    m = only("30 رمضان 1444 هـ")          # Umm al-Qura gives Ramadan 1444 29 days
    assert m.value == D(2023, 4, 21) and m.calendar == "hijri"


# --------------------------------------------------------------------------- relative
RELATIVE = [
    ("قال اليوم إن", "اليوم", PUB, "day"),
    ("وقال أمس إن", "أمس", D(2023, 2, 26), "day"),
    ("وقال بالأمس", "الأمس", D(2023, 2, 26), "day"),
    ("وقع أول أمس", "أول أمس", D(2023, 2, 25), "day"),
    ("وقع أول من أمس", "أول من أمس", D(2023, 2, 25), "day"),
    ("وقع أمس الأول", "أمس الأول", D(2023, 2, 25), "day"),
    ("يصل غداً إلى", "غداً", D(2023, 2, 28), "day"),
    ("يصل بعد غد إلى", "بعد غد", D(2023, 3, 1), "day"),
    ("ستعقد الليلة", "الليلة", PUB, "day"),
    ("فاز الليلة الماضية", "الليلة الماضية", D(2023, 2, 26), "day"),
    ("أعلن صباح اليوم", "صباح اليوم", PUB, "day"),
    ("أعلن مساء أمس", "مساء أمس", D(2023, 2, 26), "day"),
    ("أعلن ظهر اليوم الاثنين", "ظهر اليوم الاثنين", PUB, "day"),
    ("وقال أمس الأحد", "أمس الأحد", D(2023, 2, 26), "day"),
    ("وقال السبت إن", "السبت", D(2023, 2, 25), "day"),
    ("وقال الإثنين إن", "الإثنين", PUB, "day"),
    ("التقى الثلاثاء", "الثلاثاء", D(2023, 2, 21), "day"),
    ("وقع يوم الأحد الماضي", "يوم الأحد الماضي", D(2023, 2, 26), "day"),
    ("وقع الاثنين الماضي", "الاثنين الماضي", D(2023, 2, 20), "day"),
    ("يعقد الجمعة المقبلة", "الجمعة المقبلة", D(2023, 3, 3), "day"),
    ("يعقد يوم الخميس القادم", "يوم الخميس القادم", D(2023, 3, 2), "day"),
    ("قتل مساء السبت", "مساء السبت", D(2023, 2, 25), "day"),
    ("وقع الأسبوع الماضي", "الأسبوع الماضي", D(2023, 2, 20), "week"),
    ("يعقد الأسبوع المقبل", "الأسبوع المقبل", D(2023, 3, 6), "week"),
    ("وقع الشهر الماضي", "الشهر الماضي", D(2023, 1, 1), "month"),
    ("يعقد الشهر المقبل", "الشهر المقبل", D(2023, 3, 1), "month"),
    ("منتصف الشهر الجاري", "الشهر الجاري", D(2023, 2, 1), "month"),
    ("وقع العام الماضي", "العام الماضي", D(2022, 1, 1), "year"),
    ("في السنة الماضية", "السنة الماضية", D(2022, 1, 1), "year"),
    ("خلال العام الجاري", "العام الجاري", D(2023, 1, 1), "year"),
    ("في العام المقبل", "العام المقبل", D(2024, 1, 1), "year"),
    ("في هذا العام", "هذا العام", D(2023, 1, 1), "year"),
    ("وقع منذ ثلاثة أيام", "منذ ثلاثة أيام", D(2023, 2, 24), "day"),
    ("وقع منذ 3 أيام", "منذ 3 أيام", D(2023, 2, 24), "day"),
    ("وقع قبل يومين", "قبل يومين", D(2023, 2, 25), "day"),
    ("وقع قبل أسبوع", "قبل أسبوع", D(2023, 2, 20), "day"),
    ("محاصرة منذ 61 يوما.", "منذ 61 يوما", D(2022, 12, 28), "day"),
    ("وقع قبل عشرة أيام", "قبل عشرة أيام", D(2023, 2, 17), "day"),
    ("وقع قبل شهرين", "قبل شهرين", D(2022, 12, 1), "month"),
    ("وقع قبل خمس سنوات", "قبل خمس سنوات", D(2018, 1, 1), "year"),
    ("قتل خلال الساعات الماضية", "خلال الساعات الماضية", PUB, "day"),
    ("خلال الـ24 ساعة الماضية", "خلال الـ24 ساعة الماضية", PUB, "day"),
]


@pytest.mark.parametrize("text,surface,value,precision", RELATIVE)
def test_relative(text, surface, value, precision):
    check(text, surface, value, precision, "relative")


def test_vague_and_future_durations():
    check("صعدت قبل أسابيع، حيث", "قبل أسابيع", D(2023, 2, 1), "month", "relative")
    check("وقع قبل أيام", "قبل أيام", D(2023, 2, 20), "week", "relative")
    check("مفاوضات منذ أشهر.", "منذ أشهر", D(2022, 1, 1), "year", "relative")
    check("اجتماع سيعقد بعد يومين بين الجانبين", "بعد يومين", D(2023, 3, 1), "day", "relative")
    check("تنطلق بعد 3 أيام", "بعد 3 أيام", D(2023, 3, 2), "day", "relative")
    nothing("أفرج عنه بعد أسبوع")        # after the arrest, not after publication
    nothing("وبعد يومين أعلن")
    nothing("منذ سنوات")


def test_time_of_day_qualifiers():
    check("قال في وقت متأخر أمس الأحد", "وقت متأخر أمس الأحد", D(2023, 2, 26), "day", "relative")
    check("في وقت متأخر من مساء أمس", "وقت متأخر من مساء أمس", D(2023, 2, 26), "day", "relative")
    check("في وقت سابق من اليوم", "وقت سابق من اليوم", PUB, "day", "relative")
    check("قال هذا الصباح", "هذا الصباح", PUB, "day", "relative")
    check("أعلن اليوم الرئيس الفرنسي", "اليوم", PUB, "day", "relative")   # VSO: today, the president


def test_not_relative_dates():
    nothing("قبل يومين من الانتخابات")
    nothing("وفي اليوم التالي انسحب")
    nothing("في اليوم نفسه")
    nothing("في ذلك اليوم")
    nothing("بمناسبة اليوم العالمي للمرأة")
    nothing("الخلاف بين الاثنين")
    nothing("الأحد عشر كوكبا")
    nothing("لامس الكرة بيده")


def test_relative_needs_publication_date():
    text = "قال أمس الأحد إن الهجوم الذي وقع في 15 مارس والأسبوع الماضي و3 مارس 2021"
    found = [(m.text, m.value) for m in find_dates(text, None)]
    assert found == [("3 مارس 2021", D(2021, 3, 3))]


# --------------------------------------------------------------------------- offsets
def test_offsets_with_diacritics_and_tatweel():
    text = "وَقَعَتْ فِي ٢٧ فـبـرايـر ٢٠٢٣ وَقَالَ أَمْسِ إِنَّ الجُمُعَةَ المـاضـيـة كانت هادئة، وسيعود غداً."
    found = find_dates(text, PUB)
    assert [m.text for m in found] == ["٢٧ فـبـرايـر ٢٠٢٣", "أَمْسِ", "الجُمُعَةَ المـاضـيـة", "غداً"]
    for m in found:
        assert text[m.start:m.end] == m.text
    assert [m.value for m in found] == [D(2023, 2, 27), D(2023, 2, 26), D(2023, 2, 24), D(2023, 2, 28)]


def test_offsets_with_presentation_forms_and_bidi_marks():
    text = "\u200fوقع في 5\u200f يونيو 2021 \ufefbحقا"
    m = only(text)
    assert m.text == "5\u200f يونيو 2021" and m.value == D(2021, 6, 5)


def test_results_are_sorted_and_non_overlapping():
    text = ("أعلن الجيش صباح اليوم الاثنين أنه قتل أمس 5 مسلحين، بعد هجوم وقع في 20 فبراير 2023، "
            "أي قبل أسبوع، وكان قد وقع هجوم مماثل في العام الماضي وفي رمضان 1443 هـ.")
    found = find_dates(text, PUB)
    assert [m.text for m in found] == ["صباح اليوم الاثنين", "أمس", "20 فبراير 2023", "قبل أسبوع",
                                       "العام الماضي", "رمضان 1443 هـ"]
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start


def test_longest_match_wins():
    text = "في شهر فبراير من عام 2023"
    m = only(text)
    assert m.text == "شهر فبراير من عام 2023" and m.precision == "month"


# --------------------------------------------------------------------------- robustness
def test_invalid_dates_are_skipped_without_fragments():
    nothing("في 31 فبراير 2023")
    nothing("في 30 فبراير")
    nothing("99999999 يناير")
    nothing("في 15 مارس 2150")
    nothing("قبل 99999999 يوم")
    nothing("99/99/9999")
    nothing("")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_random_unicode(text):
    for m in find_dates(text, PUB):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text


_PIECES = ["في", "عام", "2023", "٢٠٢٣", "27", "99999999", "فبراير", "/", "شباط", "(", ")", "رمضان", "1444", "هـ",
           "أمس", "اليوم", "الأحد", "الماضي", "المقبل", "قبل", "يومين", "منذ", "ثلاثة", "أيام", "الشهر", "العام",
           "31", "0", "-", ".", "،", "صباح", "يوم", "\u0640", "\u064e", "الخامس", "من", "ذو", "الحجة"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.sampled_from([" ", "", "  ", "\n"]),
       st.one_of(st.none(), st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31))))
def test_fuzz_date_like_soup(pieces, sep, pub):
    text = sep.join(pieces)
    found = find_dates(text, pub)
    for m in found:
        assert text[m.start:m.end] == m.text
        assert m.precision in ("day", "week", "month", "year")
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start


@pytest.mark.parametrize("unit", [
    "اليوم الاثنين 27 فبراير 2023 وقال أمس ",
    "1 ", "11111111", "يوم " , "صباح ", "(", "فبراير/", "27/", "قبل ", "منذ 3 ", "الـ", "ـ",
    "الاحد 5 ", "في العام ",
])
def test_one_megabyte_is_linear(unit):
    text = unit * (1_000_000 // len(unit))
    t0 = time.perf_counter()
    find_dates(text, PUB)
    assert time.perf_counter() - t0 < 20


# --------------------------------------------------------------------------- parse_published
@pytest.mark.parametrize("value,expected", [
    ("2023-02-27", D(2023, 2, 27)),
    ("2023-02-27T10:00:00Z", D(2023, 2, 27)),
    ("2023-02-27T23:30:00+03:00", D(2023, 2, 27)),
    ("Sun, 18 Feb 2018 21:35:43 +0400", D(2018, 2, 18)),
    ("27/02/2023", D(2023, 2, 27)),
    ("27-02-2023", D(2023, 2, 27)),
    ("27 فبراير 2023", D(2023, 2, 27)),
    ("الاثنين ٢٧ شباط ٢٠٢٣ - 10:30", D(2023, 2, 27)),
    ("27 February 2023", D(2023, 2, 27)),
    ("February 27, 2023", D(2023, 2, 27)),
    (dt.datetime(2023, 2, 27, 10, 0), D(2023, 2, 27)),
    (D(2023, 2, 27), D(2023, 2, 27)),
    (None, None),
    ("", None),
    ("garbage", None),
    ("not a date at all 12", None),
    ("99/99/9999", None),
    ("2023-13-45", None),
    ("أمس", None),
    (12345, None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=100))
def test_parse_published_never_raises(value):
    result = parse_published(value)
    assert result is None or isinstance(result, dt.date)


def test_find_dates_accepts_datetime_and_string_publication():
    assert only("وقال أمس", dt.datetime(2023, 2, 27, 23, 0)).value == D(2023, 2, 26)
    assert only("وقال أمس", "Mon, 27 Feb 2023 10:00:00 +0000").value == D(2023, 2, 26)


def test_date_stage_fills_the_document():
    from hadath.dates.stage import DateStage
    from hadath.doc import Document

    doc = DateStage()(Document(text="قال أمس إن هجوم 3 مارس 2021", published=PUB))
    assert [(m.text, m.value) for m in doc.dates] == [("أمس", D(2023, 2, 26)), ("3 مارس 2021", D(2021, 3, 3))]
