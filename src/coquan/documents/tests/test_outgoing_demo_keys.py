"""Demo signing keys (``make demo``): the demo signer signs and the clerk seals, no manual step.

Runs what the Makefile's ``demo`` target runs (read from the Makefile itself): ``seed_demo``
and ``documents_signing_key … --if-missing`` for the Department and its demo signers, twice.
The keys are self-signed test keys (a certification authority cannot exist here).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from coquan.core.access import roles_in
from coquan.documents import actions
from coquan.documents.choices import OutgoingStatus, TaskKind, TaskState
from coquan.documents.models import ChainTask, DocumentType, SigningKey
from coquan.documents.tests.samples import draft_pdf_upload

pytestmark = pytest.mark.django_db

MAKEFILE = Path(__file__).resolve().parents[4] / "Makefile"


def _demo_target() -> tuple[str, list[str], str]:
    """(agency organ_id, signer usernames, the demo recipe) as the Makefile defines them."""
    text = MAKEFILE.read_text(encoding="utf-8")
    agency = re.search(r"^DEMO_AGENCY := (\S+)$", text, re.M).group(1)
    signers = re.search(r"^DEMO_SIGNERS := (.+)$", text, re.M).group(1).split()
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    return agency, signers, recipe


def _run_demo_keys(agency: str, signers: list[str]) -> str:
    out = io.StringIO()
    call_command("documents_signing_key", agency, if_missing=True, stdout=out)
    for signer in signers:
        call_command("documents_signing_key", agency, user=signer, if_missing=True, stdout=out)
    return out.getvalue()


def test_the_demo_target_creates_the_keys_once():
    agency_id, signers, recipe = _demo_target()
    assert "documents_signing_key $(DEMO_AGENCY) --if-missing" in recipe
    assert "--user $$signer --if-missing" in recipe
    assert recipe.index("seed_demo") < recipe.index("documents_signing_key")
    call_command("seed_demo", stdout=io.StringIO())
    _run_demo_keys(agency_id, signers)
    keys = SigningKey.objects.filter(agency__organ_id=agency_id)
    first = set(keys.values_list("pk", "fingerprint"))
    assert len(first) == 1 + len(signers)
    # make run twice: neither fails nor adds a key.
    call_command("seed_demo", stdout=io.StringIO())
    out = _run_demo_keys(agency_id, signers)
    assert out.count("already there") == 1 + len(signers)
    assert set(keys.values_list("pk", "fingerprint")) == first
    # Without --if-missing the command still makes a new key (the older one stays to verify).
    call_command("documents_signing_key", agency_id, stdout=io.StringIO())
    assert keys.filter(holder__isnull=True).count() == 2
    assert keys.filter(holder__isnull=True, active=True).count() == 1


def test_with_the_demo_keys_the_demo_users_issue_a_document():
    from coquan.accounts.models import User

    agency_id, signers, _recipe = _demo_target()
    call_command("seed_demo", stdout=io.StringIO())
    _run_demo_keys(agency_id, signers)
    people = {u.username: u for u in User.objects.filter(username__in=[*signers, "vanthu"])}
    signer, clerk = people[signers[0]], people["vanthu"]
    officer = User.objects.get(username="chuyenvien")
    unit_leader = User.objects.get(username="truongphong")
    agency = SigningKey.objects.filter(agency__organ_id=agency_id).first().agency
    assert "leader" in roles_in(signer, agency) and "clerk" in roles_in(clerk, agency)

    doc = actions.create_draft(
        officer,
        agency=agency,
        document_type=DocumentType.objects.get(agency=None, code="cong-van"),
        subject="V/v thử ký số với khóa demo",
        signer=signer,
        main_file=draft_pdf_upload(),
    )
    doc = actions.submit(officer, document=doc, form_check=True)
    doc = actions.review(unit_leader, document=doc, comment="Đồng ý")
    doc = actions.check_form(clerk, document=doc)
    assert (
        ChainTask.objects.get(
            document=doc, kind=TaskKind.APPROVAL, state=TaskState.PENDING
        ).assignee_user
        == signer
    )
    doc = actions.approve(signer, document=doc)
    doc = actions.sign(signer, document=doc)
    doc = actions.issue(clerk, document=doc)
    assert doc.status == OutgoingStatus.ISSUED and doc.code_notation.endswith("-CNTT")
