"""Changes to the organisation tree: agencies, units, positions, people, the org-tree import.

Every function here is an ``@action``: first argument the acting person, keyword-only
arguments, permission checked by the decorator, one transaction, exactly one audit entry
(with before/after snapshots). Domain errors are ``ValidationError`` with messages grouped
by field (the names of the form and API fields), or ``PermissionDenied``.

Units and memberships are effective-dated (standards §5.6: never rewrite history): a unit is
closed by setting ``valid_to`` and naming its successors, a membership is ended by setting
``end_date``; neither is ever deleted.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.access import clear_access_cache
from coquan.core.actions import action, describe
from coquan.org import rules
from coquan.org.choices import AgencyLevel, RoleCode
from coquan.org.models import Agency, Membership, Position, Role, Unit
from coquan.org.permissions import require_agency_admin, require_superuser
from coquan.org.validators import validate_organ_id


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()  # "leave this field as it is" in the update actions


# --- Snapshots for the audit entry -------------------------------------------------------------


def unit_snapshot(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "parent": unit.parent.code if unit.parent_id else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "successors": sorted(s.code for s in unit.successors.all()) if unit.pk else [],
    }


def position_snapshot(position: Position) -> dict:
    return {"name": position.name, "rank": position.rank}


def membership_snapshot(membership: Membership) -> dict:
    return {
        "username": membership.user.username,
        "unit": membership.unit.code if membership.unit_id else None,
        "position": membership.position.name if membership.position_id else None,
        "roles": sorted(membership.role_codes()),
        "start_date": membership.start_date,
        "end_date": membership.end_date,
    }


AGENCY_FIELDS = (
    "organ_id",
    "name",
    "short_name",
    "level",
    "parent",
    "address",
    "email",
    "telephone",
    "fax",
    "website",
    "valid_from",
)


def agency_snapshot(agency: Agency) -> dict:
    data = {name: getattr(agency, name) for name in AGENCY_FIELDS if name != "parent"}
    data["parent"] = agency.parent.organ_id if agency.parent_id else None
    return data


# --- Helpers -----------------------------------------------------------------------------------


def _add(errors: dict, field: str, message: str | None) -> None:
    if message:
        errors.setdefault(field, []).append(message)


def _raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _today() -> dt.date:
    return timezone.localdate()


def _unit_code_taken(agency: Agency, code: str, exclude_pk=None) -> bool:
    qs = Unit.objects.for_agency(agency).filter(code__iexact=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _check_parent(errors: dict, agency: Agency, parent: Unit | None, day: dt.date, unit=None):
    if parent is None:
        return
    if parent.agency_id != agency.pk:
        _add(errors, "parent", _("The parent unit must belong to the same agency."))
    elif not parent.is_active_on(day):
        _add(
            errors,
            "parent",
            _("The parent unit %(name)s is not in force on %(day)s.")
            % {"name": parent.name, "day": day.strftime("%d/%m/%Y")},
        )
    if unit is not None and unit.pk is not None:
        node, seen = parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == unit.pk:
                _add(errors, "parent", _("A unit cannot be placed under itself or its sub-units."))
                break
            seen.add(node.pk)
            node = node.parent


def _check_placement(errors: dict, agency: Agency, *, unit, position, start_date) -> None:
    if unit is not None:
        if unit.agency_id != agency.pk:
            _add(errors, "unit", _("The unit must belong to the same agency."))
        elif unit.valid_to is not None and unit.valid_to < max(start_date, _today()):
            _add(
                errors,
                "unit",
                _("The unit %(name)s was closed on %(day)s.")
                % {"name": unit.name, "day": unit.valid_to.strftime("%d/%m/%Y")},
            )
    if position is not None and position.agency_id != agency.pk:
        _add(errors, "position", _("The position must belong to the same agency."))


def _role_codes(errors: dict, roles) -> list[str]:
    known, unknown = rules.parse_roles(roles)
    if unknown:
        _add(errors, "roles", rules.unknown_roles_message(unknown))
    return known


def _keeps_an_admin(actor, membership: Membership, *, roles=None, end_date=None) -> bool:
    """False when the change would leave the agency without any administrator."""
    if actor.is_superuser or RoleCode.ADMIN not in membership.role_codes():
        return True
    if roles is not None and RoleCode.ADMIN in roles and end_date is None:
        return True
    others = (
        Membership.objects.for_agency(membership.agency)
        .with_role(RoleCode.ADMIN)
        .exclude(pk=membership.pk)
    )
    after = end_date or _today()
    return others.filter(Q(end_date__isnull=True) | Q(end_date__gt=after)).exists()


def _duplicate_membership(user, agency, unit, start_date, exclude_pk=None) -> bool:
    qs = Membership.objects.filter(user=user, agency=agency, unit=unit, start_date=start_date)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


# --- Units -------------------------------------------------------------------------------------


@action("org.unit.create", permission=require_agency_admin)
def create_unit(actor, *, agency, code, name, parent=None, valid_from=None) -> Unit:
    """Create a unit (phòng, ban) in ``agency``, in force from ``valid_from`` (default today).

    Callers: the agency's administrators. The code is unique in the agency (case does not
    matter, closed units included: codes of history are never reused); the parent must be a
    unit of the same agency in force on ``valid_from``.
    """
    code, name = (code or "").strip(), (name or "").strip()
    valid_from = valid_from or _today()
    errors: dict = {}
    _add(errors, "code", rules.unit_code_error(code))
    if "code" not in errors and _unit_code_taken(agency, code):
        _add(errors, "code", _("The unit code %(code)s is already used.") % {"code": code})
    _add(errors, "name", rules.required_text_error(name, 200))
    _check_parent(errors, agency, parent, valid_from)
    _raise_if(errors)
    unit = Unit.objects.create(
        agency=agency, code=code, name=name, parent=parent, valid_from=valid_from
    )
    describe(obj=unit, agency=agency, summary=f"{code} {name}", after=unit_snapshot(unit))
    return unit


@action("org.unit.update", permission=require_agency_admin)
def update_unit(actor, *, unit, code=UNSET, name=UNSET, parent=UNSET, valid_from=UNSET) -> Unit:
    """Correct a unit's code, name, parent or start date.

    Callers: the agency's administrators. Only units still in force can be edited; a real
    reorganisation (merge, split, rename by decision) closes the unit and creates its
    successors so that history keeps the old name. The parent cannot be the unit itself or
    one of its sub-units.
    """
    before = unit_snapshot(unit)
    errors: dict = {}
    if unit.valid_to is not None and unit.valid_to < _today():
        _add(errors, NON_FIELD_ERRORS, _("A closed unit is history and cannot be changed."))
        _raise_if(errors)
    if code is not UNSET:
        code = (code or "").strip()
        _add(errors, "code", rules.unit_code_error(code))
        if "code" not in errors and _unit_code_taken(unit.agency, code, exclude_pk=unit.pk):
            _add(errors, "code", _("The unit code %(code)s is already used.") % {"code": code})
        unit.code = code
    if name is not UNSET:
        name = (name or "").strip()
        _add(errors, "name", rules.required_text_error(name, 200))
        unit.name = name
    if valid_from is not UNSET:
        unit.valid_from = valid_from or unit.valid_from
        if unit.valid_to is not None and unit.valid_to < unit.valid_from:
            _add(errors, "valid_from", _("The start date must not be after the closing date."))
    if parent is not UNSET:
        _check_parent(errors, unit.agency, parent, unit.valid_from, unit=unit)
        unit.parent = parent
    _raise_if(errors)
    unit.save()
    describe(obj=unit, summary=f"{unit.code} {unit.name}", before=before, after=unit_snapshot(unit))
    return unit


@action("org.unit.close", permission=require_agency_admin)
def close_unit(actor, *, unit, valid_to, successors=()) -> Unit:
    """Close a unit: its last day in force is ``valid_to``; ``successors`` take over.

    Callers: the agency's administrators. Implements standards §5.6 (effective-dated org tree,
    successor map for merges and splits). The unit stays as history. It cannot be closed while
    people or sub-units remain in it after ``valid_to``: move or end them first. Successors
    are units of the same agency in force on the day after ``valid_to``.
    """
    before = unit_snapshot(unit)
    errors: dict = {}
    successors = list(successors or ())
    if unit.valid_to is not None:
        _add(errors, NON_FIELD_ERRORS, _("This unit is already closed."))
        _raise_if(errors)
    if valid_to is None:
        _add(errors, "valid_to", _("The closing date is required."))
        _raise_if(errors)
    if valid_to < unit.valid_from:
        _add(errors, "valid_to", _("The closing date must not be before the start date."))
    next_day = valid_to + dt.timedelta(days=1)
    for successor in successors:
        if successor.pk == unit.pk:
            _add(errors, "successors", _("A unit cannot succeed itself."))
        elif successor.agency_id != unit.agency_id:
            _add(errors, "successors", _("Successors must belong to the same agency."))
        elif not successor.is_active_on(next_day):
            _add(
                errors,
                "successors",
                _("The successor %(name)s is not in force on %(day)s.")
                % {"name": successor.name, "day": next_day.strftime("%d/%m/%Y")},
            )
    children = list(
        unit.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=valid_to)).values_list(
            "name", flat=True
        )
    )
    if children:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _(
                "The unit still has %(count)d sub-unit(s) in force after the closing date "
                "(%(names)s): move or close them first."
            )
            % {"count": len(children), "names": ", ".join(children[:5])},
        )
    members = list(
        unit.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gt=valid_to))
        .select_related("user")
        .order_by("user__full_name")
    )
    if members:
        _add(
            errors,
            NON_FIELD_ERRORS,
            _(
                "The unit still has %(count)d member(s) after the closing date (%(names)s): "
                "move them to another unit or end their membership first."
            )
            % {
                "count": len(members),
                "names": ", ".join(str(m.user) for m in members[:5]),
            },
        )
    _raise_if(errors)
    unit.valid_to = valid_to
    unit.save(update_fields=["valid_to"])
    unit.successors.set(successors)
    describe(obj=unit, summary=f"{unit.code} {unit.name}", before=before, after=unit_snapshot(unit))
    return unit


# --- Positions ---------------------------------------------------------------------------------


def _position_name_error(agency, name: str, exclude_pk=None) -> str | None:
    error = rules.required_text_error(name, 100)
    if error:
        return error
    qs = Position.objects.for_agency(agency).filter(name__iexact=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        return _("The position %(name)s already exists.") % {"name": name}
    return None


def _rank_error(rank) -> str | None:
    if not isinstance(rank, int) or not 0 <= rank <= 32767:
        return _("The rank must be a whole number from 0 to 32767.")
    return None


@action("org.position.create", permission=require_agency_admin)
def create_position(actor, *, agency, name, rank=100) -> Position:
    """Add a position (chức vụ) to ``agency``. Callers: the agency's administrators.

    Names are unique in the agency (case does not matter); lower ranks are listed first.
    """
    name = (name or "").strip()
    errors: dict = {}
    _add(errors, "name", _position_name_error(agency, name))
    _add(errors, "rank", _rank_error(rank))
    _raise_if(errors)
    position = Position.objects.create(agency=agency, name=name, rank=rank)
    describe(obj=position, agency=agency, summary=name, after=position_snapshot(position))
    return position


@action("org.position.update", permission=require_agency_admin)
def update_position(actor, *, position, name=UNSET, rank=UNSET) -> Position:
    """Rename a position or change its rank. Callers: the agency's administrators."""
    before = position_snapshot(position)
    errors: dict = {}
    if name is not UNSET:
        name = (name or "").strip()
        _add(errors, "name", _position_name_error(position.agency, name, exclude_pk=position.pk))
        position.name = name
    if rank is not UNSET:
        _add(errors, "rank", _rank_error(rank))
        position.rank = rank
    _raise_if(errors)
    position.save()
    describe(obj=position, summary=position.name, before=before, after=position_snapshot(position))
    return position


# --- People ------------------------------------------------------------------------------------


def _create_membership(*, user, agency, unit, position, roles, start_date) -> Membership:
    membership = Membership.objects.create(
        user=user, agency=agency, unit=unit, position=position, start_date=start_date
    )
    membership.roles.set(Role.objects.filter(code__in=roles))
    clear_access_cache(user)
    return membership


@action("org.person.add", permission=require_agency_admin)
def add_person(
    actor,
    *,
    agency,
    username,
    full_name,
    email="",
    password=None,
    unit=None,
    position=None,
    roles=(),
    start_date=None,
) -> Membership:
    """Create a person (a new user account) and their membership in ``agency``.

    Callers: the agency's administrators. The username must be free (case does not matter).
    With ``password`` the person can sign in at once (the password validators apply);
    without it the account has an unusable password until one is set. Returns the new
    membership.
    """
    username, full_name = (username or "").strip(), (full_name or "").strip()
    email = (email or "").strip()
    start_date = start_date or _today()
    errors: dict = {}
    _add(errors, "username", rules.username_error(username))
    _add(errors, "full_name", rules.required_text_error(full_name, 150))
    _add(errors, "email", rules.email_error(email))
    _check_placement(errors, agency, unit=unit, position=position, start_date=start_date)
    codes = _role_codes(errors, roles)
    user_model = get_user_model()
    user = user_model(username=username, full_name=full_name, email=email)
    if password:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    _raise_if(errors)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    membership = _create_membership(
        user=user, agency=agency, unit=unit, position=position, roles=codes, start_date=start_date
    )
    describe(
        obj=membership,
        agency=agency,
        summary=f"{full_name} ({username})",
        after={**membership_snapshot(membership), "full_name": full_name, "email": email},
    )
    return membership


@action("org.membership.add", permission=require_agency_admin)
def add_membership(
    actor, *, agency, username, unit=None, position=None, roles=(), start_date=None
) -> Membership:
    """Give an existing person (named by username) a membership in ``agency``.

    Callers: the agency's administrators. This is how one person comes to hold memberships in
    several agencies. The same person cannot start twice in the same unit on the same day.
    """
    username = (username or "").strip()
    start_date = start_date or _today()
    errors: dict = {}
    user = get_user_model().objects.filter(username__iexact=username).first() if username else None
    if user is None:
        _add(
            errors,
            "username",
            _("No person has the username %(username)s.") % {"username": username}
            if username
            else _("The username is required."),
        )
    _check_placement(errors, agency, unit=unit, position=position, start_date=start_date)
    codes = _role_codes(errors, roles)
    if user is not None and _duplicate_membership(user, agency, unit, start_date):
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("This person already has a membership in this unit starting on that day."),
        )
    _raise_if(errors)
    membership = _create_membership(
        user=user, agency=agency, unit=unit, position=position, roles=codes, start_date=start_date
    )
    describe(
        obj=membership,
        agency=agency,
        summary=f"{user} ({user.username})",
        after=membership_snapshot(membership),
    )
    return membership


@action("org.membership.update", permission=require_agency_admin)
def update_membership(
    actor,
    *,
    membership,
    unit=UNSET,
    position=UNSET,
    roles=UNSET,
    start_date=UNSET,
    end_date=UNSET,
) -> Membership:
    """Change a membership's unit, position, roles or dates.

    Callers: the agency's administrators. An ended membership is history and cannot be
    changed. The agency must keep at least one administrator (unless a deployment
    administrator acts).
    """
    before = membership_snapshot(membership)
    agency = membership.agency
    errors: dict = {}
    if membership.end_date is not None and membership.end_date < _today():
        _add(errors, NON_FIELD_ERRORS, _("An ended membership is history and cannot be changed."))
        _raise_if(errors)
    new_unit = membership.unit if unit is UNSET else unit
    new_position = membership.position if position is UNSET else position
    new_start = membership.start_date if start_date is UNSET else (start_date or _today())
    new_end = membership.end_date if end_date is UNSET else end_date
    _check_placement(errors, agency, unit=new_unit, position=new_position, start_date=new_start)
    if new_end is not None and new_end < new_start:
        _add(errors, "end_date", _("The end date must not be before the start date."))
    codes = None if roles is UNSET else _role_codes(errors, roles)
    if (new_unit, new_start) != (membership.unit, membership.start_date) and _duplicate_membership(
        membership.user, agency, new_unit, new_start, exclude_pk=membership.pk
    ):
        _add(
            errors,
            NON_FIELD_ERRORS,
            _("This person already has a membership in this unit starting on that day."),
        )
    if (codes is not None or new_end is not None) and not _keeps_an_admin(
        actor,
        membership,
        roles=codes if codes is not None else membership.role_codes(),
        end_date=new_end,
    ):
        _add(errors, NON_FIELD_ERRORS, _("The agency must keep at least one administrator."))
    _raise_if(errors)
    membership.unit, membership.position = new_unit, new_position
    membership.start_date, membership.end_date = new_start, new_end
    membership.save()
    if codes is not None:
        membership.roles.set(Role.objects.filter(code__in=codes))
    clear_access_cache(membership.user)
    describe(
        obj=membership,
        summary=f"{membership.user} ({membership.user.username})",
        before=before,
        after=membership_snapshot(membership),
    )
    return membership


@action("org.membership.end", permission=require_agency_admin)
def end_membership(actor, *, membership, end_date=None) -> Membership:
    """End a membership: ``end_date`` (default today) is the person's last day in the agency.

    Callers: the agency's administrators. The row is kept as history, never deleted; the
    person keeps access until the end of ``end_date``. The agency must keep at least one
    administrator (unless a deployment administrator acts).
    """
    before = membership_snapshot(membership)
    end_date = end_date or _today()
    errors: dict = {}
    if membership.end_date is not None and membership.end_date < _today():
        _add(errors, NON_FIELD_ERRORS, _("This membership has already ended."))
        _raise_if(errors)
    if end_date < membership.start_date:
        _add(errors, "end_date", _("The end date must not be before the start date."))
    if not _keeps_an_admin(actor, membership, end_date=end_date):
        _add(errors, NON_FIELD_ERRORS, _("The agency must keep at least one administrator."))
    _raise_if(errors)
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    clear_access_cache(membership.user)
    describe(
        obj=membership,
        summary=f"{membership.user} ({membership.user.username})",
        before=before,
        after=membership_snapshot(membership),
    )
    return membership


# --- Agencies (deployment administrators) --------------------------------------------------------


def _check_agency(errors: dict, data: dict, agency: Agency | None) -> None:
    organ_id = data["organ_id"]
    try:
        validate_organ_id(organ_id)
    except ValidationError as exc:
        errors.setdefault("organ_id", []).extend(exc.messages)
    else:
        clash = Agency.objects.filter(organ_id=organ_id)
        if agency is not None:
            clash = clash.exclude(pk=agency.pk)
        other = clash.first()
        if other is not None:
            _add(
                errors,
                "organ_id",
                _("The agency identifier %(organ_id)s is already used by %(name)s.")
                % {"organ_id": organ_id, "name": other.name},
            )
    _add(errors, "name", rules.required_text_error(data["name"], 200))
    _add(errors, "short_name", rules.required_text_error(data["short_name"], 30))
    if data["level"] not in AgencyLevel.values:
        _add(errors, "level", _("Choose a valid level."))
    _add(errors, "email", rules.email_error(data["email"]))
    if data["website"]:
        try:
            URLValidator()(data["website"])
        except ValidationError:
            _add(errors, "website", _("Enter a valid web address."))
    for field, limit in (("address", 250), ("telephone", 20), ("fax", 20), ("website", 100)):
        if len(data[field]) > limit:
            _add(errors, field, _("At most %(max)d characters are allowed.") % {"max": limit})
    parent = data["parent"]
    if parent is not None and agency is not None:
        node, seen = parent, set()
        while node is not None and node.pk not in seen:
            if node.pk == agency.pk:
                _add(errors, "parent", _("An agency cannot be placed under itself."))
                break
            seen.add(node.pk)
            node = node.parent


def _agency_data(source: dict) -> dict:
    data = {}
    for name in AGENCY_FIELDS:
        value = source.get(name)
        if name in ("parent", "valid_from"):
            data[name] = value
        else:
            data[name] = (value or "").strip()
    return data


@action("org.agency.create", permission=require_superuser)
def create_agency(
    actor,
    *,
    organ_id,
    name,
    short_name,
    level,
    parent=None,
    address="",
    email="",
    telephone="",
    fax="",
    website="",
    valid_from=None,
) -> Agency:
    """Register an agency (tenant root). Callers: deployment administrators only.

    ``organ_id`` must have the QCVN 102 form ``NNN.NN.NN.LNN`` and be unique in the
    deployment (standards §1.2): it addresses the agency in edXML exchange.
    """
    data = _agency_data(locals())
    data["valid_from"] = valid_from or dt.date(2000, 1, 1)
    errors: dict = {}
    _check_agency(errors, data, None)
    _raise_if(errors)
    agency = Agency.objects.create(**data)
    describe(obj=agency, agency=agency, summary=f"{agency.organ_id} {agency.name}")
    describe(after=agency_snapshot(agency))
    return agency


@action("org.agency.update", permission=require_superuser)
def update_agency(actor, *, agency, **changes) -> Agency:
    """Edit an agency's identifier, names, level, parent or contact data.

    Callers: deployment administrators only. Same rules as ``create_agency``.
    """
    unknown = set(changes) - set(AGENCY_FIELDS)
    if unknown:
        raise TypeError(f"unknown agency fields: {sorted(unknown)}")
    before = agency_snapshot(agency)
    current = {name: getattr(agency, name) for name in AGENCY_FIELDS}
    data = _agency_data({**current, **changes})
    data["valid_from"] = data["valid_from"] or agency.valid_from
    errors: dict = {}
    _check_agency(errors, data, agency)
    if agency.valid_to is not None and data["valid_from"] > agency.valid_to:
        _add(errors, "valid_from", _("The start date must not be after the closing date."))
    _raise_if(errors)
    for name, value in data.items():
        setattr(agency, name, value)
    agency.save()
    describe(
        obj=agency,
        summary=f"{agency.organ_id} {agency.name}",
        before=before,
        after=agency_snapshot(agency),
    )
    return agency


# --- Import --------------------------------------------------------------------------------------


@action("org.import", permission=require_agency_admin)
def import_org_tree(actor, *, agency, table, filename="") -> dict:
    """Import units and people from an uploaded table (see ``org.importing``), all or nothing.

    Callers: the agency's administrators. Every row is checked first (against the file and the
    database, inside this transaction); any bad row raises ``ImportRowErrors`` listing every
    problem and nothing is written. Otherwise all units (parents first), missing positions,
    people and memberships are created, and one audit entry records the counts.
    """
    from coquan.org import importing

    plan = importing.build_plan(agency, table)
    counts = importing.apply_plan(agency, plan)
    describe(
        obj=agency,
        agency=agency,
        summary=_("Import of %(file)s: %(units)d unit(s), %(people)d person(s)")
        % {"file": filename or "-", "units": counts["units"], "people": counts["people"]},
        after={"file": filename, **counts},
    )
    return counts
