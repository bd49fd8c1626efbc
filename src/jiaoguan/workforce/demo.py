"""The demo year of the workforce: the development centre's officer, programmes at every level with sessions,
sign-up, attendance and hours granted, certificates, a recruitment plan with recruits placed, an honours
selection awarded, studios and pairings with their activities, and a rotation round recorded."""

LOGINS = (("jiaoshi", "Officer of 教师发展中心: training, hours, honours, studios, rotation"),)


def build(seed: int = 2026, scale: int = 0) -> dict:
    from jiaoguan.workforce.demo_year import build_year

    return build_year(seed)
