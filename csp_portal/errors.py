"""Error pages in the service's own layout, and in the API's one error shape under /api/. The
500 page renders without a request context."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from .api import is_api_request, json_error


def bad_request(request, exception=None):
    if is_api_request(request):
        return json_error(400, "bad_request", _("The request could not be understood."))
    return defaults.bad_request(request, exception)


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
