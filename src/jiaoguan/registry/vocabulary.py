"""The Chinese words for each enumeration as they appear in the bureau's Excel files.

Files are a contract with schools: these words stay fixed whatever the interface's translation
says. Importers accept them, the English labels and the codes; exports and templates write them.
"""

from jiaoguan.registry import models as m

FILE_LABELS = {
    m.SchoolType: {"kindergarten": "幼儿园", "primary": "小学", "junior": "初级中学", "senior": "高级中学",
                   "complete": "完全中学", "nine_year": "九年一贯制学校", "twelve_year": "十二年一贯制学校",
                   "vocational": "中等职业学校", "special": "特殊教育学校"},
    m.Ownership: {"public": "公办", "private": "民办"},
    m.SchoolStatus: {"open": "在办", "merged": "合并", "revoked": "撤销", "suspended": "停办"},
    m.Grade: {-2: "小班", -1: "中班", 0: "大班", 1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级",
              6: "六年级", 7: "七年级", 8: "八年级", 9: "九年级", 10: "高一", 11: "高二", 12: "高三"},
    m.Gender: {"M": "男", "F": "女"},
    m.Post: {"teacher": "专任教师", "principal": "校长", "vice_principal": "副校长", "middle_manager": "中层干部",
             "clerk": "职员", "worker": "工勤人员", "official": "机关干部", "researcher": "教研员"},
    m.Title: {"senior_plus": "正高级教师", "senior": "高级教师", "first": "一级教师", "second": "二级教师",
              "third": "三级教师", "none": "未定级"},
    m.Establishment: {"established": "编制内", "contract": "编外", "substitute": "代课"},
    m.Qualification: {"kindergarten": "幼儿园教师资格", "primary": "小学教师资格", "junior": "初级中学教师资格",
                      "senior": "高级中学教师资格", "vocational": "中职专业课教师资格", "none": "无"},
    m.Honour: {"backbone": "骨干教师", "leader": "学科带头人", "special": "特级教师", "master": "名师"},
    m.HonourLevel: {"national": "国家级", "province": "省级", "city": "市级", "district": "县区级", "school": "校级"},
    m.StudentStatus: {"enrolled": "在读", "transferred_out": "转出", "suspended": "休学", "dropped_out": "辍学",
                      "graduated": "毕业"},
    m.Disability: {"": "无", "visual": "视力残疾", "hearing": "听力残疾", "speech": "言语残疾",
                   "physical": "肢体残疾", "intellectual": "智力残疾", "mental": "精神残疾", "multiple": "多重残疾"},
}

# Other words schools write for the same thing.
SYNONYMS = {
    m.SchoolType: {"初中": "junior", "高中": "senior", "九年一贯制": "nine_year", "十二年一贯制": "twelve_year",
                   "中职": "vocational", "特殊教育": "special", "特教": "special"},
    m.Grade: {"初一": 7, "初二": 8, "初三": 9, "高中一年级": 10, "高中二年级": 11, "高中三年级": 12},
    m.Establishment: {"编外合同制": "contract", "代课教师": "substitute"},
    m.Post: {"教师": "teacher"},
    m.Disability: {"视力": "visual", "听力": "hearing", "言语": "speech", "肢体": "physical", "智力": "intellectual",
                   "精神": "mental", "多重": "multiple"},
    m.HonourLevel: {"区级": "district", "县级": "district", "国家": "national", "省": "province", "市": "city"},
}


def file_label(enum, value) -> str:
    if value in (None, "") and "" not in FILE_LABELS[enum]:
        return ""
    return FILE_LABELS[enum][enum(value).value if value != "" else ""]


def file_labels(enum, *, skip_blank: bool = True) -> tuple[str, ...]:
    return tuple(label for value, label in FILE_LABELS[enum].items() if not (skip_blank and value == ""))
