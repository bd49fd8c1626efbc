"""The four starting checklists every install begins with (written by us from the rules the bureaus
check: all courses taught, homework limits, no paid extra classes, an hour of sport, sleep, safety).

A node is (title, evidence, children) for a heading or (title, evidence, scoring, points) for a scored
indicator; the bureau edits them freely afterwards. Loaded by a data migration and by the tests.
"""

P, Y = "points", "pass"

STARTING = (
    ("综合督导评估指标（学校）", "comprehensive", "一周一校综合督导使用，满分100分。", (
        ("办学方向与管理", "", (
            ("党建与制度", "", (
                ("学校章程及各项管理制度健全并执行", "章程文本、制度汇编、执行记录", P, 5),
                ("校务公开、家长委员会正常运行", "公开栏照片、家委会会议记录", P, 5),
            )),
            ("计划与档案", "", (
                ("学期工作计划、总结齐全，目标明确", "学期计划、工作总结", P, 5),
                ("学籍、教师、资产档案规范完整", "抽查档案三份", P, 5),
            )),
        )),
        ("课程与教学", "", (
            ("课程开设", "", (
                ("按国家课程方案开齐开足课程，课表与实际一致", "总课表、班级课表、随堂查看", P, 10),
                ("音体美、劳动、综合实践课程不被挤占", "抽查两个班级当周课程", P, 5),
            )),
            ("教学常规", "", (
                ("备课、上课、作业、辅导、评价各环节有检查记录", "教案、作业批改记录、教研记录", P, 10),
                ("校本教研每周开展，有主题有记录", "教研活动记录", P, 5),
            )),
        )),
        ("学生发展", "", (
            ("五项管理", "", (
                ("书面作业总量符合规定并公示", "作业公示栏、学生作业抽查", P, 5),
                ("学生睡眠、手机、读物、体质管理有制度有落实", "制度文本、班级记录", P, 5),
            )),
            ("体育与健康", "", (
                ("学生每天校内体育活动不少于一小时", "大课间安排、体育课表", P, 5),
                ("晨午检和因病缺课登记追踪完整", "晨检记录、缺课追踪表", P, 5),
            )),
        )),
        ("教师队伍", "", (
            ("师德师风", "", (
                ("无在职教师有偿补课及违规收受礼品", "承诺书、家长访谈", P, 10),
            )),
            ("专业发展", "", (
                ("教师继续教育学时达标，青年教师有人带", "培训台账、结对名单", P, 5),
            )),
        )),
        ("校园安全", "", (
            ("安全管理", "", (
                ("安全责任落实到岗，隐患排查每月一次并整改", "责任书、排查台账", P, 10),
                ("安全教育每月一课，应急预案完善并演练", "教育记录、预案文本", P, 5),
            )),
        )),
    )),
    ("开学工作检查表", "term_opening", "开学第一周检查，逐项判定是否达标。", (
        ("开学准备", "", (
            ("校舍安全排查完成，危险部位有警示", "排查记录、现场查看", Y, None),
            ("教科书按时发放到每名学生", "发放登记表", Y, None),
            ("课表、作息时间表上墙并报备", "现场查看", Y, None),
        )),
        ("学生到校", "", (
            ("学生报到率统计准确，未报到学生逐一联系", "报到统计表、联系记录", Y, None),
            ("控辍保学台账更新", "控辍保学台账", Y, None),
        )),
        ("收费与食堂", "", (
            ("收费项目和标准公示，无违规收费", "公示栏照片、收费票据", Y, None),
            ("食堂证照齐全，食品留样48小时", "许可证、留样记录", Y, None),
        )),
    )),
    ("校园安全检查表", "safety", "安全专项检查，满分100分。", (
        ("消防安全", "", (
            ("消防器材配备齐全并在有效期内", "现场抽查灭火器、消防栓", P, 15),
            ("疏散通道畅通，每学期至少一次疏散演练", "演练记录、现场查看", P, 15),
        )),
        ("食品卫生", "", (
            ("从业人员持健康证上岗，晨检有记录", "健康证、晨检记录", P, 10),
            ("食材进货查验、留样制度落实", "进货台账、留样记录", P, 10),
        )),
        ("校园周边与交通", "", (
            ("护学岗按时到位，校车运行规范", "护学岗记录、校车台账", P, 15),
            ("门卫登记制度落实，封闭管理到位", "来访登记、现场查看", P, 15),
        )),
        ("防溺水与心理健康", "", (
            ("防溺水教育覆盖全体学生，家长告知书回收", "告知书回执、主题班会记录", P, 10),
            ("心理辅导室正常开放，重点学生有档案", "辅导记录、档案", P, 10),
        )),
    )),
    ("规范办学行为专项督查表", "conduct", "专项督查与随机督查使用，逐项判定是否规范。", (
        ("课程与作息", "", (
            ("开齐开足国家规定课程，不随意增减课时", "课表、随堂查看", Y, None),
            ("学生在校时间、睡眠时间符合规定", "作息时间表、学生访谈", Y, None),
            ("每天一小时校园体育活动落实", "大课间现场查看", Y, None),
        )),
        ("作业与考试", "", (
            ("作业总量控制，分层布置，教师全批全改", "作业抽查", Y, None),
            ("不按考试成绩公开排名，不以分数给学生贴标签", "成绩通知方式、学生访谈", Y, None),
        )),
        ("招生与收费", "", (
            ("无违规招生、择校及考试选拔", "招生材料", Y, None),
            ("无有偿补课和违规收费", "家长访谈、收费公示", Y, None),
        )),
    )),
)


# Indicators that do not apply to a kindergarten (no national curriculum, homework or exams there).
NOT_FOR = {
    "按国家课程方案开齐开足课程，课表与实际一致": ["kindergarten"],
    "备课、上课、作业、辅导、评价各环节有检查记录": ["kindergarten"],
    "书面作业总量符合规定并公示": ["kindergarten"],
    "开齐开足国家规定课程，不随意增减课时": ["kindergarten"],
    "作业总量控制，分层布置，教师全批全改": ["kindergarten"],
    "不按考试成绩公开排名，不以分数给学生贴标签": ["kindergarten"],
    "无违规招生、择校及考试选拔": ["kindergarten"],
    "教科书按时发放到每名学生": ["kindergarten"],
}


def load_starting(checklist_model, item_model) -> int:
    """Create the starting checklists that do not exist yet (by name); returns how many were made."""
    made = 0
    for name, kind, description, nodes in STARTING:
        if checklist_model.objects.filter(name=name).exists():
            continue
        checklist = checklist_model.objects.create(name=name, kind=kind, description=description)
        _add(item_model, checklist, None, nodes)
        made += 1
    return made


def _add(item_model, checklist, parent, nodes) -> None:
    for position, node in enumerate(nodes, start=1):
        if len(node) == 3:
            title, evidence, children = node
            item = item_model.objects.create(checklist=checklist, parent=parent, position=position, title=title,
                                             evidence=evidence, scoring="heading")
            _add(item_model, checklist, item, children)
        else:
            title, evidence, scoring, points = node
            fields = {"not_for": NOT_FOR[title]} if title in NOT_FOR and _has_not_for(item_model) else {}
            item_model.objects.create(checklist=checklist, parent=parent, position=position, title=title,
                                      evidence=evidence, scoring=scoring, max_points=points, **fields)


def _has_not_for(item_model) -> bool:
    """The field came later than the migration that first loads the checklists."""
    return any(f.name == "not_for" for f in item_model._meta.get_fields())
