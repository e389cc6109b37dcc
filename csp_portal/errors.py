"""Error pages in the service's own layout, and in the API's one error shape under /api/. The
400, 500 and 503 pages render without a request context: the database may be what failed."""

import sys

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from .api import is_api_request, json_error
from .unavailable import database_unavailable

# How long a visitor or an API client is asked to wait when the database cannot answer.
RETRY_AFTER_SECONDS = 30


def bad_request(request, exception=None):
    """A body Django could not read (malformed multipart, over DATA_UPLOAD_MAX_MEMORY_SIZE) or a
    host it does not serve. Rendered like the 404 page; without a request, or with one whose
    context cannot be built, in the layout alone."""
    if is_api_request(request):
        return json_error(400, "bad_request", _("The request could not be understood."))
    try:
        page = loader.render_to_string("400.html", request=request)
    except Exception:  # the request may be what is wrong: a host Django refuses to build URLs on
        page = loader.render_to_string("400.html")
    return HttpResponseBadRequest(page)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return json_error(404, "not_found", _("Not found."))
    # The language toggle leads home, not back to the address asked for, so that every 404 is
    # the same page whatever was asked (nothing tells a missing record from a forbidden one).
    return render(request, "404.html", {"language_next": "/"}, status=404)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return json_error(403, "permission_denied", _("You cannot do that."))
    return render(request, "403.html", {"language_next": "/"}, status=403)


def server_error(request):
    # Django calls this while handling the exception, which is still the current one.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    if is_api_request(request):
        return json_error(500, "server_error", _("Something went wrong on our side."))
    return HttpResponseServerError(loader.get_template("500.html").render({}))


def service_unavailable(request):
    """503 with Retry-After, when the database is down, frozen or too slow. Nothing here, and
    nothing on the way out, touches the database again: one failed wait per request."""
    if is_api_request(request):
        response = json_error(
            503, "service_unavailable", _("The service is unavailable for a moment. Try again.")
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    if request is not None:
        # The way out asks the database nothing either: SessionMiddleware leaves a request
        # without a session alone (with one, it reads it to decide whether to save it), and who
        # is signed in is not looked up again (PrivateCacheMiddleware asks).
        if hasattr(request, "session"):
            del request.session
        request.user = AnonymousUser()
    return response
