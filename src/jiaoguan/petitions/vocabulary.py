"""The Chinese words of petitions as the hotline's exports, the 信访局's monthly table and the reply
document write them: a file format, fixed whatever the interface's translation says."""

from jiaoguan.petitions.models import Category, Channel, Kind, Outcome, Satisfaction, State

CHANNELS = {Channel.LETTER: "来信", Channel.CALL: "来电", Channel.VISIT: "来访", Channel.ONLINE: "网上信访",
            Channel.HOTLINE: "12345转办", Channel.HIGHER: "上级转办", Channel.MAILBOX: "领导信箱"}
CATEGORIES = {Category.FEES: "收费", Category.TUTORING: "有偿补课", Category.ADMISSION: "招生入学",
              Category.ETHICS: "师德师风", Category.SAFETY: "校园安全", Category.BULLYING: "欺凌",
              Category.PAY: "教师待遇", Category.BUS: "校车", Category.CANTEEN: "食堂", Category.OTHER: "其他"}
KINDS = {Kind.SUGGESTION: "建议意见", Kind.ACCUSATION: "检举控告", Kind.APPEAL: "申诉求决"}
STATES = {State.REGISTERED: "登记", State.NOT_ACCEPTED: "不予受理", State.FORWARDED: "转送",
          State.HANDLING: "办理中", State.REPLIED: "已答复", State.REVIEW: "复查中", State.REVIEWED: "已复查",
          State.RECHECK: "复核中", State.CLOSED: "已办结"}
OUTCOMES = {Outcome.SUPPORTED: "支持", Outcome.EXPLAINED: "解释说明", Outcome.NOT_SUPPORTED: "不予支持",
            Outcome.MEDIATED: "调解"}
SATISFACTION = {Satisfaction.SATISFIED: "满意", Satisfaction.BASIC: "基本满意", Satisfaction.DISSATISFIED: "不满意"}

# The hotline's 诉求类型 and the kind of petition each one is.
REQUEST_TYPES = {"投诉": Kind.APPEAL, "求助": Kind.APPEAL, "咨询": Kind.APPEAL, "求决": Kind.APPEAL,
                 "申诉": Kind.APPEAL, "举报": Kind.ACCUSATION, "检举": Kind.ACCUSATION, "控告": Kind.ACCUSATION,
                 "建议": Kind.SUGGESTION, "意见": Kind.SUGGESTION, "表扬": Kind.SUGGESTION}
# Words hotline operators use for our categories.
CATEGORY_SYNONYMS = {"乱收费": Category.FEES, "教育收费": Category.FEES, "有偿家教": Category.TUTORING,
                     "补课": Category.TUTORING, "招生": Category.ADMISSION, "入学": Category.ADMISSION,
                     "学位": Category.ADMISSION, "师德": Category.ETHICS, "体罚": Category.ETHICS,
                     "安全": Category.SAFETY, "霸凌": Category.BULLYING, "校园欺凌": Category.BULLYING,
                     "工资": Category.PAY, "待遇": Category.PAY, "绩效": Category.PAY, "营养餐": Category.CANTEEN,
                     "食品安全": Category.CANTEEN}
