"""The national programmes with their published standards (yuan a year; a term pays half), shipped by a data
migration; the bureau edits them and adds its own. Shares are the usual split for a central-western county
(中央/省/县); the bureau sets its own."""

# code, name, stage, kind, boarders only, by level, (central, provincial, county) %, standards
# standards: (level, start, yearly, note)
NATIONAL = (
    ("BOARD-P", "义务教育寄宿生生活补助（小学）", "primary", "cash", True, False, (50, 30, 20), (
        ("", "2019-09-01", "1000.00", "小学每生每年1000元（财教〔2019〕19号）"),)),
    ("BOARD-J", "义务教育寄宿生生活补助（初中）", "junior", "cash", True, False, (50, 30, 20), (
        ("", "2019-09-01", "1250.00", "初中每生每年1250元（财教〔2019〕19号）"),)),
    ("MEAL", "农村义务教育学生营养膳食补助", "primary", "in_kind", False, False, (100, 0, 0), (
        ("", "2019-09-01", "800.00", "每生每天4元，按200天计"),
        ("", "2021-09-01", "1000.00", "2021年秋季学期起每生每天5元，按200天计"),)),
    ("SENIOR-GRANT", "普通高中国家助学金", "senior", "cash", False, True, (60, 20, 20), (
        ("special", "2019-01-01", "3000.00", "平均每生每年2000元，分档"),
        ("hard", "2019-01-01", "2000.00", "平均每生每年2000元，分档"),
        ("ordinary", "2019-01-01", "1000.00", "平均每生每年2000元，分档"),
        ("special", "2025-01-01", "3300.00", "2025年春季学期起平均每生每年2300元，分档"),
        ("hard", "2025-01-01", "2300.00", "2025年春季学期起平均每生每年2300元，分档"),
        ("ordinary", "2025-01-01", "1300.00", "2025年春季学期起平均每生每年2300元，分档"),)),
    ("SENIOR-FEES", "普通高中免学杂费", "senior", "waiver", False, False, (60, 20, 20), (
        ("", "2019-01-01", "800.00", "按当地公办学校学杂费标准（县可修改）"),)),
    ("VOC-GRANT", "中等职业教育国家助学金", "vocational", "cash", False, True, (60, 20, 20), (
        ("special", "2019-01-01", "3000.00", "平均每生每年2000元，分档"),
        ("hard", "2019-01-01", "2000.00", "平均每生每年2000元，分档"),
        ("ordinary", "2019-01-01", "1000.00", "平均每生每年2000元，分档"),
        ("special", "2025-01-01", "3300.00", "2025年春季学期起平均每生每年2300元，分档"),
        ("hard", "2025-01-01", "2300.00", "2025年春季学期起平均每生每年2300元，分档"),
        ("ordinary", "2025-01-01", "1300.00", "2025年春季学期起平均每生每年2300元，分档"),)),
    ("VOC-FEES", "中等职业教育免学费", "vocational", "waiver", False, False, (60, 20, 20), (
        ("", "2019-01-01", "2000.00", "中央按每生每年平均2000元测算补助"),)),
    ("PRESCHOOL", "学前教育幼儿资助", "preschool", "cash", False, False, (50, 25, 25), (
        ("", "2019-09-01", "1000.00", "按地方资助标准（县可修改）"),)),
)


def load_national(programme_model, standard_model) -> int:
    """The national programmes and their standards, where missing (by code; never twice). Used by the data
    migration and by tests whose database was emptied (a transactional test). Returns how many were made."""
    import datetime as dt
    from decimal import Decimal

    made = 0
    for code, name, stage, kind, boarders, by_level, (central, provincial, county), standards in NATIONAL:
        programme, created = programme_model.objects.get_or_create(code=code, defaults=dict(
            name=name, stage=stage, kind=kind, boarders_only=boarders, by_level=by_level, local=False,
            central_share=central, provincial_share=provincial, county_share=county))
        made += created
        for level, start, yearly, note in standards:
            standard_model.objects.get_or_create(programme=programme, level=level,
                                                 start=dt.date.fromisoformat(start),
                                                 defaults={"yearly": Decimal(yearly), "note": note})
    return made
