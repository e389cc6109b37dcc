"""The public register of partnerships, for anyone, without signing in: search by name or place
(a district), and each partnership's page. A slug no partnership has is the 404 page; a merged
partnership's page points to the one it merged into. Nothing here names a person or a review."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from .. import selectors

PAGE_SIZE = 50


class RegisterView(TemplateView):
    template_name = "national/register.html"

    def get_context_data(self, **kwargs):
        search = self.request.GET.get("q", "").strip()[:100]
        page = Paginator(selectors.register_search(search=search), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        kwargs.update(
            page=page,
            partnerships=page.object_list,
            search=search,
            page_query=urlencode({"q": search}) + "&" if search else "",
        )
        return super().get_context_data(**kwargs)


class RegisterEntryView(TemplateView):
    template_name = "national/register_entry.html"

    def get_context_data(self, **kwargs):
        kwargs["entry"] = selectors.register_entry(slug=self.kwargs["slug"])
        return super().get_context_data(**kwargs)
