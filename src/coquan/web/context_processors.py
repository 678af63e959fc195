"""Template context: navigation for the person's roles and the active agency.

The number of queries is constant: the person's memberships are read once per request
(``core.access`` caches them on the user), the active agency once, and the agency list for
the switcher once, when the template uses it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from coquan.core.access import has_role, member_agencies
from coquan.org.active import active_agency
from coquan.web.navigation import NAV_GROUPS, NAV_ITEMS


def visible_nav_items(request, agency) -> list[dict]:
    """The navigation entries ``request.user`` may use in ``agency``, with resolved URLs."""
    user = request.user
    items = []
    for item in NAV_ITEMS:
        if item.superuser and not user.is_superuser:
            continue
        if item.setting and not getattr(settings, item.setting, False):
            continue
        if item.roles and not has_role(user, agency, *item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"item": item, "url": url, "active": active})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from coquan.org.models import Agency

    agency = active_agency(request)
    items = visible_nav_items(request, agency)
    groups = []
    for code, label in NAV_GROUPS:
        entries = [entry for entry in items if entry["item"].group == code]
        if entries:
            groups.append({"code": code, "label": label, "entries": entries})
    return {
        "nav_items": items,
        "nav_groups": groups,
        "active_agency": agency,
        "has_several_agencies": len(member_agencies(user)) > 1,
        "user_agencies": Agency.objects.member_of(user).order_by("name"),
    }
