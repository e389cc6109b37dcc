"""The one form base every page form uses: GOV.UK Design System layout via crispy-forms-gds."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django.utils.translation import gettext_lazy as _


class GovukFormMixin:
    """Render fields in order with one primary button; errors go in the page's error summary."""

    submit_label = _("Continue")
    submit_classes = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.label_size = "s"
        self.helper.legend_size = "s"
        self.helper.add_input(Submit("submit", self.submit_label, css_class=self.submit_classes))
