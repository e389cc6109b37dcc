"""Error pages in the service's own layout. The 500 page renders without a request context."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render({}))
