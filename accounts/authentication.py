"""``Authorization: Bearer <token>`` for the API, with personal API tokens.

A token acts as its owner, only in the partnerships it was made for that the owner still belongs
to, with the role the owner holds there now. ``api_partnership_ids`` tells the API which.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken
from .selectors import api_token_by_secret, api_token_partnership_ids
from .services import api_token_touch

KEYWORD = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as: Authorization: Bearer <token>"), code="malformed_token"
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                _("The token is not recognised."), code="invalid_token"
            ) from None
        token = api_token_by_secret(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("The token is not recognised."), code="invalid_token"
            )
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(
                _("This token has been revoked."), code="revoked_token"
            )
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This token has expired."), code="expired_token"
            )
        token.partnership_ids = api_token_partnership_ids(token)
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


def api_partnership_ids(request) -> frozenset[int] | None:
    """The partnerships this request may act in: the token's, or None (every membership) for a
    signed-in session."""
    if isinstance(request.auth, ApiToken):
        return request.auth.partnership_ids
    return None
