"""How a Chinese name sounds: its pinyin without tones, every reading of a character that has several
(曾 is read zeng as a family name and ceng as a word), so a name typed through a pinyin input method
with the wrong character of the same sound still finds its match. Plain functions, no Django."""

from functools import lru_cache
from itertools import product

from pypinyin import Style, pinyin

MAX_READINGS = 3  # of one character (行 has xing, hang, heng)
MAX_KEYS = 16  # of one name: enough for a name of heteronyms, bounded for a long minority name
IGNORED = set(" ·•.．-－_\u3000")


@lru_cache(maxsize=50_000)
def readings(char: str) -> tuple[str, ...]:
    """The toneless readings of one character, the usual one first; a letter or digit is itself."""
    if not ("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"):
        return (char.lower(),)
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="default")[0]
    unique = tuple(dict.fromkeys(r for r in found if r))
    return unique[:MAX_READINGS] or (char,)


def clean(name: str) -> str:
    return "".join(c for c in (name or "") if c not in IGNORED)


def sound_keys(name: str) -> list[str]:
    """Every way the name may be read, the usual reading first (its 'primary key'); at most MAX_KEYS."""
    chars = clean(name)
    if not chars:
        return []
    options = [readings(c) for c in chars]
    keys: list[str] = []
    for combination in product(*options):
        keys.append(" ".join(combination))
        if len(keys) >= MAX_KEYS:
            break
    return keys


def sound_table(names) -> tuple[list[str], list[str], list[list[str]]]:
    """For distinct names: (names, primary keys, all keys), ready to become columns."""
    out_names, primary, every = [], [], []
    for name in names:
        if name is None:
            continue
        keys = sound_keys(name)
        out_names.append(name)
        primary.append(keys[0] if keys else "")
        every.append(keys)
    return out_names, primary, every
