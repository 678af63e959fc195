"""Reference data of the registry: the six licence types and the ICT indicators of the
Department's annual report (the seed's 2008 review). Idempotent (update_or_create by code)."""

from django.db import migrations

TEXT, INTEGER, DECIMAL, DATE, CHOICE = "text", "integer", "decimal", "date", "choice"


def field(name, label, kind=TEXT, required=False, choices=None):
    spec = {"name": name, "label": label, "type": kind, "required": required}
    if choices:
        spec["choices"] = choices
    return spec


# code, name, report group, default validity in months, extra fields
LICENCE_TYPES = [
    (
        "ban-tin",
        "Giấy phép xuất bản bản tin",
        "publishing",
        None,
        [
            field("title", "Tên bản tin", required=True),
            field("frequency", "Kỳ hạn xuất bản", CHOICE, True, ["tuần", "tháng", "quý", "năm"]),
            field("pages", "Số trang", INTEGER),
            field("copies", "Số lượng mỗi kỳ", INTEGER, True),
        ],
    ),
    (
        "tai-lieu-khong-kinh-doanh",
        "Giấy phép xuất bản tài liệu không kinh doanh",
        "publishing",
        None,
        [
            field("title", "Tên tài liệu", required=True),
            field("copies", "Số lượng in", INTEGER, True),
            field("pages", "Số trang", INTEGER),
            field("printer", "Nơi in"),
        ],
    ),
    (
        "hoat-dong-in",
        "Giấy phép hoạt động in",
        "printing",
        60,
        [
            field("products", "Sản phẩm in", required=True),
            field("equipment", "Thiết bị in chính"),
        ],
    ),
    (
        "xay-dung-bts",
        "Giấy phép xây dựng trạm BTS",
        "telecom",
        12,
        [
            field("station_code", "Mã trạm", required=True),
            field("station_type", "Loại trạm", CHOICE, True, ["loại 1", "loại 2"]),
            field("height_m", "Chiều cao cột ăng ten (m)", DECIMAL),
        ],
    ),
    (
        "su-dung-tan-so",
        "Giấy phép sử dụng tần số",
        "telecom",
        60,
        [
            field("frequency_mhz", "Tần số (MHz)", DECIMAL, True),
            field("power_w", "Công suất (W)", DECIMAL),
            field(
                "purpose",
                "Mục đích sử dụng",
                CHOICE,
                True,
                ["phát thanh", "truyền hình", "truyền thanh không dây", "khác"],
            ),
        ],
    ),
    (
        "dai-ly-internet",
        "Đăng ký đại lý Internet",
        "internet",
        None,
        [
            field("provider", "Doanh nghiệp cung cấp dịch vụ", required=True),
            field("computers", "Số máy tính", INTEGER),
        ],
    ),
]

# code, name, unit, formula ("" = entered), decimals, report section
INDICATORS = [
    ("lan_networks", "Số mạng LAN", "mạng", "", 0, "it"),
    ("wan_networks", "Số mạng WAN", "mạng", "", 0, "it"),
    ("computers", "Tổng số máy tính", "máy", "", 0, "it"),
    ("it_investment", "Kinh phí đầu tư cho CNTT", "tỷ đồng", "", 1, "it"),
    ("districts_total", "Số huyện, thành phố", "huyện", "", 0, "it"),
    ("districts_edoc", "Số huyện, thành phố gửi nhận văn bản điện tử đến xã", "huyện", "", 0, "it"),
    ("districts_onestop", "Số huyện, thành phố ứng dụng CNTT cho bộ phận một cửa", "huyện", "", 0, "it"),
    ("postal_points", "Số cơ sở bưu điện", "cơ sở", "", 0, "telecom"),
    ("post_offices", "Số bưu cục", "bưu cục", "", 0, "telecom"),
    (
        "cultural_post_points",
        "Số điểm bưu điện văn hoá xã",
        "điểm",
        "postal_points - post_offices",
        0,
        "telecom",
    ),
    ("service_radius", "Bán kính phục vụ bình quân", "km", "", 2, "telecom"),
    ("new_subscribers", "Số thuê bao điện thoại phát triển mới", "thuê bao", "", 0, "telecom"),
    ("subscribers", "Tổng số thuê bao điện thoại", "thuê bao", "", 0, "telecom"),
    ("population", "Dân số", "người", "", 0, "telecom"),
    (
        "phone_density",
        "Mật độ điện thoại",
        "máy/100 dân",
        "subscribers / population * 100",
        1,
        "telecom",
    ),
    ("internet_subscribers", "Số thuê bao Internet", "thuê bao", "", 0, "telecom"),
    ("postal_revenue", "Doanh thu dịch vụ bưu chính, chuyển phát", "tỷ đồng", "", 1, "telecom"),
    ("telecom_revenue", "Doanh thu dịch vụ viễn thông", "tỷ đồng", "", 1, "telecom"),
    (
        "revenue",
        "Tổng doanh thu bưu chính, viễn thông",
        "tỷ đồng",
        "postal_revenue + telecom_revenue",
        1,
        "telecom",
    ),
    ("revenue_plan", "Kế hoạch doanh thu bưu chính, viễn thông", "tỷ đồng", "", 1, "telecom"),
    (
        "revenue_vs_plan",
        "Doanh thu so với kế hoạch (tăng +, giảm −)",
        "%",
        "(revenue / revenue_plan - 1) * 100",
        1,
        "telecom",
    ),
    ("bts_stations", "Số trạm BTS trong sổ quản lý", "trạm", "bts.stations", 0, "telecom"),
    ("press_conferences", "Số cuộc họp báo", "cuộc", "", 0, "press"),
    (
        "publishing_licences",
        "Số giấy phép xuất bản bản tin, ấn phẩm không kinh doanh đã cấp",
        "giấy phép",
        "licences.publishing",
        0,
        "press",
    ),
    ("projects_appraised", "Số dự án đã thẩm định", "dự án", "appraisals.total", 0, "appraisal"),
    ("inspections_held", "Số cuộc thanh tra", "cuộc", "inspections.held", 0, "inspection"),
    ("internet_agents", "Số đại lý Internet đang hoạt động", "đại lý", "agents.active", 0, "other"),
]


def create_reference_data(apps, schema_editor):
    LicenceType = apps.get_model("registry", "LicenceType")
    Indicator = apps.get_model("registry", "Indicator")
    for order, (code, name, group, months, fields) in enumerate(LICENCE_TYPES, start=1):
        LicenceType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "default_validity_months": months,
                "field_schema": fields,
                "sort_order": order * 10,
            },
        )
    for order, (code, name, unit, formula, decimals, section) in enumerate(INDICATORS, start=1):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": "formula" if formula else "entered",
                "formula": formula,
                "decimals": decimals,
                "section": section,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
