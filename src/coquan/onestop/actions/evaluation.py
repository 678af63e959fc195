"""The applicant's rating of a finished dossier (NĐ 61 Arts. 29–31).

Online: the applicant who submitted the dossier rates it from their portal account. At the
desk: a desk officer records the rating the applicant gave on a paper form or a counter
device (channel ``paper`` / ``device``). One rating per dossier, once the result is ready
(status 9 or 10)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.onestop.actions.common import label, lock, moment, staff
from coquan.onestop.choices import RESOLVED_STATUSES
from coquan.onestop.models import Applicant, DossierRating
from coquan.onestop.models.evaluation import BodiesContacted, RatingChannel, Satisfaction
from coquan.onestop.permissions import DossierAccess

REQUIRED_CHOICES = {
    "time_to_result": Satisfaction,
    "bodies_contacted": BodiesContacted,
    "information": Satisfaction,
    "staff_attitude": Satisfaction,
    "lawful_result": Satisfaction,
}
OPTIONAL_CHOICES = {"feedback_handling": Satisfaction, "online_service": Satisfaction}


def _may_rate(actor, dossier, channel) -> None:
    if isinstance(actor, Applicant):
        if dossier.applicant_account_id != actor.pk or channel != RatingChannel.ONLINE:
            raise PermissionDenied(_("Only the applicant who submitted this dossier may rate it."))
        return
    if not DossierAccess(actor, dossier).is_desk:
        raise PermissionDenied(_("Only the one-stop desk officers record an applicant's rating."))
    if channel == RatingChannel.ONLINE:
        raise ValidationError(
            {"channel": _("The desk records ratings given on paper or on a device.")}
        )


def _permission(actor, *, dossier, channel=RatingChannel.ONLINE, **_kwargs) -> None:
    _may_rate(actor, dossier, channel)


def clean_rating(values: dict) -> dict:
    errors: dict[str, list] = {}
    data = {}
    for name, choices in {**REQUIRED_CHOICES, **OPTIONAL_CHOICES}.items():
        value = str(values.get(name) or "").strip()
        if not value and name in OPTIONAL_CHOICES:
            data[name] = ""
            continue
        if value not in choices.values:
            errors[name] = [_("Choose one of the answers.")]
        data[name] = value
    try:
        count = int(values.get("contact_count", 0))
    except (TypeError, ValueError):
        count = -1
    if not 0 <= count <= 99:
        errors["contact_count"] = [_("Give a number from 0 to 99.")]
    data["contact_count"] = count
    data["staff_complaint"] = bool(values.get("staff_complaint"))
    data["unofficial_costs"] = bool(values.get("unofficial_costs"))
    data["comment"] = str(values.get("comment") or "").strip()[:4000]
    if errors:
        raise ValidationError(errors)
    return data


@action("onestop.dossier.rate", permission=_permission)
def rate_dossier(actor, *, dossier, channel=RatingChannel.ONLINE, at=None, **values):
    """Record the rating of a finished dossier (status 9 or 10), once."""
    at = moment(at)
    dossier = lock(dossier)
    _may_rate(actor, dossier, channel)
    if channel not in RatingChannel.values:
        raise ValidationError({"channel": _("Unknown evaluation channel.")})
    if dossier.status not in RESOLVED_STATUSES:
        raise ValidationError(
            _("A dossier is rated once its result is ready."), code="not_finished"
        )
    if DossierRating.objects.filter(dossier=dossier).exists():
        raise ValidationError(_("This dossier has already been rated."), code="already_rated")
    data = clean_rating(values)
    rating = DossierRating.objects.create(
        dossier=dossier, channel=channel, rated_at=at, recorded_by=staff(actor), **data
    )
    describe(
        obj=dossier,
        agency=dossier.agency,
        summary=_("Rating of dossier %(code)s recorded (%(channel)s).")
        % {"code": label(dossier), "channel": rating.get_channel_display()},
        after={"channel": channel, **{k: v for k, v in data.items() if k != "comment"}},
    )
    return rating
