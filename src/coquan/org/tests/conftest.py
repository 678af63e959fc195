"""Fixtures of the org tests: an agency with an administrator, built through real actions."""

from __future__ import annotations

import datetime as dt

import pytest

from coquan.core.testing.factories import AgencyFactory, UserFactory, make_member

PAST = dt.date(2024, 1, 1)


@pytest.fixture
def agency(db):
    return AgencyFactory(
        organ_id="000.00.14.H06", name="Sở Thông tin và Truyền thông", short_name="STTTT"
    )


@pytest.fixture
def other_agency(db):
    return AgencyFactory(organ_id="000.00.03.H06", name="Sở Tài chính", short_name="STC")


@pytest.fixture
def admin(agency):
    return make_member(agency, "admin", username="quantri", full_name="Trần Thị Quản Trị")


@pytest.fixture
def superuser(db):
    user = UserFactory(username="hethong", full_name="Quản trị hệ thống")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user
