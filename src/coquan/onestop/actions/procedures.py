"""Actions on the procedure catalogue: create, edit a draft, start a new version, publish,
import. Only the agency's administrators (role ``admin``) may call them.

Versioning rule: a published (or replaced) version never changes, because dossiers keep the
version they were received under. A change starts a new draft version (a full copy), which
is edited freely and then published; publishing replaces the previous published version.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coquan.core.actions import action, describe
from coquan.onestop import deadlines
from coquan.onestop.choices import ProcedureState
from coquan.onestop.models import Procedure, ProcedureComponent, ProcedureStep
from coquan.onestop.permissions import require_procedure_admin

PROCEDURE_FIELDS = (
    "code",
    "name",
    "sector_code",
    "sector_name",
    "level",
    "competent_authority",
    "legal_basis",
    "result_name",
    "fee_amount",
    "fee_note",
    "time_limit",
    "time_unit",
    "cutoff_time",
    "online_level",
    "licence_document_type",
)
COMPONENT_FIELDS = ("name", "paper_form", "count", "template_name", "required", "applies_to")
STEP_FIELDS = ("name", "responsible_unit", "responsible_role", "time_budget")


def _admin_of_agency(actor, *, agency, **_kwargs) -> None:
    require_procedure_admin(actor, agency)


def _admin_of_procedure(actor, *, procedure, **_kwargs) -> None:
    require_procedure_admin(actor, procedure.agency)


def _label(model, field: str) -> str:
    try:
        return str(model._meta.get_field(field).verbose_name)
    except Exception:
        return field


def _messages(exc: ValidationError, model=Procedure) -> list[str]:
    """Flat messages, each prefixed with the (translated) name of its field."""
    if hasattr(exc, "error_dict"):
        return [
            f"{_label(model, field)}: {message}"
            if field not in ("__all__", "file", "components", "steps")
            else message
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    return list(exc.messages)


def _clean_procedure(procedure: Procedure) -> None:
    try:
        procedure.full_clean(
            exclude=["agency", "created_by", "published_by", "version", "state"],
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _build_components(procedure: Procedure, rows) -> list[ProcedureComponent]:
    built, errors = [], []
    for index, row in enumerate(rows or (), start=1):
        values = {name: row[name] for name in COMPONENT_FIELDS if name in row}
        component = ProcedureComponent(procedure=procedure, order=index, **values)
        try:
            component.full_clean(exclude=["procedure"])
        except ValidationError as exc:
            errors += [
                _("Component %(number)d: %(message)s") % {"number": index, "message": message}
                for message in _messages(exc, ProcedureComponent)
            ]
        built.append(component)
    if errors:
        raise ValidationError({"components": errors})
    return built


def _build_steps(procedure: Procedure, rows) -> list[ProcedureStep]:
    built, errors = [], []
    for index, row in enumerate(rows or (), start=1):
        values = {name: row[name] for name in STEP_FIELDS if name in row}
        step = ProcedureStep(procedure=procedure, order=index, **values)
        unit = values.get("responsible_unit")
        problems = []
        try:
            step.full_clean(exclude=["procedure", "responsible_unit"])
        except ValidationError as exc:
            problems += _messages(exc, ProcedureStep)
        if unit is not None and unit.agency_id != procedure.agency_id:
            problems.append(_("the unit belongs to another agency."))
        if unit is None and not values.get("responsible_role"):
            problems.append(_("name the responsible unit or role."))
        errors += [
            _("Step %(number)d: %(message)s") % {"number": index, "message": message}
            for message in problems
        ]
        built.append(step)
    if errors:
        raise ValidationError({"steps": errors})
    return built


def _write_parts(procedure: Procedure, components, steps) -> None:
    """Replace the components and/or steps of a draft (``None``: keep them)."""
    built_components = _build_components(procedure, components) if components is not None else None
    built_steps = _build_steps(procedure, steps) if steps is not None else None
    if built_components is not None:
        procedure.components.all().delete()
        ProcedureComponent.objects.bulk_create(built_components)
    if built_steps is not None:
        procedure.steps.all().delete()
        ProcedureStep.objects.bulk_create(built_steps)


def snapshot(procedure: Procedure) -> dict:
    """The audit view of a version."""
    return {
        "code": procedure.code,
        "version": procedure.version,
        "state": procedure.state,
        "name": procedure.name,
        "time_limit": str(procedure.time_limit),
        "time_unit": procedure.time_unit,
        "components": procedure.components.count(),
        "steps": procedure.steps.count(),
    }


@action("onestop.procedure.create", permission=_admin_of_agency)
def create_procedure(actor, *, agency, components=(), steps=(), **fields) -> Procedure:
    """Create version 1 of a procedure, as a draft, with its components and steps.

    Refused when the agency's catalogue already has the code (start a new version of it
    instead)."""
    unknown = set(fields) - set(PROCEDURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown procedure fields: {sorted(unknown)}")
    procedure = Procedure(agency=agency, created_by=actor, version=1, **fields)
    _clean_procedure(procedure)
    if Procedure.objects.filter(agency=agency, code=procedure.code).exists():
        raise ValidationError(
            {
                "code": _(
                    "The catalogue already has procedure %(code)s: start a new version of it "
                    "instead."
                )
                % {"code": procedure.code}
            },
            code="duplicate",
        )
    _build_components(procedure, components)
    _build_steps(procedure, steps)
    procedure.save()
    _write_parts(procedure, components, steps)
    describe(
        obj=procedure,
        agency=agency,
        summary=_("Procedure %(code)s created (draft).") % {"code": procedure.code},
        after=snapshot(procedure),
    )
    return procedure


@action("onestop.procedure.update", permission=_admin_of_procedure)
def update_procedure(actor, *, procedure, components=None, steps=None, **fields) -> Procedure:
    """Change a draft version (its fields, and its components and steps when given).
    Published and replaced versions never change: start a new version."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not procedure.is_draft:
        raise ValidationError(
            _("Version %(version)d is %(state)s and cannot change: start a new version.")
            % {"version": procedure.version, "state": procedure.get_state_display()},
            code="not_draft",
        )
    unknown = set(fields) - set(PROCEDURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown procedure fields: {sorted(unknown)}")
    before = snapshot(procedure)
    if "code" in fields and fields["code"] != procedure.code:
        raise ValidationError(
            {"code": _("The code of an existing procedure cannot change.")}, code="code_fixed"
        )
    for name, value in fields.items():
        setattr(procedure, name, value)
    _clean_procedure(procedure)
    procedure.save()
    _write_parts(procedure, components, steps)
    describe(
        obj=procedure,
        summary=_("Procedure %(code)s version %(version)d changed.")
        % {"code": procedure.code, "version": procedure.version},
        before=before,
        after=snapshot(procedure),
    )
    return procedure


@action("onestop.procedure.new_version", permission=_admin_of_procedure)
def new_version(actor, *, procedure) -> Procedure:
    """Copy a published or replaced version into a new draft version (the next number),
    with its components and steps. Refused while a draft of the procedure exists."""
    draft = Procedure.objects.filter(
        agency_id=procedure.agency_id, code=procedure.code, state=ProcedureState.DRAFT
    ).first()
    if draft is not None:
        raise ValidationError(
            _("Version %(version)d of this procedure is already a draft: edit it.")
            % {"version": draft.version},
            code="draft_exists",
        )
    last = Procedure.objects.filter(agency_id=procedure.agency_id, code=procedure.code).aggregate(
        last=Max("version")
    )["last"]
    copy = Procedure.objects.create(
        agency_id=procedure.agency_id,
        created_by=actor,
        version=last + 1,
        state=ProcedureState.DRAFT,
        **{name: getattr(procedure, name) for name in PROCEDURE_FIELDS},
    )
    ProcedureComponent.objects.bulk_create(
        ProcedureComponent(
            procedure=copy,
            order=component.order,
            **{name: getattr(component, name) for name in COMPONENT_FIELDS},
        )
        for component in procedure.components.all()
    )
    ProcedureStep.objects.bulk_create(
        ProcedureStep(
            procedure=copy,
            order=step.order,
            **{name: getattr(step, name) for name in STEP_FIELDS},
        )
        for step in procedure.steps.all()
    )
    describe(
        obj=copy,
        agency=procedure.agency,
        summary=_("Procedure %(code)s: version %(version)d started from version %(source)d.")
        % {"code": copy.code, "version": copy.version, "source": procedure.version},
        after=snapshot(copy),
    )
    return copy


def publication_errors(procedure: Procedure) -> list[str]:
    """What prevents publishing a draft: no step, no component, steps whose budgets exceed
    the legal time limit."""
    errors = []
    steps = list(procedure.steps.all())
    if not steps:
        errors.append(_("Add at least one processing step."))
    if not procedure.components.exists():
        errors.append(_("Add at least one dossier component."))
    if steps:
        total = sum((step.budget_in_working_days() for step in steps), Decimal(0))
        limit = deadlines.to_working_days(procedure.time_limit, procedure.time_unit)
        if total > limit:
            errors.append(
                _(
                    "The steps take %(total)s working days, more than the legal time limit "
                    "(%(limit)s working days)."
                )
                % {"total": total.normalize(), "limit": limit.normalize()}
            )
    return errors


@action("onestop.procedure.publish", permission=_admin_of_procedure)
def publish_procedure(actor, *, procedure) -> Procedure:
    """Publish a draft version: desks receive dossiers under it from now on; the version
    published before is marked replaced (its dossiers keep it)."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not procedure.is_draft:
        raise ValidationError(_("Only a draft version can be published."), code="not_draft")
    errors = publication_errors(procedure)
    if errors:
        raise ValidationError(errors, code="incomplete")
    replaced = list(
        Procedure.objects.select_for_update()
        .filter(agency_id=procedure.agency_id, code=procedure.code, state=ProcedureState.PUBLISHED)
        .values_list("version", flat=True)
    )
    Procedure.objects.filter(
        agency_id=procedure.agency_id, code=procedure.code, state=ProcedureState.PUBLISHED
    ).update(state=ProcedureState.RETIRED)
    procedure.state = ProcedureState.PUBLISHED
    procedure.published_at = timezone.now()
    procedure.published_by = actor
    procedure.save(update_fields=["state", "published_at", "published_by"])
    describe(
        obj=procedure,
        summary=_("Procedure %(code)s version %(version)d published.")
        % {"code": procedure.code, "version": procedure.version},
        before={"published_version": replaced[0] if replaced else None},
        after=snapshot(procedure),
    )
    return procedure


@action("onestop.procedure.import", permission=_admin_of_agency)
def import_catalogue(actor, *, agency, entries, publish=False) -> list[Procedure]:
    """Import procedures parsed from a catalogue file (``catalogue_io.parse``): a code new
    to the agency becomes version 1, a known code a new version (refused while a draft of
    it exists). All or nothing; with ``publish`` each is published at once."""
    created, errors = [], []
    for index, entry in enumerate(entries, start=1):
        fields = {name: entry[name] for name in PROCEDURE_FIELDS if name in entry}
        code = fields.get("code", "")
        existing = Procedure.objects.filter(agency=agency, code=code)
        try:
            if existing.filter(state=ProcedureState.DRAFT).exists():
                raise ValidationError(
                    _("procedure %(code)s already has a draft version; publish or edit it first.")
                    % {"code": code}
                )
            last = existing.aggregate(last=Max("version"))["last"] or 0
            procedure = Procedure(agency=agency, created_by=actor, version=last + 1, **fields)
            _clean_procedure(procedure)
            _build_components(procedure, entry.get("components", ()))
            _build_steps(procedure, entry.get("steps", ()))
            procedure.save()
            _write_parts(procedure, entry.get("components", ()), entry.get("steps", ()))
            if publish:
                problems = publication_errors(procedure)
                if problems:
                    raise ValidationError(problems)
                existing.filter(state=ProcedureState.PUBLISHED).exclude(pk=procedure.pk).update(
                    state=ProcedureState.RETIRED
                )
                procedure.state = ProcedureState.PUBLISHED
                procedure.published_at = timezone.now()
                procedure.published_by = actor
                procedure.save(update_fields=["state", "published_at", "published_by"])
            created.append(procedure)
        except ValidationError as exc:
            errors += [
                _("Procedure %(number)d (%(code)s): %(message)s")
                % {"number": index, "code": code or "?", "message": message}
                for message in _messages(exc)
            ]
    if errors:
        raise ValidationError({"file": errors}, code="invalid_catalogue")
    describe(
        agency=agency,
        summary=_("%(count)d procedure(s) imported: %(codes)s.")
        % {"count": len(created), "codes": ", ".join(p.code for p in created)},
        after={"procedures": [snapshot(p) for p in created], "published": publish},
    )
    return created
