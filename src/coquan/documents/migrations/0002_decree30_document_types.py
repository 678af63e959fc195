"""The 29 administrative document types of Decree 30/2020 Art. 7 with the abbreviations of
App. III part I (standards §2.2), as global rows (agency empty). ``edxml_type_detail`` is the
code of edXML table B where the standard's text confirms it (standards §1.3)."""

from django.db import migrations

# (code, name, abbreviation, edXML table B code or None), in the order of Art. 7.
TYPES = [
    ("nghi-quyet", "Nghị quyết (cá biệt)", "NQ", 1),
    ("quyet-dinh", "Quyết định (cá biệt)", "QĐ", 2),
    ("chi-thi", "Chỉ thị", "CT", 3),
    ("quy-che", "Quy chế", "QC", 4),
    ("quy-dinh", "Quy định", "QyĐ", 5),
    ("thong-cao", "Thông cáo", "TC", 6),
    ("thong-bao", "Thông báo", "TB", 7),
    ("huong-dan", "Hướng dẫn", "HD", 8),
    ("chuong-trinh", "Chương trình", "CTr", 9),
    ("ke-hoach", "Kế hoạch", "KH", None),
    ("phuong-an", "Phương án", "PA", None),
    ("de-an", "Đề án", "ĐA", None),
    ("du-an", "Dự án", "DA", None),
    ("bao-cao", "Báo cáo", "BC", None),
    ("bien-ban", "Biên bản", "BB", None),
    ("to-trinh", "Tờ trình", "TTr", None),
    ("hop-dong", "Hợp đồng", "HĐ", None),
    ("cong-van", "Công văn", "", 18),
    ("cong-dien", "Công điện", "CĐ", 19),
    ("ban-ghi-nho", "Bản ghi nhớ", "BGN", 20),
    ("ban-thoa-thuan", "Bản thỏa thuận", "BTT", 22),
    ("giay-uy-quyen", "Giấy ủy quyền", "GUQ", 24),
    ("giay-moi", "Giấy mời", "GM", 25),
    ("giay-gioi-thieu", "Giấy giới thiệu", "GGT", 26),
    ("giay-nghi-phep", "Giấy nghỉ phép", "GNP", None),
    ("phieu-gui", "Phiếu gửi", "PG", None),
    ("phieu-chuyen", "Phiếu chuyển", "PC", None),
    ("phieu-bao", "Phiếu báo", "PB", None),
    ("thu-cong", "Thư công", "", None),
]


def create_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (code, name, abbreviation, edxml) in enumerate(TYPES, start=1):
        DocumentType.objects.update_or_create(
            agency=None,
            code=code,
            defaults={
                "name": name,
                "abbreviation": abbreviation,
                "edxml_type_detail": edxml,
                "sort_order": order * 10,
                "is_active": True,
            },
        )


def remove_types(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.filter(agency=None, code__in=[t[0] for t in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create_types, remove_types)]
