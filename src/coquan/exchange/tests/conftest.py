"""Fixtures of the exchange tests: agencies matching the packages, clerks, keys."""

from __future__ import annotations

import pytest

from coquan.core.testing.factories import AgencyFactory, make_member
from coquan.exchange.actions import install_agency_key
from coquan.exchange.tests.helpers import (
    RECIPIENT,
    SAMPLE_RECIPIENT,
    SENDER,
    Downstream,
    key_pair,
)


@pytest.fixture
def recipient(db):
    """UBND xã Đức Thắng: the recipient of ``make_package()``."""
    return AgencyFactory(organ_id=RECIPIENT, name="UBND xã Đức Thắng", short_name="UBND")


@pytest.fixture
def sender_agency(db):
    """Sở TT&TT, the sender of ``make_package()``, on the same deployment, with its key."""
    agency = AgencyFactory(
        organ_id=SENDER, name="Sở Thông tin và Truyền thông tỉnh Bắc Giang", short_name="STTTT"
    )
    key_pem, cert_pem = key_pair(SENDER)
    install_agency_key(None, agency=agency, private_key_pem=key_pem, certificate_pem=cert_pem)
    return agency


@pytest.fixture
def sample_recipient(db):
    """Văn phòng tỉnh ủy Tây Ninh: the recipient of the interop sample ``hub-sample-new``."""
    return AgencyFactory(
        organ_id=SAMPLE_RECIPIENT, name="Văn phòng tỉnh ủy Tây Ninh", short_name="VPTU"
    )


@pytest.fixture
def clerk(recipient):
    return make_member(recipient, "clerk", username="vanthu_xa", full_name="Lê Thị Văn Thư")


@pytest.fixture
def sample_clerk(sample_recipient):
    return make_member(sample_recipient, "clerk", username="vanthu_vptu", full_name="Hà Văn Thư")


@pytest.fixture
def downstream():
    """A recording HTTP server standing for the node behind a hub."""
    server = Downstream()
    yield server
    server.shutdown()
    server.server_close()
