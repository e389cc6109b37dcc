"""Platform administrators' pages for the national police recorded crime table. Anyone else gets
404, as for any page they may not see."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from . import selectors
from .forms import CrimeReleaseUploadForm, PopulationUploadForm, upload_max_bytes
from .reader import CrimeFileError
from .services import ImportResult, crime_release_import, population_edition_import

ERRORS_SHOWN = 50


class StaffOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_staff:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ReleaseListView(StaffOnlyMixin, TemplateView):
    template_name = "recorded_crime/releases.html"

    def get_context_data(self, **kwargs):
        kwargs["releases"] = selectors.releases_for_staff()
        kwargs["population_editions"] = selectors.population_editions_for_staff()
        return super().get_context_data(**kwargs)


class ReleaseUploadView(StaffOnlyMixin, FormView):
    template_name = "recorded_crime/upload.html"
    form_class = CrimeReleaseUploadForm

    def get_context_data(self, **kwargs):
        kwargs["max_bytes"] = upload_max_bytes()
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = crime_release_import(
                acting_user=self.request.user,
                data=form.content,
                file_name=upload.name,
                period=form.cleaned_data["period"],
            )
        except CrimeFileError as error:
            form.add_error("file", _refusal(error.errors))
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    file_errors=error.errors[:ERRORS_SHOWN],
                    file_error_count=len(error.errors),
                ),
                status=400,
            )
        messages.success(self.request, _summary(result))
        return redirect("recorded_crime:releases")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PopulationUploadView(StaffOnlyMixin, FormView):
    template_name = "recorded_crime/population_upload.html"
    form_class = PopulationUploadForm

    def get_initial(self):
        return {"mid_year": timezone.now().year - 2}

    def form_valid(self, form):
        try:
            result = population_edition_import(
                acting_user=self.request.user,
                data=form.content,
                file_name=form.cleaned_data["file"].name,
                mid_year=form.cleaned_data["mid_year"],
            )
        except CrimeFileError as error:
            form.add_error("file", _refusal(error.errors))
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    file_errors=error.errors[:ERRORS_SHOWN],
                    file_error_count=len(error.errors),
                ),
                status=400,
            )
        if result.created:
            message = _(
                "Population estimates for mid-%(year)d imported: %(districts)d districts of "
                "England and Wales."
            )
        elif result.changed:
            message = _(
                "Population estimates for mid-%(year)d updated: %(changed)d of %(districts)d "
                "districts changed."
            )
        else:
            message = _(
                "Population estimates for mid-%(year)d were already here with the same figures: "
                "nothing changed."
            )
        messages.success(
            self.request,
            message
            % {
                "year": result.edition.mid_year,
                "districts": result.districts,
                "changed": result.changed,
            },
        )
        return redirect("recorded_crime:releases")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def _refusal(errors: list[str]) -> str:
    if len(errors) == 1:
        return _("The file was not imported: %(problem)s. Nothing was changed") % {
            "problem": errors[0][:1].lower() + errors[0][1:].rstrip(".")
        }
    return ngettext(
        "The file was not imported: %(count)d problem was found. Nothing was changed",
        "The file was not imported: %(count)d problems were found. Nothing was changed",
        len(errors),
    ) % {"count": len(errors)}


def _summary(result: ImportResult) -> str:
    imported = _(
        "%(period)s imported from %(file)s: %(csps)d Community Safety Partnerships (%(matched)d "
        "of them in the portal), %(totals)d force totals and %(context)d other rows."
    ) % {
        "period": capfirst(result.release.period_label),
        "file": result.release.source_file_name,
        "csps": result.csps,
        "matched": result.partnerships_matched,
        "totals": result.force_totals,
        "context": result.context_rows,
    }
    if not result.warnings:
        return imported
    warnings = ngettext(
        "%(count)d warning is listed below.",
        "%(count)d warnings are listed below.",
        len(result.warnings),
    ) % {"count": len(result.warnings)}
    return f"{imported} {warnings}"
