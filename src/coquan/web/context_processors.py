"""Template context: navigation for the person's roles and the active agency."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from coquan.core.access import has_role, member_agencies
from coquan.org.active import active_agency
from coquan.web.navigation import NAV_ITEMS


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from coquan.org.models import Agency

    agency = active_agency(request)
    items = []
    for item in NAV_ITEMS:
        if item.superuser and not user.is_superuser:
            continue
        if item.roles and not has_role(user, agency, *item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"item": item, "url": url, "active": active})
    return {
        "nav_items": items,
        "active_agency": agency,
        "has_several_agencies": len(member_agencies(user)) > 1,
        "user_agencies": Agency.objects.member_of(user).order_by("name"),
    }
