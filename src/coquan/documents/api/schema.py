"""OpenAPI details of the documents API (drf-spectacular extensions).

The document status is published as its own named enum component (``IncomingStatusEnum``):
other apps also have fields called ``status`` with other values, and drf-spectacular would
otherwise have to invent hashed names for them.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent

from coquan.documents.choices import IncomingStatus


class IncomingStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "coquan.documents.api.serializers.IncomingStatusField"

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="IncomingStatusEnum",
            type=ResolvedComponent.SCHEMA,
            object="IncomingStatusEnum",
            schema={
                "type": "string",
                "enum": list(IncomingStatus.values),
                "description": "\n".join(
                    f"* `{value}` - {label}" for value, label in IncomingStatus.choices
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
