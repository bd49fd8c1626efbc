"""Optional polishing of the draft's wording by a language model (an OpenAI-compatible endpoint such
as a bureau's own vLLM, Ollama or llama.cpp server; off unless JIAOGUAN_SUMMARY_LLM_URL is set).

The model sees each paragraph with its figures as placeholders ({inspections.visits}), never the
figures. Its answer is taken only if it keeps every placeholder exactly once and adds no number of its
own; the figures are then filled in by us and checked again. Anything else keeps our template text."""

import json
import logging
import urllib.request
from collections import Counter

from django.conf import settings

from jiaoguan.summary.draft import CLAIM, PLACEHOLDER
from jiaoguan.summary.numbers import figures

log = logging.getLogger(__name__)

PROMPT = ("你是教育局办公室的公文写作助手。请把下面这段工作总结改写得更符合公文语体，意思不变。"
          "花括号中的占位符（如 {inspections.visits}）代表数字，必须原样保留、每个只出现一次，"
          "不得增加、删除或改写占位符，也不得写出任何其他数字。以 {? 开头的花括号（如 {?落实结对帮扶}）是待核实的表述，"
          "必须连同花括号原样保留。只输出改写后的这一段。")


def acceptable(original: str, rewritten: str) -> bool:
    """Same placeholders, each once as before; the statements to confirm (待核实) kept word for word; no
    figure of its own; not empty or runaway."""
    if not rewritten or len(rewritten) > 3 * len(original) + 50:
        return False
    if Counter(PLACEHOLDER.findall(rewritten)) != Counter(PLACEHOLDER.findall(original)):
        return False
    if CLAIM.findall(rewritten) != CLAIM.findall(original):
        return False
    return not figures(CLAIM.sub("", PLACEHOLDER.sub("", rewritten)))


def _ask(text: str) -> str:
    body = json.dumps({"model": settings.SUMMARY_LLM_MODEL, "temperature": 0.3,
                       "messages": [{"role": "system", "content": PROMPT}, {"role": "user", "content": text}]})
    request = urllib.request.Request(settings.SUMMARY_LLM_URL.rstrip("/") + "/v1/chat/completions",
                                     data=body.encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=settings.SUMMARY_LLM_TIMEOUT) as response:
        return json.loads(response.read())["choices"][0]["message"]["content"].strip()


def polish(blocks: list[dict]) -> tuple[list[dict], int]:
    """The blocks with paragraphs the model rewrote acceptably; and how many it rewrote."""
    if not settings.SUMMARY_LLM_URL:
        return blocks, 0
    polished, changed = [], 0
    for block in blocks:
        if block["kind"] != "p" or not PLACEHOLDER.search(block["text"]):
            polished.append(block)
            continue
        try:
            answer = _ask(block["text"])
        except (OSError, ValueError, KeyError, IndexError) as problem:
            log.warning("language model not used for a paragraph: %s", problem)
            answer = ""
        if acceptable(block["text"], answer):
            polished.append({**block, "text": answer})
            changed += 1
        else:
            polished.append(block)
    return polished, changed
