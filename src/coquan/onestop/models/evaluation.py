"""The applicant's rating of a finished dossier (NĐ 61 Art. 31; TT 01/2018 Arts. 12–15;
standards §3.8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", pgettext_lazy("satisfaction", "Satisfied")
    ACCEPTABLE = "acceptable", pgettext_lazy("satisfaction", "Acceptable")
    DISSATISFIED = "dissatisfied", pgettext_lazy("satisfaction", "Not satisfied")


class BodiesContacted(models.TextChoices):
    """Criterion (b), indicator 4: the bodies the applicant had to contact."""

    NONE = "none", pgettext_lazy("bodies contacted", "None besides submitting")
    ONE_STOP = "one_stop", pgettext_lazy("bodies contacted", "Only the one-stop unit")
    SEVERAL = "several", pgettext_lazy("bodies contacted", "More than one body")


class RatingChannel(models.TextChoices):
    """Evaluation channels (NĐ 61 Art. 29)."""

    ONLINE = "online", pgettext_lazy("rating channel", "Online (portal)")
    PAPER = "paper", pgettext_lazy("rating channel", "Paper form")
    DEVICE = "device", pgettext_lazy("rating channel", "Device at the counter")


class DossierRating(models.Model):
    """The applicant's evaluation of one finished dossier (one per dossier), by the criteria
    of NĐ 61 Art. 31: (a) time to result, (b) bodies contacted, (c) times contacted, (d)
    published information, (đ) staff attitude, (e) lawfulness of result and costs, (g)
    answers to feedback, (h) online services, (i) other. Online from the applicant's
    account, or recorded by the desk from a paper form or a counter device."""

    dossier = models.OneToOneField(
        "onestop.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    time_to_result = models.CharField(
        _("(a) time to result"), max_length=15, choices=Satisfaction.choices
    )
    bodies_contacted = models.CharField(
        _("(b) bodies contacted"), max_length=10, choices=BodiesContacted.choices
    )
    contact_count = models.PositiveSmallIntegerField(
        _("(c) times contacted to complete the dossier"), default=0
    )
    information = models.CharField(
        _("(d) published information"), max_length=15, choices=Satisfaction.choices
    )
    staff_attitude = models.CharField(
        _("(đ) staff attitude"), max_length=15, choices=Satisfaction.choices
    )
    staff_complaint = models.BooleanField(_("complaint about staff"), default=False)
    lawful_result = models.CharField(
        _("(e) lawful result and costs"), max_length=15, choices=Satisfaction.choices
    )
    unofficial_costs = models.BooleanField(_("unofficial costs asked"), default=False)
    feedback_handling = models.CharField(
        _("(g) answers to feedback"), max_length=15, choices=Satisfaction.choices, blank=True
    )
    online_service = models.CharField(
        _("(h) online services"), max_length=15, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("(i) other comments"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the applicant rated online."),
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_count__lte=99), name="onestop_rating_contacts_small"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.time_to_result}"
