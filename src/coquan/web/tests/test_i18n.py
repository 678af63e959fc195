"""Vietnamese is the default language, the catalogues are complete and compiled.

The catalogue checks cover every app under ``src/coquan/`` (installed, or with a ``locale``
folder), so
an app that adds a string without its Vietnamese translation (or forgets to recompile the
``.mo``) fails here with the list of messages to fix.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

import coquan
from coquan.core.testing.catalogues import (
    catalogue_apps,
    parse_po,
    po_path,
    shadowed,
    stale_compiled,
    untranslated,
)
from coquan.core.testing.factories import AgencyFactory, make_member

PACKAGE_DIR = Path(coquan.__file__).resolve().parent
APPS = catalogue_apps(PACKAGE_DIR)


def test_every_installed_coquan_app_is_checked():
    names = {app.name for app in APPS}
    assert {"core", "web", "api", "accounts", "org", "audit", "workdays"} <= names
    assert "config" not in names  # settings and URLs, not an app


@pytest.mark.parametrize("app_dir", APPS, ids=[app.name for app in APPS])
def test_every_msgid_has_a_vietnamese_translation(app_dir, tmp_path):
    missing = untranslated(app_dir, tmp_path)
    assert not missing, (
        f"{app_dir.name}: {len(missing)} message(s) without a non-fuzzy Vietnamese translation "
        f"in {po_path(app_dir).relative_to(PACKAGE_DIR)} (run makemessages in the app folder, "
        "translate, compilemessages):\n  " + "\n  ".join(missing)
    )


@pytest.mark.parametrize("app_dir", APPS, ids=[app.name for app in APPS])
def test_pages_show_the_translation_of_the_apps_catalogue(app_dir):
    problems = shadowed(app_dir)
    assert not problems, (
        f"{app_dir.name}: another catalogue translates these msgids differently and wins "
        "(use pgettext with a context, or agree on one translation):\n  " + "\n  ".join(problems)
    )


@pytest.mark.parametrize("app_dir", APPS, ids=[app.name for app in APPS])
def test_committed_mo_matches_its_po(app_dir, tmp_path):
    po = po_path(app_dir)
    if not po.exists():
        # Nothing compiled without a source; missing messages fail the test above.
        assert not po.with_suffix(".mo").exists(), f"{app_dir.name}: a .mo without its .po"
        return
    differing = stale_compiled(po, po.with_suffix(".mo"), tmp_path)
    assert not differing, (
        f"{app_dir.name}: django.mo is out of date with django.po (run compilemessages); "
        f"differing messages: {', '.join(differing[:20])}"
    )


def test_catalogue_parser_reads_context_plurals_fuzzy_and_obsolete():
    text = "\n".join(
        [
            'msgid ""',
            'msgstr ""',
            '"Plural-Forms: nplurals=1; plural=0;\\n"',
            "",
            "#, fuzzy",
            'msgid "Close"',
            'msgstr "Đóng"',
            "",
            'msgctxt "dashboard card"',
            'msgid "Clerk"',
            'msgstr "Văn thư"',
            "",
            'msgid "%(n)s day"',
            'msgid_plural "%(n)s days"',
            'msgstr[0] ""',
            '"%(n)s ngày"',
            "",
            '#~ msgid "Old"',
            '#~ msgstr "Cũ"',
        ]
    )
    header, fuzzy, clerk, days, old = parse_po(text)
    assert header.msgid == "" and "Plural-Forms" in header.msgstr[0]
    assert fuzzy.flags == {"fuzzy"} and not fuzzy.translated
    assert clerk.key == ("dashboard card", "Clerk") and clerk.translated
    assert days.msgid_plural == "%(n)s days" and days.msgstr == ["%(n)s ngày"]
    assert old.obsolete and not old.translated


# --- Language of the pages -------------------------------------------------------------------


def _switch_language(client, code: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": code, "next": next_url})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    return response


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default_and_english_after_switching(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="vi">' in page
    assert "Chuyển đến nội dung chính" in page  # the skip link
    assert "Đổi ngôn ngữ" in page

    _switch_language(client, "en", reverse("accounts:login"))
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    assert "Change language" in page

    _switch_language(client, "vi", reverse("accounts:login"))
    assert "Đổi ngôn ngữ" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_dashboard_is_vietnamese_by_default_and_english_after_switching(client):
    agency = AgencyFactory(name="Sở Thông tin và Truyền thông")
    client.force_login(make_member(agency, "clerk"))

    page = client.get(reverse("web:dashboard")).content.decode()
    assert "Trang tổng quan" in page
    assert "Bàn làm việc văn thư" in page

    _switch_language(client, "en")
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "Dashboard" in page
    assert "Clerk&#x27;s desk" in page or "Clerk's desk" in page
    assert "Trang tổng quan" not in page


@pytest.mark.django_db
def test_dashboard_shows_today_as_dd_mm_yyyy(client):
    agency = AgencyFactory()
    client.force_login(make_member(agency, "officer"))
    page = client.get(reverse("web:dashboard")).content.decode()
    today = timezone.localdate()
    assert f">{today:%d/%m/%Y}</time>" in page
    _switch_language(client, "en")
    assert f">{today:%d/%m/%Y}</time>" in client.get(reverse("web:dashboard")).content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dates_render_dd_mm_yyyy_in_both_languages(language):
    template = Template(
        "{{ day|date:'SHORT_DATE_FORMAT' }} {{ day }} {{ moment|date:'SHORT_DATETIME_FORMAT' }}"
    )
    moment = dt.datetime(2026, 2, 16, 8, 5)
    with translation.override(language):
        text = template.render(Context({"day": dt.date(2026, 2, 6), "moment": moment}))
    assert text == "06/02/2026 06/02/2026 16/02/2026 08:05"


def test_default_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_COOKIE_NAME == "coquan_language"
