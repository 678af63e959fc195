"""Background tasks of the notifications app (django-tasks; run by ``coquan run_worker``)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger("coquan.notifications")


def absolute(url: str) -> str:
    base = getattr(settings, "COQUAN_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


@task()
def send_emails(notification_ids: list[int]) -> int:
    """E-mail the notifications whose recipient has an address, when e-mail is on.

    ``COQUAN_EMAIL_NOTIFICATIONS`` turns it on; Django's mail settings send it. Each row is
    e-mailed at most once (``emailed_at``). Returns how many were sent.
    """
    from coquan.notifications.models import Notification

    if not getattr(settings, "COQUAN_EMAIL_NOTIFICATIONS", False):
        return 0
    sent = 0
    rows = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for row in rows:
        email = (row.recipient.email or "").strip()
        if not email:
            continue
        body = row.title + ("\n\n" + absolute(row.url) if row.url else "")
        try:
            send_mail(row.title, body, None, [email])
        except OSError as exc:  # SMTP down: the in-app notification stays; no retry storm
            logger.warning("notification %s not e-mailed: %s", row.pk, exc)
            continue
        Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
