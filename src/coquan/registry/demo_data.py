"""Demo data of the registry: the figures of the seed (Bắc Giang, review of 2008).

Numbers stated by the seed are marked "seed"; the rest (holders, station codes, dates,
how 2.2 billion VND splits over 11 projects) is illustrative and consistent with it.
"""

from __future__ import annotations

import datetime as dt

DEMO_AGENCY = "000.00.14.H06"  # Sở Thông tin và Truyền thông tỉnh Bắc Giang (seed_demo)
DEMO_EDITOR = "chuyenvien"  # the Department's demo officer (seed_demo)

# Province-wide indicator values (area empty). Units as in the indicator definitions.
INDICATORS_2008 = {
    "lan_networks": "274",  # seed
    "wan_networks": "8",  # seed
    "computers": "30000",  # seed: "ước khoảng 30.000 máy"
    "it_investment": "22",  # seed: 22 tỷ đồng
    "districts_total": "10",  # seed: 10/10 huyện, thành phố
    "districts_edoc": "10",  # seed
    "districts_onestop": "2",  # seed: 2/10
    "postal_points": "231",  # seed
    "post_offices": "46",  # seed (the other 185 are commune cultural post points)
    "service_radius": "2.03",  # seed: 2,03 km
    "new_subscribers": "431500",  # seed
    "subscribers": "950000",  # seed
    "population": "1616000",  # 1.616 million inhabitants: 950,000 / 1,616,000 = 58.8 / 100
    "internet_subscribers": "15200",  # seed: "số thuê bao khoảng 15.200"
    "postal_revenue": "40",  # seed: 40 tỷ
    "telecom_revenue": "766.7",  # seed: 766,7 tỷ (total 806,7 tỷ)
    "revenue_plan": "549.9",  # not in the seed: 806.7 / 1.467, so revenue is 46.7 % above
    "press_conferences": "2",  # seed: 02 cuộc họp báo
}
INDICATORS_2007 = {
    "subscribers": "518500",  # 950,000 at the end of 2008 less the 431,500 new ones
}

PLAN_2009 = [
    "Xây dựng “cơ quan điện tử”: đến hết năm 2009, 100% các cơ quan cấp Sở và UBND huyện sử "
    "dụng phần mềm quản lý và điều hành công việc qua mạng, gửi nhận văn bản điện tử toàn diện.",
    "6 huyện, thành phố và Sở Thông tin và Truyền thông hoàn thành xây dựng “một cửa điện tử”.",
    "Xây dựng cơ sở dữ liệu dùng chung và dùng riêng cấp tỉnh, cấp Sở và cấp huyện.",
    "Phối hợp với VCCI triển khai Chương trình 191 hỗ trợ doanh nghiệp ứng dụng CNTT.",
    "Tạo thuận lợi cho doanh nghiệp đầu tư phát triển, nâng cấp hạ tầng bưu chính, viễn thông.",
    "Khuyến khích các doanh nghiệp viễn thông sử dụng chung hạ tầng.",
    "Thực hiện nghiêm Quyết định số 03/2007/QĐ-BTTTT về quản lý thuê bao di động trả trước và "
    "quy định cấp phép xây dựng trạm BTS ở đô thị.",
    "Tăng cường công tác quản lý tần số.",
    "Tăng cường quản lý nhà nước về báo chí, xuất bản.",
    "Làm tốt công tác thanh tra, tập trung vào đại lý Internet, viễn thông và hạ tầng.",
]

_HOLDERS = [
    "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bắc Giang",
    "Sở Giáo dục và Đào tạo tỉnh Bắc Giang",
    "Sở Y tế tỉnh Bắc Giang",
    "Hội Nông dân tỉnh Bắc Giang",
    "Liên đoàn Lao động tỉnh Bắc Giang",
    "Tỉnh đoàn Bắc Giang",
    "Hội Liên hiệp Phụ nữ tỉnh Bắc Giang",
    "Sở Tư pháp tỉnh Bắc Giang",
    "Trường Cao đẳng Ngô Gia Tự",
    "Hội Cựu chiến binh tỉnh Bắc Giang",
    "Sở Văn hoá, Thể thao và Du lịch tỉnh Bắc Giang",
    "Ban Quản lý các khu công nghiệp tỉnh Bắc Giang",
]
BULLETINS_2008 = 35  # + 62 non-business publications = 97 licences (seed)
PUBLICATIONS_2008 = 62


def publishing_licences() -> list[dict]:
    """The 97 publishing licences of 2008 (bulletins and non-business publications)."""
    rows = []
    for n in range(1, BULLETINS_2008 + 1):
        holder = _HOLDERS[n % len(_HOLDERS)]
        rows.append(
            {
                "type": "ban-tin",
                "number": f"{n:02d}/GP-XBBT",
                "holder": holder,
                "issued": dt.date(2008, 1 + (n * 11) // BULLETINS_2008 % 12, 1 + n % 27),
                "extra": {
                    "title": f"Bản tin {holder.split(' tỉnh')[0]} số {n}",
                    "frequency": ["tháng", "quý", "năm"][n % 3],
                    "copies": 300 + 50 * (n % 5),
                    "pages": 16 + 4 * (n % 3),
                },
            }
        )
    for n in range(1, PUBLICATIONS_2008 + 1):
        holder = _HOLDERS[(n * 7) % len(_HOLDERS)]
        rows.append(
            {
                "type": "tai-lieu-khong-kinh-doanh",
                "number": f"{n:02d}/GP-XBTL",
                "holder": holder,
                "issued": dt.date(2008, 1 + (n * 11) // PUBLICATIONS_2008 % 12, 1 + n % 28),
                "extra": {
                    "title": f"Tài liệu tuyên truyền số {n}/2008",
                    "copies": 500 + 100 * (n % 6),
                    "printer": "Công ty In Bắc Giang",
                },
            }
        )
    # A later licence held by a person: shown on the public register without the name.
    rows.append(
        {
            "type": "dai-ly-internet",
            "number": "01/ĐK-ĐLIN",
            "holder": "Nguyễn Văn Bình",
            "holder_kind": "person",
            "holder_id": "024088001234",
            "issued": dt.date(2009, 3, 2),
            "extra": {"provider": "Viễn thông Bắc Giang", "computers": 15},
        }
    )
    return rows


_VIOLATION = {
    "description": "Không niêm yết nội quy sử dụng dịch vụ Internet; hoạt động quá giờ quy định.",
    "basis": "Nghị định 142/2004/NĐ-CP",
    "sanction": "Cảnh cáo, phạt tiền",
    "fine": "1500000",
}
INSPECTIONS = [
    {
        "subject": "Thanh tra hoạt động đại lý Internet thành phố Bắc Giang",
        "scope": "Đại lý Internet trên địa bàn thành phố Bắc Giang",
        "decision": "12/QĐ-TTr",
        "start": dt.date(2008, 3, 10),
        "days": 5,
        "findings": [
            ("Đại lý Internet Hoàng Gia", "Không niêm yết nội quy.", _VIOLATION),
            ("Đại lý Internet Sao Mai", "Hoạt động đúng quy định.", None),
        ],
        "conclusion": "Kiến nghị xử phạt 1 đại lý vi phạm.",
    },
    {
        "subject": "Thanh tra hoạt động đại lý Internet huyện Lạng Giang",
        "scope": "Đại lý Internet huyện Lạng Giang",
        "decision": "18/QĐ-TTr",
        "start": dt.date(2008, 4, 14),
        "days": 4,
        "findings": [("Đại lý Internet Phương Nam", "Hoạt động quá giờ.", _VIOLATION)],
        "conclusion": "Xử phạt vi phạm hành chính 1 đại lý.",
    },
    {
        "subject": "Thanh tra quản lý thuê bao di động trả trước (Quyết định 03/2007/QĐ-BTTTT)",
        "scope": "Các doanh nghiệp viễn thông di động trên địa bàn",
        "decision": "25/QĐ-TTr",
        "start": dt.date(2008, 5, 19),
        "days": 10,
        "entity_kind": "telecom_business",
        "findings": [
            ("Chi nhánh Kinh doanh Viettel Bắc Giang", "Đăng ký thuê bao đúng quy định.", None)
        ],
        "conclusion": "Các doanh nghiệp chấp hành cơ bản quy định.",
    },
    {
        "subject": "Thanh tra doanh nghiệp viễn thông: Viễn thông Bắc Giang",
        "scope": "Hạ tầng và chất lượng dịch vụ",
        "decision": "31/QĐ-TTr",
        "start": dt.date(2008, 6, 16),
        "days": 7,
        "entity_kind": "telecom_business",
        "findings": [],
        "conclusion": "Không phát hiện vi phạm.",
    },
    {
        "subject": "Thanh tra hoạt động đại lý Internet huyện Việt Yên",
        "scope": "Đại lý Internet huyện Việt Yên",
        "decision": "40/QĐ-TTr",
        "start": dt.date(2008, 8, 11),
        "days": 4,
        "findings": [],
        "conclusion": "Các đại lý chấp hành quy định.",
    },
    {
        "subject": "Thanh tra hoạt động đại lý Internet huyện Hiệp Hòa",
        "scope": "Đại lý Internet huyện Hiệp Hòa",
        "decision": "46/QĐ-TTr",
        "start": dt.date(2008, 9, 15),
        "days": 4,
        "findings": [],
        "conclusion": "Nhắc nhở 2 đại lý.",
    },
    {
        "subject": "Thanh tra quản lý thuê bao trả trước: MobiFone Bắc Giang",
        "scope": "Điểm đăng ký thông tin thuê bao",
        "decision": "52/QĐ-TTr",
        "start": dt.date(2008, 10, 20),
        "days": 6,
        "entity_kind": "telecom_business",
        "findings": [],
        "conclusion": "Yêu cầu chấn chỉnh điểm đăng ký.",
    },
    {
        "subject": "Thanh tra hoạt động đại lý Internet huyện Lục Ngạn",
        "scope": "Đại lý Internet huyện Lục Ngạn",
        "decision": "60/QĐ-TTr",
        "start": dt.date(2008, 11, 17),
        "days": 4,
        "findings": [],
        "conclusion": "Các đại lý chấp hành quy định.",
    },
]

# name, field, investment before, after (VND), submitted, appraised — 5 IT + 6 telecom,
# 2.2 billion VND before appraisal in all (seed).
APPRAISALS = [
    ("Nâng cấp mạng LAN Văn phòng UBND tỉnh", "it", 150_000_000, 142_000_000),
    (
        "Phần mềm quản lý văn bản và điều hành (NetOffice) giai đoạn 2",
        "it",
        180_000_000,
        175_000_000,
    ),
    ("Trang thông tin điện tử Sở Thông tin và Truyền thông", "it", 220_000_000, 210_000_000),
    ("Ứng dụng CNTT tại bộ phận một cửa huyện Yên Dũng", "it", 250_000_000, 240_000_000),
    ("Cơ sở dữ liệu thủ tục hành chính cấp tỉnh", "it", 300_000_000, 288_000_000),
    ("Tuyến cáp quang Bắc Giang – Lục Ngạn", "telecom", 120_000_000, 118_000_000),
    ("Trạm BTS vùng sâu huyện Sơn Động", "telecom", 150_000_000, 150_000_000),
    ("Mở rộng tổng đài huyện Yên Thế", "telecom", 180_000_000, 172_000_000),
    ("Điểm bưu điện văn hoá xã Phượng Sơn", "telecom", 200_000_000, 195_000_000),
    ("Hạ tầng viễn thông công ích huyện Lục Nam", "telecom", 210_000_000, 205_000_000),
    ("Cống bể cáp thành phố Bắc Giang", "telecom", 240_000_000, 231_000_000),
]
APPRAISALS = [
    (name, field, before, after, dt.date(2008, 2 + i, 3), dt.date(2008, 2 + i, 20))
    for i, (name, field, before, after) in enumerate(APPRAISALS)
]

_OPERATORS = ["Viettel", "Viễn thông Bắc Giang", "MobiFone", "EVN Telecom"]
_PLACES = [
    ("Phường Trần Phú, TP Bắc Giang", "UBND phường Trần Phú", 21.2731, 106.1946),
    ("Phường Hoàng Văn Thụ, TP Bắc Giang", "UBND phường Hoàng Văn Thụ", 21.2812, 106.2010),
    ("Xã Xuân Hương, Lạng Giang", "UBND xã Xuân Hương", 21.3560, 106.2340),
    ("Xã Phượng Sơn, Lục Ngạn", "UBND xã Phượng Sơn", 21.3620, 106.5830),
    ("Xã Đức Thắng, Hiệp Hòa", "UBND xã Đức Thắng", 21.3380, 105.9850),
    ("Thị trấn Cầu Gồ, Yên Thế", "Thị trấn Cầu Gồ", 21.4720, 106.1210),
    ("Thị trấn An Châu, Sơn Động", "Thị trấn An Châu", 21.3280, 106.8460),
    ("Thị trấn Neo, Yên Dũng", "Thị trấn Neo", 21.2090, 106.2440),
]


def _stations():
    from coquan.org.models import Agency

    rows = []
    for n in range(24):
        address, commune, lat, lon = _PLACES[n % len(_PLACES)]
        operator = _OPERATORS[n % len(_OPERATORS)]
        rows.append(
            (
                operator,
                f"BGG{n + 1:03d}",
                address,
                commune,
                f"{lat + 0.004 * (n // 8):.6f}",
                f"{lon + 0.003 * (n // 8):.6f}",
                1 if n % 3 else 2,
                f"{30 + n % 4 * 6}",
                f"{n + 1:02d}/GPXD-BTS",
                dt.date(2008, 1 + n % 12, 5),
            )
        )
    communes = {a.name: a for a in Agency.objects.filter(level="commune")}
    return [(*r[:3], communes.get(r[3], r[3]), *r[4:]) for r in rows]


class _LazyStations:
    """The stations resolve commune agencies when read (after ``seed_demo`` ran)."""

    def __iter__(self):
        return iter(_stations())


BTS_STATIONS = _LazyStations()

AGENTS = [
    {
        "name": name,
        "registration_number": f"{n:02d}/ĐK-BG",
        "owner_kind": "person",
        "owner_name": owner,
        "address": address,
        "commune": "",
        "commune_name": commune,
        "provider": provider,
        "computers": computers,
        "registered_on": dt.date(2008, n, 10),
    }
    for n, (name, owner, address, commune, provider, computers) in enumerate(
        [
            (
                "Đại lý Internet Hoàng Gia",
                "Trần Văn Hoàng",
                "Số 5 Nguyễn Văn Cừ",
                "Phường Trần Phú",
                "Viettel",
                20,
            ),
            (
                "Đại lý Internet Sao Mai",
                "Lê Thị Mai",
                "Số 12 Hùng Vương",
                "Phường Hoàng Văn Thụ",
                "Viễn thông Bắc Giang",
                15,
            ),
            (
                "Đại lý Internet Phương Nam",
                "Nguyễn Văn Nam",
                "Thị trấn Vôi",
                "Thị trấn Vôi",
                "Viettel",
                12,
            ),
            (
                "Đại lý Internet Thành Công",
                "Phạm Văn Công",
                "Thị trấn Bích Động",
                "Thị trấn Bích Động",
                "FPT",
                18,
            ),
            (
                "Đại lý Internet Ánh Dương",
                "Đỗ Thị Ánh",
                "Thị trấn Thắng",
                "Thị trấn Thắng",
                "Viễn thông Bắc Giang",
                10,
            ),
        ],
        start=1,
    )
]
