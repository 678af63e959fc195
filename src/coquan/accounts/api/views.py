"""The current person over the API: ``me/``, own API tokens (list, create, revoke)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from coquan.accounts import actions, second_factor
from coquan.accounts.api.serializers import (
    ApiTokenCreatedSerializer,
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    MeSerializer,
)
from coquan.accounts.models import ApiToken
from coquan.core.access import get_visible_or_404
from coquan.org.active import active_agency
from coquan.org.models import Membership


class MeView(APIView):
    """The signed-in person, their active memberships and the agency requests act for."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        memberships = (
            Membership.objects.visible_to(user)
            .active_on()
            .filter(user_id=user.pk)
            .select_related("agency", "unit", "position")
            .prefetch_related("roles")
            .order_by("agency__organ_id", "pk")
        )
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "full_name": user.full_name,
            "email": user.email,
            "is_superuser": user.is_superuser,
            "second_factor_required": second_factor.policy_requires(user),
            "memberships": memberships,
            "active_agency": active_agency(request),
        }
        return Response(MeSerializer(data).data)


class MyTokenListView(generics.ListCreateAPIView):
    """The person's own API tokens, newest first; POST creates one (its value shown once)."""

    serializer_class = ApiTokenSerializer
    filter_backends = []

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer})
    def post(self, request, *args, **kwargs):
        form = ApiTokenCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        created = actions.create_token(
            request.user,
            name=form.validated_data["name"],
            expires_at=form.validated_data.get("expires_at"),
        )
        body = ApiTokenCreatedSerializer(created.token).data
        body["token"] = created.raw
        return Response(body, status=status.HTTP_201_CREATED)


class MyTokenRevokeView(APIView):
    """Revoke one of the person's own tokens (another person's token answers 404)."""

    @extend_schema(request=None, responses=ApiTokenSerializer)
    def post(self, request, pk: int):
        token = get_visible_or_404(ApiToken, request.user, pk=pk)
        token = actions.revoke_token(request.user, token=token)
        return Response(ApiTokenSerializer(token).data)
