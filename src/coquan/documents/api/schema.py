"""OpenAPI details of the documents API (drf-spectacular extensions).

The document statuses are published as their own named enum components
(``IncomingStatusEnum``, ``OutgoingStatusEnum``):
other apps also have fields called ``status`` with other values, and drf-spectacular would
otherwise have to invent hashed names for them.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent

from coquan.documents.choices import IncomingStatus, OutgoingStatus


def _enum_component(auto_schema, name: str, choices):
    component = ResolvedComponent(
        name=name,
        type=ResolvedComponent.SCHEMA,
        object=name,
        schema={
            "type": "string",
            "enum": [value for value, _label in choices],
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
        },
    )
    auto_schema.registry.register_on_missing(component)
    return component.ref


class IncomingStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "coquan.documents.api.serializers.IncomingStatusField"

    def map_serializer_field(self, auto_schema, direction):
        return _enum_component(auto_schema, "IncomingStatusEnum", IncomingStatus.choices)


class OutgoingStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "coquan.documents.api.outgoing_serializers.OutgoingStatusField"

    def map_serializer_field(self, auto_schema, direction):
        return _enum_component(auto_schema, "OutgoingStatusEnum", OutgoingStatus.choices)


class NamedEnumFieldExtension(OpenApiSerializerFieldExtension):
    """``NamedChoiceField``: an enum component with the field's own ``enum_name``."""

    target_class = "coquan.documents.api.outgoing_serializers.NamedChoiceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return _enum_component(
            auto_schema, self.target.enum_name, list(self.target.choices.items())
        )
