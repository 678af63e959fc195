"""Fixtures and helpers of the accounts tests."""

from __future__ import annotations

import binascii

import pytest
from django_otp.oath import totp

from coquan.accounts import actions, second_factor
from coquan.core.testing.factories import AgencyFactory, UnitFactory, make_member


def code_for(key_hex: str, steps_ahead: int = 0) -> str:
    """The TOTP code an authenticator app shows for ``key_hex`` (django_otp.oath.totp).

    ``steps_ahead=1`` gives the next 30-second step's code, which the device accepts
    (tolerance 1) after the current one has been used: django-otp refuses a code twice.
    """
    value = totp(binascii.unhexlify(key_hex), step=30, digits=6, drift=steps_ahead)
    return f"{value:06d}"


def enrol(user):
    """Turn on two-step verification for ``user`` through the real action."""
    key = second_factor.new_key()
    enrolment = actions.enable_second_factor(user, key=key, code=code_for(key))
    return enrolment


@pytest.fixture
def agency(db):
    return AgencyFactory(
        organ_id="000.00.12.H10", name="Sở Thông tin và Truyền thông tỉnh Bắc Giang"
    )


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, code="CNTT", name="Phòng Công nghệ thông tin")


@pytest.fixture
def clerk(agency, unit):
    return make_member(agency, "clerk", unit=unit, username="vanthu", full_name="Trần Thị Hoa")


@pytest.fixture
def superuser(agency):
    user = make_member(agency, "admin", username="quantri", full_name="Lê Văn Quản")
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    return user
