"""The person's notifications: the list (25 a page), mark one or all as read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from coquan.notifications import actions
from coquan.notifications.models import Notification


@login_required
def notification_list(request):
    mine = Notification.objects.for_user(request.user)
    page = Paginator(mine.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    context = {"page": page, "unread": mine.unread().exists(), "page_query": ""}
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    actions.mark_read(request.user, notification=notification)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    actions.mark_all_read(request.user)
    return redirect("notifications:list")
