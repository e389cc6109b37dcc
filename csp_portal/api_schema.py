"""The API's schema: every operation documents the errors it can give, in the one shape of
``csp_portal.api``, and bearer-token authentication is described."""

from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "status": serializers.IntegerField(),
        "code": serializers.CharField(),
        "detail": serializers.CharField(),
        "fields": serializers.DictField(
            child=serializers.JSONField(),
            help_text="Each field at fault with its messages; empty unless about fields.",
        ),
    },
)

_ERRORS = {
    "400": gettext_lazy("Bad input: malformed JSON, or fields at fault (named in `fields`)"),
    "401": gettext_lazy("No token, or a token that is unknown, expired or revoked"),
    "403": gettext_lazy("Refused (a session write without its CSRF token)"),
    "404": gettext_lazy(
        "Not found: missing, in a partnership the token does not cover, or not yours to act on"
    ),
    "405": gettext_lazy("Method not allowed"),
    "413": gettext_lazy("Request body too large"),
    "415": gettext_lazy("Unsupported media type: send application/json"),
}
_WRITE_ONLY_ERRORS = {"400", "413", "415"}


class ErrorDocumentingSchema(AutoSchema):
    """Every operation documents the error responses it can give, all in the one shape."""

    def get_tags(self):
        return [self.view.__class__.__module__.split(".")[0]]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if not self.view.__class__.__module__.startswith(("drf_spectacular",)):
            for code, description in _ERRORS.items():
                if code in responses:
                    continue
                if code in _WRITE_ONLY_ERRORS and self.method == "GET" and code != "400":
                    continue
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(ErrorSerializer, description=str(description)), code
                )
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made on your account page (Your API tokens).",
        }
