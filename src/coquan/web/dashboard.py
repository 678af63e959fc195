"""The dashboard as data: one card per role a person holds in the active agency.

Each card says what the role will find on its dashboard (the work queues that later issues
fill in) and links to the pages that already exist. Links whose URL is not installed are
left out, like the navigation (``web/navigation.py``), so an app that adds a page for a role
adds its link here and it appears once its URLs exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coquan.org.choices import RoleCode


@dataclass(frozen=True)
class CardLink:
    label: str
    url_name: str


@dataclass(frozen=True)
class RoleCard:
    """What one role sees on the dashboard: a title, a summary, coming work and links."""

    role: str
    title: str
    icon: str
    summary: str
    upcoming: tuple[str, ...] = ()
    links: tuple[CardLink, ...] = ()


CALENDAR = CardLink(_("Working-day calendar"), "workdays:calendar")
INCOMING = CardLink(_("Incoming documents"), "documents:incoming_list")
REGISTER_INCOMING = CardLink(_("Register incoming"), "documents:incoming_create")
DESK = CardLink(_("One-stop desk"), "onestop:desk")
DOSSIERS = CardLink(_("Dossiers"), "onestop:dossier_list")
API_DOCS = CardLink(_("API documentation"), "api-docs")

# Ordered as a person reads an agency: administration first, then the document flow
# (clerk → leaders → officers), then the one-stop desk.
ROLE_CARDS: tuple[RoleCard, ...] = (
    RoleCard(
        role=RoleCode.ADMIN.value,
        title=pgettext_lazy("dashboard card", "Agency administration"),
        icon="bi-gear",
        summary=_("Keep your agency's units, staff and roles up to date and review the audit log."),
        upcoming=(
            _("Units and their history after reorganisations"),
            _("Staff, positions and roles"),
            _("Import of an organisation tree from a spreadsheet"),
            _("The audit log of everything done in the agency"),
        ),
        links=(
            CardLink(_("Units"), "org:unit_list"),
            CardLink(_("Staff"), "org:member_list"),
            CardLink(_("Import org tree"), "org:import"),
            CardLink(_("Audit log"), "audit:entry_list"),
            API_DOCS,
        ),
    ),
    RoleCard(
        role=RoleCode.CLERK.value,
        title=pgettext_lazy("dashboard card", "Clerk's desk"),
        icon="bi-inbox",
        summary=_("Register, number, issue, send and receive the agency's documents."),
        upcoming=(
            _("Incoming documents waiting for an arrival number"),
            _("Signed documents waiting to be numbered and issued"),
            _("Electronic documents received from other agencies"),
        ),
        links=(REGISTER_INCOMING, INCOMING, CALENDAR),
    ),
    RoleCard(
        role=RoleCode.LEADER.value,
        title=pgettext_lazy("dashboard card", "Agency leadership"),
        icon="bi-briefcase",
        summary=_("Direct incoming documents, approve and sign drafts, follow deadlines."),
        upcoming=(
            _("Documents presented to you for direction"),
            _("Drafts waiting for your approval or signature"),
            _("Overdue work across the agency"),
        ),
        links=(INCOMING, CALENDAR),
    ),
    RoleCard(
        role=RoleCode.UNIT_LEADER.value,
        title=pgettext_lazy("dashboard card", "Unit leadership"),
        icon="bi-diagram-3",
        summary=_("Share out your unit's documents and review its drafts."),
        upcoming=(
            _("Documents assigned to your unit"),
            _("Drafts from your officers waiting for review"),
            _("Your unit's deadlines"),
        ),
        links=(INCOMING, CALENDAR),
    ),
    RoleCard(
        role=RoleCode.OFFICER.value,
        title=pgettext_lazy("dashboard card", "My work"),
        icon="bi-journal-text",
        summary=_("Handle the documents assigned to you and draft replies."),
        upcoming=(
            _("Documents you lead or co-handle"),
            _("Your drafts and the opinions requested on them"),
            _("Tasks and their due dates"),
        ),
        links=(INCOMING, CALENDAR),
    ),
    RoleCard(
        role=RoleCode.DESK_OFFICER.value,
        title=pgettext_lazy("dashboard card", "One-stop desk"),
        icon="bi-person-vcard",
        summary=_("Receive citizens' dossiers and return their results on time."),
        upcoming=(
            _("Dossiers received today"),
            _("Results due for return"),
            _("Dossiers waiting for supplements"),
        ),
        links=(DESK, DOSSIERS, CALENDAR),
    ),
)

DEPLOYMENT_CARD = RoleCard(
    role="superuser",
    title=pgettext_lazy("dashboard card", "Deployment administration"),
    icon="bi-shield-lock",
    summary=_("Settings that apply to every agency of this deployment."),
    upcoming=(_("Second-factor requirements per role"),),
    links=(
        CardLink(_("Role settings"), "accounts:second_factor_policy"),
        CardLink(pgettext_lazy("dashboard card", "Django administration"), "admin:index"),
        API_DOCS,
    ),
)


@dataclass
class CardView:
    """A card ready for the template: its definition and the links that resolve."""

    card: RoleCard
    links: list[dict] = field(default_factory=list)


def _resolve(links: tuple[CardLink, ...]) -> list[dict]:
    resolved = []
    for link in links:
        try:
            resolved.append({"label": link.label, "url": reverse(link.url_name)})
        except NoReverseMatch:
            continue
    return resolved


def cards_for(roles: set[str], *, superuser: bool = False) -> list[CardView]:
    """The cards for a person holding ``roles`` in the active agency, in display order."""
    cards = [CardView(card, _resolve(card.links)) for card in ROLE_CARDS if card.role in roles]
    if superuser:
        cards.append(CardView(DEPLOYMENT_CARD, _resolve(DEPLOYMENT_CARD.links)))
    return cards
