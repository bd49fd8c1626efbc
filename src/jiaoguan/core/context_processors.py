"""The navigation a user sees: every app's menu entries (core.house) that the user's role may open."""

from django.urls import reverse

from jiaoguan.core import house


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    path = request.path
    nav = []
    for entry in house.menu():
        if entry.visible(user):
            url = reverse(entry.url_name)
            nav.append({"label": entry.label, "url": url,
                        "active": url != "/" and path.startswith(url) or path == url})
    return {"nav": nav}
