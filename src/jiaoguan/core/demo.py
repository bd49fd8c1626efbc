"""What every app's demo builder shares: the size of the default district, the one password of the
demo accounts, and how a demo account is made."""

from django.contrib.auth import get_user_model

BASE_STUDENTS = 70_000
DEMO_PASSWORD = "Jiaoguan@2026"


def demo_user(username: str, display_name: str, role: str, **scope):
    """A demo account with the demo password (its role and scope as given)."""
    user = get_user_model()(username=username, display_name=display_name, role=role, **scope)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
