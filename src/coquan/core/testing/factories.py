"""factory_boy factories for the foundation models, shared by every app's tests."""

from __future__ import annotations

import factory

from coquan.accounts.models import User
from coquan.org.choices import AgencyLevel
from coquan.org.models import Agency, Membership, Position, Role, Unit

PASSWORD = "Mat-khau-thu-nghiem-2026"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("organ_id",)

    organ_id = factory.Sequence(lambda n: f"{n % 1000:03d}.{(n // 1000) % 100:02d}.01.H99")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n}")
    short_name = factory.Sequence(lambda n: f"STN{n}")
    level = AgencyLevel.DEPARTMENT


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Phòng Đổi mới số {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("agency", "name")

    agency = factory.SubFactory(AgencyFactory)
    name = "Chuyên viên"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Đức {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_member(agency, *roles: str, user=None, unit=None, **user_kwargs) -> User:
    """A person with an active membership in ``agency`` holding ``roles``."""
    user = user or UserFactory(**user_kwargs)
    membership = Membership.objects.create(user=user, agency=agency, unit=unit)
    if roles:
        # Role rows come from a data migration, and the flush after a transactional test
        # (browser tests, workers) deletes them: make sure the ones asked for exist.
        for code in roles:
            Role.objects.get_or_create(code=code)
        membership.roles.set(Role.objects.filter(code__in=roles))
    return user
