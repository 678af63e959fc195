"""QCVN 102 edXML: build, parse, validate, sign and verify packages (no Django models).

The public interface of the library; the receive pipeline and, later, the outbox use only
these names.
"""

from coquan.exchange.edxml.build import (
    build_document_package,
    build_package,
    build_status_package,
)
from coquan.exchange.edxml.model import (
    Attachment,
    Business,
    BusinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    ManifestReference,
    Organization,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusPackage,
    TraceHeader,
)
from coquan.exchange.edxml.parse import parse_package, read_tree
from coquan.exchange.edxml.problems import PackageRefused, Problem
from coquan.exchange.edxml.validate import check_recipient, validate

__all__ = [
    "Attachment",
    "Business",
    "BusinessDocumentInfo",
    "Code",
    "DocumentPackage",
    "DocumentType",
    "ManifestReference",
    "Organization",
    "OtherInfo",
    "PackageRefused",
    "Problem",
    "PromulgationInfo",
    "Receiver",
    "ReplacementInfo",
    "ResponseFor",
    "SignerInfo",
    "StaffInfo",
    "StatusPackage",
    "TraceHeader",
    "build_document_package",
    "build_package",
    "build_status_package",
    "check_recipient",
    "parse_package",
    "read_tree",
    "validate",
]
