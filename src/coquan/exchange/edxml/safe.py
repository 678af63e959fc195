"""Hardened reading of untrusted packages (DESIGN.md §7, issue 5 part 2).

``parse_xml`` turns bytes into an lxml tree or raises ``PackageRefused``; nothing else in
CoQuan parses a received package. In order, cheapest first:

1. size: the length is checked before anything is read (``max_package_bytes``);
2. encoding: UTF-8 only (a UTF-16/32 byte-order mark or another declared encoding is
   refused; invalid UTF-8 bytes are refused by the parser, which is told the encoding);
3. DOCTYPE: refused in the prolog before parsing, and again after parsing (so no entity
   is ever declared, let alone expanded: XXE, billion laughs, quadratic blow-up);
4. the parser itself: ``resolve_entities=False, no_network=True, load_dtd=False,
   huge_tree=False`` (libxml2's own caps: depth 256, 10 MB per text node), fed in chunks
   as a pull parser so that depth (``max_depth``) and element count (``max_elements``)
   stop it early with bounded memory;
5. the root must be ``edXML`` in the QCVN 102 namespace.

``decode_base64`` decodes an attachment strictly (only the base64 alphabet, whitespace
ignored, correct padding) after checking its decoded size against ``max_attachment_bytes``
without decoding it.
"""

from __future__ import annotations

import base64
import binascii
import re

from lxml import etree

from coquan.exchange.edxml.codes import NS
from coquan.exchange.edxml.config import Limits, current_limits
from coquan.exchange.edxml.problems import PackageRefused

CHUNK = 64 * 1024
_BOMS_OTHER = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")
_UTF8_BOM = b"\xef\xbb\xbf"
_XML_DECL = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UTF8_NAMES = {b"utf-8", b"utf8"}
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_B64_SPACES = " \t\r\n"


def _parser(**extra) -> etree.XMLPullParser:
    """The only parser configuration used on received data."""
    return etree.XMLPullParser(
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        encoding="utf-8",
        **extra,
    )


def check_size(size: int, limits: Limits | None = None) -> None:
    """Refuse an empty or oversized package from its length alone."""
    limits = limits or current_limits()
    if size == 0:
        raise PackageRefused("empty")
    if size > limits.max_package_bytes:
        raise PackageRefused("too_large", size=size, limit=limits.max_package_bytes)


def _check_encoding(data: bytes) -> bytes:
    """Refuse anything but UTF-8; return the data without a UTF-8 byte-order mark."""
    if data.startswith(_BOMS_OTHER):
        raise PackageRefused("not_utf8")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    match = _XML_DECL.match(data[:512])
    if match and match.group(1).lower() not in _UTF8_NAMES:
        raise PackageRefused("not_utf8")
    return data


def _refuse_doctype_in_prolog(data: bytes) -> None:
    """Walk the prolog (declaration, comments, processing instructions, white space)."""
    position = 0
    end = min(len(data), 1024 * 1024)
    while position < end:
        match = _PROLOG_ITEM.match(data, position)
        if match is None or match.end() == position:
            break
        position = match.end()
    if data.startswith(b"<!DOCTYPE", position) or data.startswith(b"<!doctype", position):
        raise PackageRefused("doctype")


def _syntax_refusal(exc: Exception, limits: Limits) -> PackageRefused:
    """The refusal for a parser error (libxml2's own limits have their own codes)."""
    text = str(exc)
    if "Text node too long" in text:
        return PackageRefused("text_too_long", limit=limits.max_attachment_bytes)
    if "Excessive depth" in text:
        return PackageRefused("too_deep", limit=limits.max_depth)
    if "not proper UTF-8" in text or "encoding" in text.lower():
        return PackageRefused("not_utf8")
    return PackageRefused("malformed", detail=text[:200])


def parse_xml(data: bytes, limits: Limits | None = None) -> etree._Element:
    """Parse received bytes into a tree, or raise ``PackageRefused`` saying why."""
    limits = limits or current_limits()
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse_xml expects bytes")
    if not isinstance(data, bytes):
        data = bytes(data)
    check_size(len(data), limits)
    data = _check_encoding(data)
    _refuse_doctype_in_prolog(data)

    parser = _parser()
    depth = 0
    count = 0
    try:
        for offset in range(0, len(data), CHUNK):
            parser.feed(data[offset : offset + CHUNK])
            for event, _element in parser.read_events():
                if event == "start":
                    depth += 1
                    count += 1
                    if depth > limits.max_depth:
                        raise PackageRefused("too_deep", limit=limits.max_depth)
                    if count > limits.max_elements:
                        raise PackageRefused("too_many_elements", limit=limits.max_elements)
                else:
                    depth -= 1
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise _syntax_refusal(exc, limits) from None
    except etree.LxmlError as exc:  # any other parser failure: refuse, never crash
        raise PackageRefused("malformed", detail=str(exc)[:200]) from None

    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise PackageRefused("doctype")
    for _entity in root.iter(etree.Entity):
        raise PackageRefused("doctype")
    if not isinstance(root.tag, str) or root.tag != f"{{{NS}}}edXML":
        found = root.tag if isinstance(root.tag, str) else "?"
        raise PackageRefused("wrong_namespace", found=found)
    return root


def decode_base64(text: str | None, *, name: str, limits: Limits | None = None) -> bytes:
    """Strictly decode one attachment's base64 text, refusing oversized ones undecoded.

    White space (line breaks of MIME-style base64) is ignored; anything else outside the
    base64 alphabet, or wrong padding, refuses the package. The decoded size is computed
    from the text before any copy is made.
    """
    limits = limits or current_limits()
    text = text or ""
    if not text.isascii():
        raise PackageRefused("bad_base64", name=name)
    spaces = sum(text.count(c) for c in _B64_SPACES)
    length = len(text) - spaces
    padding = text.rstrip(_B64_SPACES)[-2:].count("=")
    decoded_size = length // 4 * 3 - padding
    if decoded_size > limits.max_attachment_bytes:
        raise PackageRefused("attachment_too_large", name=name, limit=limits.max_attachment_bytes)
    if length % 4:
        raise PackageRefused("bad_base64", name=name)
    compact = text.encode("ascii").translate(None, _B64_SPACES.encode("ascii"))
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise PackageRefused("bad_base64", name=name) from None
