from django.conf import settings
from django.http import Http404
from django.shortcuts import render


def layout(request):
    """The base layout with no data, for the page benchmark to measure every page against.

    Not a public surface: it answers only when the server runs in benchmark mode
    (``CSP_BENCHMARK``, set by ``manage.py benchmark_pages`` for the server it starts) or to
    platform staff; everyone else gets the ordinary 404.
    """
    if not (settings.CSP_BENCHMARK or request.user.is_staff):
        raise Http404
    return render(request, "pages/layout.html")
