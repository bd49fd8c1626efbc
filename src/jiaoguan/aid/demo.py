"""The demo district's year of student aid (filled in below)."""


def build_aid_demo(seed: int = 2026, scale: int = 0) -> dict:
    return {}
