"""Fixtures of the workdays tests."""

from __future__ import annotations

import pytest

from coquan.core.testing.factories import AgencyFactory, UserFactory, make_member
from coquan.workdays import store


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts without a cached calendar (tests roll back the version token)."""
    store.invalidate()
    yield
    store.invalidate()


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", full_name="Quản trị hệ thống", is_superuser=True)


@pytest.fixture
def agency_admin(db):
    """An agency administrator: a member with the ``admin`` role, but not a superuser."""
    return make_member(AgencyFactory(), "admin", username="quantri_so")


@pytest.fixture
def member(db):
    return make_member(AgencyFactory(), "officer", username="chuyenvien")
