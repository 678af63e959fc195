"""What can be wrong with a package: ``Problem`` (one field) and ``PackageRefused`` (the
whole package is refused).

Each has a ``code`` (stable, for programs and tests), the ``path`` of the element concerned
and ``params``; the ``message`` is rendered from the code in the current language (English
msgids, Vietnamese catalogue), and ``message_vi`` in Vietnamese whatever the UI language:
that text is what a status 02 tells the sender (the other system's staff read Vietnamese).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext_lazy as _

ERROR = "error"
WARNING = "warning"

MESSAGES = {
    # --- field problems (validate) ---
    "required": _("%(path)s is required."),
    "too_long": _("%(path)s is %(length)s characters long; at most %(limit)s are allowed."),
    "invalid_organ_id": _(
        "%(path)s: “%(value)s” is not an agency identifier of the form NNN.NN.NN.LNN."
    ),
    "invalid_date": _("%(path)s: “%(value)s” is not a date (yyyy/MM/dd or dd/MM/yyyy)."),
    "future_date": _("%(path)s: the date %(value)s is in the future."),
    "invalid_timestamp": _("%(path)s: “%(value)s” is not a time stamp (yyyy/MM/dd HH:mm:ss)."),
    "invalid_number": _("%(path)s: “%(value)s” is not a whole number."),
    "out_of_range": _("%(path)s: “%(value)s” is not one of the allowed values (%(allowed)s)."),
    "negative": _("%(path)s: “%(value)s” must not be negative."),
    "invalid_bool": _("%(path)s: “%(value)s” is not true or false."),
    "invalid_email": _("%(path)s: “%(value)s” is not an e-mail address."),
    "invalid_document_id": _(
        "%(path)s: “%(value)s” is not a document identifier of the form "
        "OrganId,yyyy/MM/dd,Number/Notation."
    ),
    "invalid_document_id_date": _(
        "%(path)s: the date in the document identifier “%(value)s” does not exist."
    ),
    "document_id_mismatch": _(
        "%(path)s: “%(value)s” does not match the %(part)s of the document (%(expected)s)."
    ),
    "business_id_differs": _(
        "%(path)s: “%(value)s” differs from the identifier of the package (%(expected)s)."
    ),
    "no_recipient": _("The package has no recipient (To)."),
    "duplicate_recipient": _("%(path)s: the recipient %(value)s is listed more than once."),
    "duplicate_content_id": _("%(path)s: the content identifier %(value)s is used twice."),
    "attachment_not_in_manifest": _("The attachment %(value)s is not listed in the manifest."),
    "manifest_without_attachment": _(
        "The manifest lists %(value)s but the package does not carry that attachment."
    ),
    "no_attachment": _("The package carries no attached file."),
    "missing_business": _("The package has no Bussiness block; it is read as a new document."),
    "missing_replacement": _(
        "A replacement package must name the document it replaces (ReplacementInfoList)."
    ),
    "invalid_status_code": _(
        "%(path)s: “%(value)s” is not a status code of QCVN 102 (%(allowed)s)."
    ),
    # --- refusals of the whole package (safe parsing, structure, recipient) ---
    "empty": _("The package is empty."),
    "too_large": _("The package is %(size)s bytes long; at most %(limit)s bytes are accepted."),
    "not_utf8": _("The package is not encoded in UTF-8."),
    "doctype": _(
        "The package contains a document type declaration (DOCTYPE); "
        "entities and DTDs are not accepted."
    ),
    "malformed": _("The package is not well-formed XML: %(detail)s"),
    "too_deep": _("The package is nested more than %(limit)s levels deep."),
    "too_many_elements": _("The package has more than %(limit)s elements."),
    "wrong_namespace": _(
        "The package is not an edXML package of QCVN 102: its root element is %(found)s."
    ),
    "duplicate_element": _("The element %(path)s appears more than once."),
    "missing_element": _("The package has no %(path)s element."),
    "bad_base64": _("The attachment %(name)s is not valid base64."),
    "attachment_too_large": _(
        "The attachment %(name)s is larger than the limit of %(limit)s bytes."
    ),
    "text_too_long": _(
        "An element of the package holds more than 10 000 000 characters "
        "(attachments are limited to %(limit)s bytes)."
    ),
    "too_many_attachments": _("The package carries more than %(limit)s attachments."),
    "wrong_recipient": _("The package is not addressed to this agency (%(organ_id)s)."),
    "bad_signature": _("The signature of the package is not valid: %(reason)s"),
    "refused_by_clerk": _("Refused by the clerk: %(reason)s"),
    "invalid": _("The package has %(count)s error(s): %(first)s"),
    "processing_failed": _("The package could not be processed: %(detail)s"),
}

# Vietnamese prefix of the ``Description`` of a status 02 (a wire text, not a translation).
REFUSAL_PREFIX_VI = "Từ chối tiếp nhận"
DESCRIPTION_LIMIT = 500


def render(code: str, params: dict) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


@dataclass
class Problem:
    """One thing wrong with a field; ``severity`` ``error`` refuses the package."""

    code: str
    path: str = ""
    params: dict = field(default_factory=dict)
    severity: str = ERROR

    def _params(self) -> dict:
        return {"path": self.path, **self.params}

    @property
    def message(self) -> str:
        return render(self.code, self._params())

    @property
    def message_vi(self) -> str:
        with translation.override("vi"):
            return render(self.code, self._params())

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        """Stored form (JSON): the message is rendered again when shown."""
        return {
            "code": self.code,
            "path": self.path,
            "params": {key: str(value) for key, value in self.params.items()},
            "severity": self.severity,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Problem:
        return cls(
            code=data.get("code", ""),
            path=data.get("path", ""),
            params=dict(data.get("params") or {}),
            severity=data.get("severity", ERROR),
        )


def errors(problems: list[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.is_error]


class PackageRefused(Exception):
    """The package as a whole is refused (unsafe, not edXML, wrongly addressed, invalid).

    ``code`` and ``message`` say why (``message`` in the current language); ``status_reason``
    is the Vietnamese ``Description`` of the status 02 that tells the sender.
    ``problems`` carries the field problems when the refusal is ``invalid``.
    """

    def __init__(self, code: str, *, path: str = "", problems=None, **params):
        self.code = code
        self.path = path
        self.params = params
        self.problems = list(problems or [])
        super().__init__(f"{code}: {self.message}")

    def _params(self) -> dict:
        params = {"path": self.path, **self.params}
        if self.code == "invalid":
            found = errors(self.problems)
            params["count"] = len(found)
            params["first"] = found[0].message if found else ""
        return params

    @property
    def message(self) -> str:
        return render(self.code, self._params())

    @property
    def message_vi(self) -> str:
        with translation.override("vi"):
            return render(self.code, self._params())

    @property
    def status_reason(self) -> str:
        text = f"{REFUSAL_PREFIX_VI}: {self.message_vi}"
        return text[:DESCRIPTION_LIMIT]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "path": self.path,
            "params": {key: str(value) for key, value in self.params.items()},
            "message": self.message,
        }


def invalid(problems: list[Problem]) -> PackageRefused:
    """The refusal of a package whose fields have errors (all listed in ``problems``)."""
    return PackageRefused("invalid", problems=problems)
