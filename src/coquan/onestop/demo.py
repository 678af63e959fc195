"""The demo catalogue of the Department of Information and Communications (Sở TT&TT Bắc
Giang, ``000.00.14.H06``): the four procedures of the seed document, in the catalogue file
format (``catalogue_io``). Codes, fees and limits are plausible, illustrative values —
take a real catalogue from the national TTHC database for production.
"""

from __future__ import annotations

DEMO_AGENCY = "000.00.14.H06"

# The Department issues the BTS construction permit as a licence (issue 6 part 4): an
# agency-own document type "Giấy phép" (GP), added through the documents actions when
# missing, is the procedure's ``licence_document_type`` (not in the JSON catalogue format,
# so ``onestop_seed_demo`` sets it on the parsed entry).
# code, name, abbreviation
DEMO_LICENCE_TYPE = ("giay-phep", "Giấy phép", "GP")
# procedure code → document type code of its licence
DEMO_LICENCES = {"1.005129": DEMO_LICENCE_TYPE[0]}

_LEADER_STEP = {
    "name": "Lãnh đạo Sở xem xét, ký duyệt kết quả",
    "responsible_unit": None,
    "responsible_role": "leader",
}

DEMO_CATALOGUE = {
    "format": "coquan.onestop.procedures",
    "format_version": 1,
    "agency": DEMO_AGENCY,
    "procedures": [
        {
            "code": "1.004628",
            "name": "Cấp giấy phép xuất bản bản tin (địa phương)",
            "sector": {"code": "BC", "name": "Báo chí"},
            "level": "province",
            "competent_authority": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "legal_basis": (
                "Luật Báo chí số 103/2016/QH13; Thông tư số 48/2016/TT-BTTTT quy định việc "
                "cấp giấy phép hoạt động báo chí, giấy phép xuất bản bản tin."
            ),
            "result_name": "Giấy phép xuất bản bản tin",
            "fee_amount": None,
            "fee_note": "Không thu phí, lệ phí.",
            "time_limit": "15",
            "time_unit": "working_days",
            "online_level": "partial",
            "components": [
                {
                    "name": "Tờ khai đề nghị cấp giấy phép xuất bản bản tin",
                    "paper_form": "original",
                    "count": 1,
                    "template_name": "Mẫu số 21 (TT 48/2016/TT-BTTTT)",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": (
                        "Bản sao có chứng thực quyết định thành lập hoặc giấy chứng nhận "
                        "đăng ký doanh nghiệp"
                    ),
                    "paper_form": "certified_copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "organisation",
                },
                {
                    "name": "Sơ yếu lý lịch của người chịu trách nhiệm xuất bản bản tin",
                    "paper_form": "original",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": "Mẫu trình bày tên gọi và hình thức trình bày bản tin",
                    "paper_form": "original",
                    "count": 1,
                    "template_name": "",
                    "required": False,
                    "applies_to": "all",
                },
            ],
            "steps": [
                {
                    "name": "Thẩm định hồ sơ",
                    "responsible_unit": "BCXB",
                    "responsible_role": "officer",
                    "time_budget": "10",
                },
                {
                    "name": "Trưởng phòng xem xét, trình ký",
                    "responsible_unit": "BCXB",
                    "responsible_role": "unit_leader",
                    "time_budget": "2",
                },
                {**_LEADER_STEP, "time_budget": "3"},
            ],
        },
        {
            "code": "1.003725",
            "name": "Cấp giấy phép hoạt động in",
            "sector": {"code": "XB", "name": "Xuất bản, In và Phát hành"},
            "level": "province",
            "competent_authority": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "legal_basis": (
                "Nghị định số 60/2014/NĐ-CP quy định về hoạt động in; Nghị định số "
                "25/2018/NĐ-CP sửa đổi, bổ sung Nghị định số 60/2014/NĐ-CP."
            ),
            "result_name": "Giấy phép hoạt động in",
            "fee_amount": None,
            "fee_note": "Không thu phí, lệ phí.",
            "time_limit": "7",
            "time_unit": "working_days",
            "online_level": "full",
            "components": [
                {
                    "name": "Đơn đề nghị cấp giấy phép hoạt động in",
                    "paper_form": "original",
                    "count": 1,
                    "template_name": "Mẫu số 02 (TT 03/2015/TT-BTTTT)",
                    "required": True,
                    "applies_to": "organisation",
                },
                {
                    "name": "Bản sao giấy chứng nhận đăng ký doanh nghiệp",
                    "paper_form": "copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "organisation",
                },
                {
                    "name": "Bản sao giấy tờ chứng minh quyền sử dụng mặt bằng sản xuất",
                    "paper_form": "copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": "Danh mục thiết bị in",
                    "paper_form": "original",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "all",
                },
            ],
            "steps": [
                {
                    "name": "Thẩm định hồ sơ, kiểm tra cơ sở in",
                    "responsible_unit": "BCXB",
                    "responsible_role": "officer",
                    "time_budget": "4",
                },
                {
                    "name": "Trưởng phòng xem xét, trình ký",
                    "responsible_unit": "BCXB",
                    "responsible_role": "unit_leader",
                    "time_budget": "1",
                },
                {**_LEADER_STEP, "time_budget": "2"},
            ],
        },
        {
            "code": "1.005129",
            "name": "Cấp phép xây dựng công trình trạm thu, phát sóng thông tin di động (trạm BTS)",
            "sector": {"code": "VT", "name": "Viễn thông và Internet"},
            "level": "province",
            "competent_authority": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "legal_basis": (
                "Luật Xây dựng số 50/2014/QH13; Thông tư liên tịch số 15/2016/TTLT-BTTTT-BXD "
                "hướng dẫn quản lý việc xây dựng công trình hạ tầng kỹ thuật viễn thông thụ động."
            ),
            "result_name": "Giấy phép xây dựng trạm BTS",
            "fee_amount": 150000,
            "fee_note": "Lệ phí cấp giấy phép xây dựng công trình: 150.000 đồng/giấy phép.",
            "time_limit": "10",
            "time_unit": "working_days",
            "online_level": "partial",
            "components": [
                {
                    "name": "Đơn đề nghị cấp giấy phép xây dựng trạm BTS",
                    "paper_form": "original",
                    "count": 1,
                    "template_name": "Mẫu đơn đề nghị cấp GPXD",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": (
                        "Bản sao giấy tờ chứng minh quyền sử dụng đất hoặc hợp đồng thuê vị trí"
                    ),
                    "paper_form": "certified_copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": "Bản vẽ thiết kế xây dựng trạm (mặt bằng, mặt cắt, móng)",
                    "paper_form": "original",
                    "count": 2,
                    "template_name": "",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": "Giấy phép thiết lập mạng viễn thông của doanh nghiệp",
                    "paper_form": "copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "organisation",
                },
                {
                    "name": "Văn bản ý kiến của cơ quan quản lý sân bay (khi trạm gần sân bay)",
                    "paper_form": "copy",
                    "count": 1,
                    "template_name": "",
                    "required": False,
                    "applies_to": "all",
                },
            ],
            "steps": [
                {
                    "name": "Thẩm định hồ sơ, kiểm tra hiện trường",
                    "responsible_unit": "BCVT",
                    "responsible_role": "officer",
                    "time_budget": "6",
                },
                {
                    "name": "Trưởng phòng xem xét, trình ký",
                    "responsible_unit": "BCVT",
                    "responsible_role": "unit_leader",
                    "time_budget": "2",
                },
                {**_LEADER_STEP, "time_budget": "2"},
            ],
        },
        {
            "code": "1.003589",
            "name": "Đăng ký đại lý Internet",
            "sector": {"code": "VT", "name": "Viễn thông và Internet"},
            "level": "province",
            "competent_authority": "Sở Thông tin và Truyền thông tỉnh Bắc Giang",
            "legal_basis": (
                "Nghị định số 72/2013/NĐ-CP về quản lý, cung cấp, sử dụng dịch vụ Internet và "
                "thông tin trên mạng; Nghị định số 27/2018/NĐ-CP sửa đổi, bổ sung."
            ),
            "result_name": "Xác nhận đăng ký đại lý Internet",
            "fee_amount": None,
            "fee_note": "Không thu phí, lệ phí.",
            "time_limit": "5",
            "time_unit": "working_days",
            "online_level": "full",
            "components": [
                {
                    "name": "Tờ khai đăng ký đại lý Internet",
                    "paper_form": "original",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": "Hợp đồng đại lý Internet ký với doanh nghiệp cung cấp dịch vụ",
                    "paper_form": "copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "all",
                },
                {
                    "name": "Bản sao giấy chứng nhận đăng ký hộ kinh doanh hoặc doanh nghiệp",
                    "paper_form": "copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "organisation",
                },
                {
                    "name": "Bản sao căn cước công dân của chủ đại lý",
                    "paper_form": "copy",
                    "count": 1,
                    "template_name": "",
                    "required": True,
                    "applies_to": "person",
                },
            ],
            "steps": [
                {
                    "name": "Kiểm tra hồ sơ",
                    "responsible_unit": "BCVT",
                    "responsible_role": "officer",
                    "time_budget": "3",
                },
                {
                    "name": "Trưởng phòng xem xét, trình ký",
                    "responsible_unit": "BCVT",
                    "responsible_role": "unit_leader",
                    "time_budget": "1",
                },
                {**_LEADER_STEP, "time_budget": "1"},
            ],
        },
    ],
}

# People the demo adds to the Department for the one-stop flow: the seed's own officer and
# unit leader work in the IT unit, the permits are handled by the telecoms and press units.
# username, full name, unit code, position, roles
DEMO_STAFF = [
    ("chuyenvienvt", "Ngô Thị Thanh Huyền", "BCVT", "Chuyên viên", ["officer"]),
    ("truongphongvt", "Nguyễn Đình Khánh", "BCVT", "Trưởng phòng", ["unit_leader"]),
    ("chuyenvienxb", "Đỗ Minh Châu", "BCXB", "Chuyên viên", ["officer"]),
    ("truongphongxb", "Lương Văn Thịnh", "BCXB", "Trưởng phòng", ["unit_leader"]),
]
