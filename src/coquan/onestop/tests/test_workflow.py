"""Statuses, transitions, catalogue versions, dossier codes and the demo catalogue."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from coquan.audit.models import AuditEntry
from coquan.documents.models import DocumentType
from coquan.onestop import actions, workflow
from coquan.onestop.choices import DossierStatus
from coquan.onestop.models import Dossier, DossierStatusChange, Procedure
from coquan.onestop.tests.conftest import at

pytestmark = pytest.mark.django_db

STANDARD_STATUSES = {
    "1": "Mới đăng ký",
    "2": "Được tiếp nhận",
    "3": "Không được tiếp nhận",
    "4": "Đang xử lý",
    "5": "Yêu cầu bổ sung giấy tờ",
    "6": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "7": "Công dân yêu cầu rút hồ sơ",
    "8": "Dừng xử lý",
    "9": "Đã xử lý xong",
    "10": "Đã trả kết quả",
}


def test_the_ten_statuses_of_the_national_portal():
    with translation.override("vi"):
        assert {value: str(label) for value, label in DossierStatus.choices} == STANDARD_STATUSES


def test_transitions_lead_to_known_statuses():
    for transition in workflow.TRANSITIONS.values():
        assert transition.target is None or transition.target in DossierStatus.values
        assert transition.sources <= {*DossierStatus.values, workflow.NEW_RECORD}


def _assert_refused(call, code="invalid_transition"):
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert excinfo.value.code == code or code in str(excinfo.value)


def test_illegal_transitions_are_refused_and_change_nothing(office):
    dossier = office.accept()
    changes = DossierStatusChange.objects.count()
    _assert_refused(lambda: actions.return_result(office.desk, dossier=dossier))
    _assert_refused(lambda: actions.resubmit(office.desk, dossier=dossier))
    _assert_refused(lambda: actions.request_supplement(office.leader, dossier=dossier, items=["x"]))
    dossier = actions.forward(office.desk, dossier=dossier, assignee_user=office.officer)
    _assert_refused(
        lambda: actions.approve(office.officer, dossier=dossier, result_note="x"), "not_last_step"
    )
    _assert_refused(
        lambda: actions.return_to_previous(office.officer, dossier=dossier, reason="x"),
        "first_step",
    )
    dossier = actions.stop(office.officer, dossier=dossier, reason="Không đủ điều kiện")
    _assert_refused(lambda: actions.forward(office.leader, dossier=dossier))
    assert DossierStatusChange.objects.count() == changes + 2  # forward (2→4) and stop (4→8)
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.STOPPED


def test_people_without_the_right_are_refused_and_audited(office):
    dossier = office.accept()
    with pytest.raises(PermissionDenied):
        actions.forward(office.officer, dossier=dossier)
    with pytest.raises(PermissionDenied):
        actions.accept_dossier(
            office.outsider, agency=office.agency, procedure=office.procedure, **office.applicant()
        )
    dossier = actions.forward(office.desk, dossier=dossier, assignee_user=office.officer)
    with pytest.raises(PermissionDenied):  # another unit's officer
        actions.request_supplement(office.officer2, dossier=dossier, items=["x"])
    # The unit leader of the unit the dossier is handed to may act for the officer.
    actions.request_supplement(office.unit_leader, dossier=dossier, items=["Bản vẽ"])
    assert AuditEntry.objects.filter(action="permission_denied").count() == 3


def test_dossiers_keep_their_procedure_version(office):
    first = office.accept(at(2026, 3, 2, 9))
    draft = actions.new_version(office.admin, procedure=office.procedure)
    with pytest.raises(ValidationError):
        actions.new_version(office.admin, procedure=office.procedure)  # one draft at a time
    actions.update_procedure(
        office.admin,
        procedure=draft,
        time_limit=3,
        steps=[
            {"name": "Xử lý nhanh", "responsible_unit": office.telecom, "time_budget": 3},
        ],
    )
    published = actions.publish_procedure(office.admin, procedure=draft)
    second = office.accept(at(2026, 3, 2, 9), procedure=published)
    first.refresh_from_db()
    assert first.procedure.version == 1 and first.procedure.state == "retired"
    assert first.procedure.steps.count() == 3
    assert first.time_limit_days == 5 and second.time_limit_days == 3
    # The replaced version takes no new dossiers.
    with pytest.raises(ValidationError):
        office.accept(procedure=first.procedure)
    with pytest.raises(ValidationError):
        actions.update_procedure(office.admin, procedure=first.procedure, name="x")


def test_catalogue_rules(office):
    with pytest.raises(ValidationError) as excinfo:
        actions.create_procedure(
            office.admin,
            agency=office.agency,
            **{
                "code": "1.005129",
                "name": "Trùng",
                "sector_code": "VT",
                "sector_name": "VT",
                "level": "province",
                "competent_authority": "Sở",
                "time_limit": 5,
                "time_unit": "working_days",
                "online_level": "none",
            },
        )
    assert "code" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        actions.create_procedure(
            office.admin,
            agency=office.agency,
            **{
                "code": "12345",
                "name": "",
                "sector_code": "VT",
                "sector_name": "VT",
                "level": "province",
                "competent_authority": "Sở",
                "time_limit": 5,
                "time_unit": "working_days",
                "online_level": "none",
            },
        )
    assert {"code", "name"} <= set(excinfo.value.message_dict)
    empty = actions.create_procedure(
        office.admin,
        agency=office.agency,
        **{
            "code": "1.000001",
            "name": "Chưa có bước",
            "sector_code": "VT",
            "sector_name": "VT",
            "level": "province",
            "competent_authority": "Sở",
            "time_limit": 5,
            "time_unit": "working_days",
            "online_level": "none",
        },
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.publish_procedure(office.admin, procedure=empty)
    assert len(excinfo.value.messages) == 2  # no step, no component
    with pytest.raises(ValidationError) as excinfo:
        actions.update_procedure(
            office.admin,
            procedure=empty,
            steps=[
                {"name": "Bước của đơn vị khác", "responsible_unit": None, "time_budget": 1},
            ],
        )
    assert "steps" in excinfo.value.message_dict


def test_dossier_code_format_is_configurable(office, settings):
    settings.COQUAN_ONESTOP_DOSSIER_CODE_FORMAT = "{prefix}-{date:%Y%m%d}-{seq:07d}"
    settings.COQUAN_ONESTOP_DOSSIER_CODE_PREFIXES = {"000.00.14.H06": "G09.20"}
    assert office.accept(at(2026, 6, 9, 9)).dossier_code == "G09.20-20260609-0000001"
    settings.COQUAN_ONESTOP_DOSSIER_CODE_FORMAT = "{organ_id}-{date:%y%m%d}-{seq:04d}"
    settings.COQUAN_ONESTOP_DOSSIER_CODE_RESET = "year"
    # Same year, another day: the yearly sequence goes on.
    assert office.accept(at(2026, 6, 10, 9)).dossier_code == "000.00.14.H06-260610-0001"
    assert office.accept(at(2026, 6, 11, 9)).dossier_code == "000.00.14.H06-260611-0002"


def test_daily_sequence_restarts_each_day_and_per_agency(office):
    assert office.accept(at(2026, 3, 2, 9)).dossier_code.endswith("260302-0001")
    assert office.accept(at(2026, 3, 2, 16)).dossier_code.endswith("260302-0002")
    assert office.accept(at(2026, 3, 3, 8)).dossier_code.endswith("260303-0001")


def test_demo_catalogue_command_is_idempotent():
    call_command("onestop_seed_demo")
    call_command("onestop_seed_demo")
    procedures = Procedure.objects.filter(agency__organ_id="000.00.14.H06", state="published")
    assert procedures.count() == 4
    names = " ".join(procedures.values_list("name", flat=True))
    for name in ("xuất bản bản tin", "hoạt động in", "trạm BTS", "đại lý Internet"):
        assert name in names
    for procedure in procedures:
        assert procedure.steps.count() == 3
        assert procedure.components.filter(required=True).exists()
    assert AuditEntry.objects.filter(action="onestop.procedure.import").count() == 1
    # The BTS permit is issued as a licence of the Department's own type "Giấy phép" (GP).
    bts = procedures.get(code="1.005129")
    assert bts.licence_document_type == "giay-phep"
    assert set(procedures.values_list("licence_document_type", flat=True)) == {"", "giay-phep"}
    licence_type = DocumentType.objects.available_to(bts.agency).get(code="giay-phep")
    assert (licence_type.agency_id, licence_type.name, licence_type.abbreviation) == (
        bts.agency_id,
        "Giấy phép",
        "GP",
    )
    assert AuditEntry.objects.filter(action="documents.types.save").count() == 1


def test_demo_catalogue_made_before_the_licence_gets_a_new_version():
    """A demo database seeded before the BTS licence: the next run publishes version 2."""
    call_command("onestop_seed_demo")
    Procedure.objects.filter(code="1.005129").update(licence_document_type="")
    call_command("onestop_seed_demo")
    versions = Procedure.objects.filter(code="1.005129").order_by("version")
    assert list(versions.values_list("version", "state", "licence_document_type")) == [
        (1, "retired", ""),
        (2, "published", "giay-phep"),
    ]
    call_command("onestop_seed_demo")
    assert Procedure.objects.filter(code="1.005129").count() == 2


def test_visible_in_an_agency_gives_the_same_rows_as_visible_to(office):
    """The role-reduced rule of the search (``visible_in``) changes the plan, never the rows."""
    from coquan.accounts.models import User
    from coquan.core.access import clear_access_cache
    from coquan.core.testing.factories import make_member

    office.accept()
    handed = office.accept()
    actions.forward(office.desk, dossier=handed, assignee_user=office.officer)
    superuser = User.objects.create_superuser("vanhanh_hs", "vhs@example.gov.vn", "x")
    people = [
        office.admin, office.desk, office.officer, office.officer2, office.unit_leader,
        office.leader, office.outsider, superuser,
        make_member(office.agency, username="os_khong_vai_tro"),
    ]  # fmt: skip
    counts = set()
    for user in people:
        clear_access_cache(user)
        expected = set(
            Dossier.objects.visible_to(user).for_agency(office.agency).values_list("pk", flat=True)
        )
        got = set(Dossier.objects.visible_in(user, office.agency).values_list("pk", flat=True))
        assert got == expected, user.username
        counts.add(len(got))
    assert counts == {0, 1, 2}
