"""Org API: the agency directory, units and memberships (DESIGN.md §5: scoped lists).

Every list starts from ``visible_to(request.user)``; objects of other agencies answer 404.
Writes parse input with the serializers and call the same actions as the web pages, so the
rules, permissions and audit entries are identical; domain errors become the uniform error
body through ``coquan.api.errors``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from coquan.org import actions
from coquan.org.api.serializers import (
    AgencySerializer,
    AgencyWriteSerializer,
    MembershipCreateSerializer,
    MembershipEndSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    UnitCloseSerializer,
    UnitCreateSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
)
from coquan.org.filtersets import AgencyFilter, MembershipFilter, UnitFilter
from coquan.org.models import Agency, Membership, Unit

READ_WRITE_METHODS = ["get", "post", "patch", "head", "options"]


class SuperuserWrites(permissions.BasePermission):
    """Reading the directory: any signed-in person; writing: deployment administrators."""

    message = _("Only deployment administrators may manage agencies.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_superuser


def _input(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The agency directory of the deployment (names, identifiers, contact data)."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    ordering_fields = ["organ_id", "name", "short_name"]
    permission_classes = [permissions.IsAuthenticated, SuperuserWrites]
    http_method_names = READ_WRITE_METHODS

    def get_queryset(self):
        return Agency.objects.visible_to(self.request.user).order_by("organ_id")

    @extend_schema(request=AgencyWriteSerializer, responses={201: AgencySerializer})
    def create(self, request, *args, **kwargs):
        agency = actions.create_agency(request.user, **_input(AgencyWriteSerializer, request))
        return Response(AgencySerializer(agency).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AgencyWriteSerializer, responses=AgencySerializer)
    def partial_update(self, request, *args, **kwargs):
        agency = self.get_object()
        data = _input(AgencyWriteSerializer, request, partial=True)
        agency = actions.update_agency(request.user, agency=agency, **data)
        return Response(AgencySerializer(agency).data)


class UnitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Units of the agencies where the person is a member; administrators change them."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    ordering_fields = ["code", "name", "valid_from", "valid_to"]
    http_method_names = READ_WRITE_METHODS

    def get_queryset(self):
        return (
            Unit.objects.visible_to(self.request.user)
            .prefetch_related("successors")
            .order_by("agency_id", "code")
        )

    @extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer})
    def create(self, request, *args, **kwargs):
        unit = actions.create_unit(request.user, **_input(UnitCreateSerializer, request))
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer)
    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        data = _input(UnitUpdateSerializer, request, partial=True)
        unit = actions.update_unit(request.user, unit=unit, **data)
        return Response(UnitSerializer(unit).data)

    @extend_schema(request=UnitCloseSerializer, responses=UnitSerializer)
    @drf_action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the unit (last day ``valid_to``) and name its successors."""
        unit = self.get_object()
        data = _input(UnitCloseSerializer, request)
        unit = actions.close_unit(
            request.user,
            unit=unit,
            valid_to=data["valid_to"],
            successors=data.get("successors", []),
        )
        return Response(UnitSerializer(unit).data)


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The staff directory of the person's agencies; administrators add and change people."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["start_date", "end_date", "user__full_name"]
    http_method_names = READ_WRITE_METHODS

    def get_queryset(self):
        return (
            Membership.objects.visible_to(self.request.user)
            .select_related("user")
            .prefetch_related("roles")
            .order_by("agency_id", "user__full_name", "pk")
        )

    @extend_schema(request=MembershipCreateSerializer, responses={201: MembershipSerializer})
    def create(self, request, *args, **kwargs):
        data = _input(MembershipCreateSerializer, request)
        person = data.pop("person", None)
        if person is not None:
            membership = actions.add_person(request.user, **data, **person)
        else:
            membership = actions.add_membership(request.user, **data)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer)
    def partial_update(self, request, *args, **kwargs):
        membership = self.get_object()
        data = _input(MembershipUpdateSerializer, request, partial=True)
        membership = actions.update_membership(request.user, membership=membership, **data)
        return Response(MembershipSerializer(membership).data)

    @extend_schema(request=MembershipEndSerializer, responses=MembershipSerializer)
    @drf_action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the membership; the row stays as history."""
        membership = self.get_object()
        data = _input(MembershipEndSerializer, request)
        membership = actions.end_membership(
            request.user, membership=membership, end_date=data.get("end_date")
        )
        return Response(MembershipSerializer(membership).data)
