from rest_framework.pagination import PageNumberPagination

from coquan.core.pagination import KeysFirstPaginator


class StandardPagination(PageNumberPagination):
    """25 per page (``page_size`` up to 200); a page's keys first, then its rows
    (``core.pagination``), so deep pages of long lists stay cheap."""

    django_paginator_class = KeysFirstPaginator
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
