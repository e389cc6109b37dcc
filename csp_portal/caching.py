"""What a signed-in person is shown never sits in a shared cache or the browser's.

Every response to an authenticated request (a page, a download, an API call with a token, even a
refused one) and every response that sets a cookie or varies on the session says
``Cache-Control: private, no-store``, whatever the view said. Only an anonymous response that
sets no cookie and that its view marked ``public`` keeps that caching: the public plan summary's
PDF (``public, max-age=300``).

It sits above the session middleware, so that it sees the ``Vary: Cookie`` and the cookie the
session adds, and below WhiteNoise, so that static files keep their long caching.
"""

from django.utils.cache import has_vary_header

PRIVATE = "private, no-store"


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_private(request, response):
            response["Cache-Control"] = PRIVATE
        return response


def _is_private(request, response) -> bool:
    if "HTTP_AUTHORIZATION" in request.META or response.cookies:
        return True
    # DRF puts the user a token authenticated on the request too.
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    # Every response varies on the session (middleware asks who is signed in); a view that chose
    # public caching for an anonymous visitor has said its answer is the same for everyone.
    return has_vary_header(response, "Cookie") and not _chose_public(response)


def _chose_public(response) -> bool:
    directives = response.get("Cache-Control", "").lower().split(",")
    return "public" in {directive.strip() for directive in directives}
