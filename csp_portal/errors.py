"""Error pages in the service's own layout, and in the API's one error shape under /api/. The
400 and 500 pages render without a request context."""

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from .api import is_api_request, json_error


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
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return json_error(403, "permission_denied", _("You cannot do that."))
    return render(request, "403.html", status=403)


def server_error(request):
    if is_api_request(request):
        return json_error(500, "server_error", _("Something went wrong on our side."))
    return HttpResponseServerError(loader.get_template("500.html").render({}))
