from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    name = "coquan.onestop"
    label = "onestop"
    verbose_name = _("One-stop shop")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from coquan.onestop.actions.licences import on_outgoing_saved

        post_save.connect(
            on_outgoing_saved,
            sender="documents.OutgoingDocument",
            dispatch_uid="onestop.licence_issued",
        )
