"""Serializers of the org API. Reads use model serializers; writes use plain input
serializers whose data goes to the org actions (which hold every rule)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coquan.org.choices import AgencyLevel, RoleCode
from coquan.org.models import Agency, Membership, Position, Unit


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A primary key chosen among the objects the requesting person may see."""

    def __init__(self, model=None, **kwargs):
        self.model = model
        # The full queryset only tells the schema the target model; lookups use get_queryset.
        kwargs.setdefault("queryset", model.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return self.model.objects.visible_to(user)


# --- Agencies ------------------------------------------------------------------------------------


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = [
            "id",
            "organ_id",
            "name",
            "short_name",
            "level",
            "parent",
            "address",
            "email",
            "telephone",
            "fax",
            "website",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = fields


class AgencyWriteSerializer(serializers.Serializer):
    organ_id = serializers.CharField(max_length=13, help_text=_("QCVN 102 identifier"))
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=30)
    level = serializers.ChoiceField(choices=AgencyLevel.choices)
    parent = VisiblePrimaryKeyField(model=Agency, required=False, allow_null=True)
    address = serializers.CharField(max_length=250, required=False, allow_blank=True)
    email = serializers.CharField(max_length=100, required=False, allow_blank=True)
    telephone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    fax = serializers.CharField(max_length=20, required=False, allow_blank=True)
    website = serializers.CharField(max_length=100, required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False, allow_null=True)


# --- Units ---------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    successors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "agency",
            "code",
            "name",
            "parent",
            "valid_from",
            "valid_to",
            "successors",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, obj) -> bool:
        return obj.is_active_on(timezone.localdate())


class UnitCreateSerializer(serializers.Serializer):
    agency = VisiblePrimaryKeyField(model=Agency)
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    parent = VisiblePrimaryKeyField(model=Unit, required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)


class UnitUpdateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30, required=False)
    name = serializers.CharField(max_length=200, required=False)
    parent = VisiblePrimaryKeyField(model=Unit, required=False, allow_null=True)
    valid_from = serializers.DateField(required=False)


class UnitCloseSerializer(serializers.Serializer):
    valid_to = serializers.DateField(help_text=_("Last day in force"))
    successors = VisiblePrimaryKeyField(model=Unit, many=True, required=False)


# --- Memberships ---------------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "full_name", "email"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    roles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "agency",
            "user",
            "unit",
            "position",
            "roles",
            "start_date",
            "end_date",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, obj) -> bool:
        return obj.is_active_on(timezone.localdate())


class NewPersonSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    password = serializers.CharField(
        required=False, allow_blank=True, write_only=True, style={"input_type": "password"}
    )


class MembershipCreateSerializer(serializers.Serializer):
    """Either ``username`` (an existing account) or ``person`` (a new account)."""

    agency = VisiblePrimaryKeyField(model=Agency)
    username = serializers.CharField(
        max_length=150, required=False, help_text=_("Username of an existing person")
    )
    person = NewPersonSerializer(required=False, help_text=_("A new person to create"))
    unit = VisiblePrimaryKeyField(model=Unit, required=False, allow_null=True)
    position = VisiblePrimaryKeyField(model=Position, required=False, allow_null=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=RoleCode.choices), required=False
    )
    start_date = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        if ("username" in attrs) == ("person" in attrs):
            raise serializers.ValidationError(
                {
                    "username": [
                        _("Give either username (an existing person) or person (a new one).")
                    ]
                }
            )
        return attrs


class MembershipUpdateSerializer(serializers.Serializer):
    unit = VisiblePrimaryKeyField(model=Unit, required=False, allow_null=True)
    position = VisiblePrimaryKeyField(model=Position, required=False, allow_null=True)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=RoleCode.choices), required=False
    )
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False, allow_null=True)


class MembershipEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("Last day (default today)")
    )
