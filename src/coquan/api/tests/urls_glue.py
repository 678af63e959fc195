"""Test URLconf: small API views that exercise the error format (see test_error_format.py).

The action below is test-only; it follows the real action rules (``@action``, keyword-only
arguments, permission check, ``describe``) so the test shows what an app's API view sees.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import include, path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.core.access import get_visible_or_404, require_role
from coquan.core.actions import action, describe
from coquan.org.active import active_agency
from coquan.org.models import Unit


def _may_rename(actor, *, agency, unit, name):
    require_role(actor, agency, "admin")


@action("test.unit.rename", permission=_may_rename)
def rename_unit(actor, *, agency, unit, name):
    """Test-only action: rename a unit; refuses empty and duplicate names (admin only).

    It saves before it validates, on purpose: the tests show that the action's transaction
    leaves nothing behind when a ValidationError ends it.
    """
    before = {"name": unit.name}
    unit.name = name
    unit.save(update_fields=["name"])
    if not name.strip():
        raise ValidationError({"name": ["Tên đơn vị không được để trống."]})
    if Unit.objects.filter(agency=agency, name=name).exclude(pk=unit.pk).exists():
        raise ValidationError("Đã có đơn vị cùng tên trong cơ quan.")
    describe(agency=agency, obj=unit, before=before, after={"name": name})
    return unit


class RenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)


class RenameUnitView(APIView):
    def post(self, request, pk):
        unit = get_visible_or_404(Unit, request.user, pk=pk)
        data = RenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = active_agency(request)
        if unit.agency_id != getattr(agency, "pk", None):
            raise Http404
        rename_unit(request.user, agency=agency, unit=unit, name=data.validated_data["name"])
        return Response({"id": unit.pk, "name": unit.name})


class ForbiddenView(APIView):
    def get(self, request):
        raise PermissionDenied("Bạn không có vai trò cần thiết để thực hiện thao tác này.")


urlpatterns = [
    path("api/test/units/<int:pk>/rename/", RenameUnitView.as_view()),
    path("api/test/forbidden/", ForbiddenView.as_view()),
    path("", include("coquan.config.urls")),
]
