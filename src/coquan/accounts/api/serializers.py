"""Serializers of the current-person endpoints (``/api/v1/me/``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coquan.accounts.actions import TOKEN_NAME_MAX
from coquan.accounts.models import ApiToken, TokenStatus


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organ_id = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class PositionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class MyMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    unit = UnitRefSerializer(read_only=True, allow_null=True)
    position = PositionRefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)

    def get_roles(self, membership) -> list[str]:
        return sorted(role.code for role in membership.roles.all())


class MeSerializer(serializers.Serializer):
    """The signed-in person: identity, active memberships and the agency requests act for."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    is_superuser = serializers.BooleanField(read_only=True)
    second_factor_required = serializers.BooleanField(read_only=True)
    memberships = MyMembershipSerializer(many=True, read_only=True)
    active_agency = AgencyRefSerializer(read_only=True, allow_null=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as listed: never its secret (only the prefix that identifies it)."""

    status = serializers.ChoiceField(choices=TokenStatus.choices, read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "status",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=TOKEN_NAME_MAX)
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When the token stops working (ISO 8601). Leave out for no expiry."),
    )


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    """The new token, with its raw value: the only time the API returns it."""

    token = serializers.CharField(read_only=True, help_text=_("The raw token, shown once."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields
