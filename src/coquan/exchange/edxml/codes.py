"""Names, namespaces and code tables of QCVN 102 edXML (standards §1.3–1.4).

The code values are the standard's; the Vietnamese ``*_WIRE`` texts are what goes into a
package (``Description``, ``BussinessDocReason``), so they are constants, not translations.
The ``*_LABELS`` are what the UI shows (English msgids with a Vietnamese catalogue).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
PREFIX = "edXML"


def q(name: str) -> str:
    """The qualified (Clark notation) name of an edXML element."""
    return f"{{{NS}}}{name}"


def ds(name: str) -> str:
    """The qualified name of an XML-DSig element."""
    return f"{{{DSIG_NS}}}{name}"


# --- Status codes (§1.4; 🟡: two implementations agree) --------------------------------------

STATUS_RECEIVED = "01"
STATUS_REFUSED = "02"
STATUS_ACCEPTED = "03"
STATUS_ASSIGNED = "04"
STATUS_PROCESSING = "05"
STATUS_DONE = "06"
STATUS_RECALL = "13"
STATUS_RECALL_ACCEPTED = "15"
STATUS_RECALL_REFUSED = "16"

STATUS_CODES = (
    STATUS_RECEIVED,
    STATUS_REFUSED,
    STATUS_ACCEPTED,
    STATUS_ASSIGNED,
    STATUS_PROCESSING,
    STATUS_DONE,
    STATUS_RECALL,
    STATUS_RECALL_ACCEPTED,
    STATUS_RECALL_REFUSED,
)

# The default ``Description`` written into a status package (the Bkav hub's labels).
STATUS_WIRE = {
    STATUS_RECEIVED: "Đã đến",
    STATUS_REFUSED: "Từ chối tiếp nhận",
    STATUS_ACCEPTED: "Đã tiếp nhận",
    STATUS_ASSIGNED: "Phân công",
    STATUS_PROCESSING: "Đang xử lý",
    STATUS_DONE: "Hoàn thành",
    STATUS_RECALL: "Lấy lại",
    STATUS_RECALL_ACCEPTED: "Đồng ý lấy lại / cập nhật văn bản",
    STATUS_RECALL_REFUSED: "Từ chối lấy lại / cập nhật văn bản",
}

STATUS_LABELS = {
    STATUS_RECEIVED: pgettext_lazy("edxml status", "Arrived"),
    STATUS_REFUSED: pgettext_lazy("edxml status", "Refused"),
    STATUS_ACCEPTED: pgettext_lazy("edxml status", "Accepted"),
    STATUS_ASSIGNED: pgettext_lazy("edxml status", "Assigned"),
    STATUS_PROCESSING: pgettext_lazy("edxml status", "Being handled"),
    STATUS_DONE: pgettext_lazy("edxml status", "Done"),
    STATUS_RECALL: pgettext_lazy("edxml status", "Recall"),
    STATUS_RECALL_ACCEPTED: pgettext_lazy("edxml status", "Recall or update accepted"),
    STATUS_RECALL_REFUSED: pgettext_lazy("edxml status", "Recall or update refused"),
}

# --- Bussiness/BussinessDocType (§1.3) -------------------------------------------------------

BUSINESS_NEW = 0
BUSINESS_RECALL = 1
BUSINESS_UPDATE = 2
BUSINESS_REPLACE = 3
BUSINESS_DOC_TYPES = (BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE)

BUSINESS_WIRE = {
    BUSINESS_NEW: "Văn bản điện tử mới",
    BUSINESS_RECALL: "Thu hồi văn bản điện tử",
    BUSINESS_UPDATE: "Cập nhật văn bản điện tử",
    BUSINESS_REPLACE: "Thay thế văn bản điện tử",
}

BUSINESS_LABELS = {
    BUSINESS_NEW: pgettext_lazy("edxml business", "New document"),
    BUSINESS_RECALL: pgettext_lazy("edxml business", "Recall"),
    BUSINESS_UPDATE: pgettext_lazy("edxml business", "Update"),
    BUSINESS_REPLACE: pgettext_lazy("edxml business", "Replacement"),
}

# ReceiverList/Receiver/ReceiverType: 0 = removed from the recipients, 1 = added.
RECEIVER_REMOVED = 0
RECEIVER_ADDED = 1

# --- OtherInfo/Priority (§1.3; the validator enforces 0–4) -----------------------------------

PRIORITY_LABELS = {
    0: _("Normal"),
    1: _("Urgent"),
    2: _("Very urgent"),
    3: _("Flash"),
    4: _("Flash, at a set time"),
}

# SteeringType: 1 = not a steering document, 2 = steering, 3 = report on a steering order.
STEERING_TYPES = (1, 2, 3)
