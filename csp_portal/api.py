"""What every endpoint under /api/v1/ shares: one error shape, a bounded JSON parser, pagination,
serializers that refuse unknown fields, and the schema that documents all of it.

Every error, whether DRF raises it or Django does before DRF is reached, has the same body::

    {"status": 400, "code": "invalid", "detail": "Check the fields and try again.",
     "fields": {"answer": ["This field may not be blank."]}}

``fields`` names each field at fault (``non_field_errors`` for the body as a whole) and is empty
for errors that are not about fields.
"""

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, pagination, parsers, serializers
from rest_framework.response import Response

from .submissions import IDEMPOTENCY_HEADER, Submission, is_api_key
from .text import PlainTextValidator, has_plain_text_rule

API_PREFIX = "/api/"


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "payload_too_large"


def error_body(status: int, code: str, detail, fields: dict | None = None) -> dict:
    return {"status": status, "code": code, "detail": str(detail), "fields": fields or {}}


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def exception_handler(exc, context):
    """DRF's errors in the one shape. A service's PermissionDenied is a 404, like a record that
    does not exist: the caller learns nothing about objects they may not act on."""
    if isinstance(exc, Http404 | PermissionDenied):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{int(exc.wait)}"
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            exc.status_code, "invalid", _("Check the fields and try again."), _fields(exc.detail)
        )
    else:
        detail = exc.detail
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = error_body(exc.status_code, code, detail)
    from rest_framework.views import set_rollback

    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def idempotent_submission(request) -> Submission | None:
    """The request's ``Idempotency-Key`` as a submission for the service to claim: the same key
    sent again (a client retrying after a lost answer) changes nothing. None without one."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is None:
        return None
    if not is_api_key(key):
        raise exceptions.ValidationError(
            {IDEMPOTENCY_HEADER: [_("Give a key of 1 to 64 visible characters, such as a UUID.")]}
        )
    return Submission(user_id=request.user.pk, key=f"api:{key}")


def json_error(status: int, code: str, detail) -> JsonResponse:
    return JsonResponse(error_body(status, code, detail), status=status)


def is_api_request(request) -> bool:
    return request is not None and request.path.startswith(API_PREFIX)


class ApiErrorMiddleware:
    """Errors Django raises under /api/ before (or instead of) DRF, in the API's shape: a body
    over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused with 413 before anything reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request) and _declared_length(request) > _limit():
            return json_error(413, "payload_too_large", PayloadTooLarge.default_detail)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_api_request(request) and isinstance(exception, RequestDataTooBig):
            return json_error(413, "payload_too_large", PayloadTooLarge.default_detail)
        return None


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _limit() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


class LimitedJSONParser(parsers.JSONParser):
    """JSON, read up to the upload limit and no further (DRF reads the stream directly, so
    Django's own check of the size never runs). Nesting deeper than the decoder can recurse
    (a few kilobytes of ``[``) is malformed input: a 400, never a RecursionError's 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = _limit()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None


class PagePagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class StrictSerializer(serializers.Serializer):
    """Refuses a body with fields it does not know, naming each (a typo is never ignored), and
    text with control characters: line breaks too, but in a field marked multi-line with
    ``style={"base_template": "textarea.html"}`` (csp_portal/text.py)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.CharField) and not has_plain_text_rule(field):
                multi_line = field.style.get("base_template") == "textarea.html"
                field.validators = [*field.validators, PlainTextValidator(multi_line=multi_line)]
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is not recognised.")] for name in unknown}
                )
        return super().to_internal_value(data)
