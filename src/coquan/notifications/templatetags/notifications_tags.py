from django import template

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context):
    """The bell of the header with the person's unread count (one COUNT query)."""
    from coquan.notifications.models import Notification

    request = context.get("request")
    user = getattr(request, "user", None)
    unread = Notification.objects.for_user(user).unread().count() if user else 0
    return {"unread": unread}
