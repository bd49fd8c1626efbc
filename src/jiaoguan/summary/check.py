"""Check the figures of an edited summary: every number in the text must be supported by a fact of
the summary (a figure in a fact's place must equal that fact). Returns what is not."""

from dataclasses import dataclass

from jiaoguan.core.facts import Fact
from jiaoguan.summary.numbers import figures


@dataclass(frozen=True)
class Flag:
    block: int
    text: str
    reason: str  # "unsupported": no fact has this value; "changed": a fact's figure was edited


def unconfirmed(blocks: list[dict]) -> list[Flag]:
    """The statements of the text that no fact supports and the author has not confirmed (待核实)."""
    from jiaoguan.summary.draft import claims

    return [Flag(n, text, "claim") for n, text in claims(blocks)]


def supported(figure, facts: list[Fact]) -> bool:
    """A percentage needs a rate of that value, any other figure a count or amount of that value."""
    return any((f.unit == "%") == figure.percent and figure.supports(f.value) for f in facts)


def check(blocks: list[dict], facts: dict[str, Fact]) -> list[Flag]:
    """`blocks` as draft.render gives them (parts of text and {fact, text})."""
    flags, every = [], list(facts.values())
    for n, block in enumerate(blocks):
        for part in block["parts"]:
            if isinstance(part, str) or part.get("claim"):
                text = part if isinstance(part, str) else part["text"]
                flags += [Flag(n, f.text, "unsupported") for f in figures(text) if not supported(f, every)]
                continue
            fact = facts.get(part["fact"])
            found = figures(part["text"]) or figures(part["text"] + ("%" if fact and fact.unit == "%" else ""))
            if fact is None or len(found) != 1 or not found[0].supports(fact.value):
                flags.append(Flag(n, part["text"], "changed"))
    return flags
