"""The draft of a work summary, written from facts in the genre's shape: a title, an opening on the
period, 一、主要工作及成效 (one part per work area), 二、存在的问题 (from the data), 三、下一步工作打算
(from what is planned). Figures are placeholders {key} filled from the facts, so every one keeps its
source; where last year's same period has a figure, the change is said (同比).

A draft is a list of blocks: {"kind": "title" | "h1" | "h2" | "p", "text": "… {registry.students} …"}.
"""

import random
import re

from jiaoguan.core import house
from jiaoguan.core.facts import Fact, Period, Writing, claim

PLACEHOLDER = re.compile(r"\{([\w.\-]+)\}")  # fact keys carry exam codes, which may be Chinese
CLAIM = re.compile(r"\{\?([^{}]*)\}")  # a statement no fact supports (core.facts.claim): 待核实
PIECE = re.compile(r"\{(?:([\w.\-]+)|\?([^{}]*))\}")

OPENINGS = (
    "{period}，我局坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的教育方针，围绕办好人民满意的教育，"
    "统筹抓好教育教学、督导检查、数据报送和民生保障等工作，" + claim("各项任务有序推进") + "。现将有关情况总结如下。",
    "{period}，在区委、区政府的坚强领导下，我局聚焦立德树人根本任务，以提高质量、促进公平为主线，"
    "扎实推进教育改革发展各项工作，" + claim("取得了阶段性成效") + "。现将主要工作总结如下。",
)  # the verdict of the opening is the author's to give: 待核实
PLANS_CLOSING = (
    "我们将以更加务实的作风，查短板、强弱项，推动全区教育事业高质量发展。",
    "下一步，我局将坚持问题导向，细化措施、压实责任，确保各项工作落地见效。",
)


def build(period: Period, facts: list[Fact], before: list[Fact] = (), *, title: str, seed: int = 0,
          signed: tuple[str, str] = ("", ""), ongoing: bool = False,
          department: str = "") -> tuple[list[dict], list[Fact]]:
    """(blocks, derived facts such as year-on-year changes). Each app's summary section (core.house)
    writes its part, its problems and its plans. `signed` is the issuing body and date written at the
    end (落款); `ongoing` says the period has not ended yet."""
    writing = Writing(period, facts, {f.key: f for f in before}, random.Random(seed or period.start.toordinal()),
                      ongoing)
    rng = writing.rng
    sections = [section for _app, section in house.summary_sections(department or None)]
    blocks = [{"kind": "title", "text": title},
              {"kind": "p", "text": _ours(rng.choice(OPENINGS).replace("{period}", period.name), department)},
              {"kind": "h1", "text": "一、主要工作及成效"}]
    parts = [part for section in sections if section.write and (part := section.write(writing))]
    numerals = "一二三四五六七八九十"
    for n, (heading, paragraphs) in enumerate(parts):
        blocks.append({"kind": "h2", "text": f"（{numerals[n]}）{heading}"})
        blocks += [{"kind": "p", "text": p} for p in paragraphs]
    blocks.append({"kind": "h1", "text": "二、存在的问题"})
    problems = [p for section in sections if section.problems for p in section.problems(writing)]
    blocks += [{"kind": "p", "text": f"{n}. {p}"} for n, p in enumerate(problems, start=1)] or [
        {"kind": "p", "text": "从本期数据看，各项工作运行平稳，未发现突出问题，但仍需保持警惕、常抓不懈。"}]
    blocks.append({"kind": "h1", "text": "三、下一步工作打算"})
    plans = [p for section in sections if section.plans for p in section.plans(writing)]
    plans = plans or ["统筹推进各项工作，确保全年目标任务圆满完成。"]
    blocks += [{"kind": "p", "text": f"{n}. {p}"} for n, p in enumerate(plans, start=1)]
    blocks.append({"kind": "p", "text": _ours(rng.choice(PLANS_CLOSING), department)})
    blocks += [{"kind": "sign", "text": line} for line in signed if line]
    return blocks, writing.derived


def _ours(text: str, department: str) -> str:
    """A department writes of itself as 我们, the bureau as 我局."""
    return text.replace("我局", "我们") if department else text


def render(blocks: list[dict], facts: dict[str, Fact]) -> list[dict]:
    """Blocks with their figures filled in: each block's `parts` are text, {fact, text} pieces and
    statements to confirm (待核实) as {fact: "", text, claim: true}: a piece that rests on no fact."""
    out = []
    for block in blocks:
        parts, last = [], 0
        for match in PIECE.finditer(block["text"]):
            if match.start() > last:
                parts.append(block["text"][last:match.start()])
            if match.group(2) is not None:
                parts.append({"fact": "", "text": match.group(2), "claim": True})
            else:
                fact = facts.get(match.group(1))
                parts.append({"fact": match.group(1), "text": fact.text if fact else "？"})
            last = match.end()
        if last < len(block["text"]):
            parts.append(block["text"][last:])
        out.append({"kind": block["kind"], "parts": parts})
    return out


def plain(block: dict) -> str:
    return "".join(text_of(p) for p in block["parts"])


def text_of(part) -> str:
    """The words of a part: text, a figure or a statement to confirm."""
    return part if isinstance(part, str) else part["text"]


def claims(blocks: list[dict]) -> list[tuple[int, str]]:
    """(block, text) of every statement still to confirm (待核实)."""
    return [(n, part["text"]) for n, block in enumerate(blocks) for part in block["parts"]
            if isinstance(part, dict) and part.get("claim")]
