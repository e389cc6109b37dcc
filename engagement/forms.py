from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.richtext import MARKDOWN_HINT, markdown_textarea
from partnerships.models import Partnership, Seat

from .models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, EventKind
from .services import Attendee


class EngagementForm(GovukFormMixin, forms.Form):
    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class EventPlanForm(EngagementForm):
    submit_label = _("Plan the event")

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=EventKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a public meeting or a consultation")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For example, “Have your say on community safety in Sale”."),
        error_messages={"required": _("Enter the title")},
    )
    planned_on = GovukDateField(label=_("Date"), help_text=_("For example, 27 3 2027."))
    venue = forms.CharField(
        label=_("Where"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("The venue, or “Online” for a consultation."),
        error_messages={"required": _("Enter where it takes place")},
    )
    notice = forms.CharField(
        label=_("Public notice"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=6),
        help_text=_(
            "Shown on the partnership's public page until the event is held: what it is about "
            "and how to take part."
        ),
        error_messages={"required": _("Enter the public notice")},
    )


class SeatAttendanceMixin:
    """A name and a position for each responsible authority's seat, both or neither; ``clean``
    gives ``attendees``, a list of ``Attendee``. ``name_label`` says whose name."""

    name_label = _("%(seat)s: name of the senior person who attended")
    name_hint = _("Leave blank if no one of senior position attended for this authority.")

    def add_seat_fields(self) -> None:
        for seat in Seat.statutory():
            self.fields[f"{seat.value}_name"] = forms.CharField(
                label=self.name_label % {"seat": seat.label},
                max_length=NAME_MAX_LENGTH,
                required=False,
                help_text=self.name_hint,
            )
            self.fields[f"{seat.value}_position"] = forms.CharField(
                label=_("%(seat)s: their position") % {"seat": seat.label},
                max_length=NAME_MAX_LENGTH,
                required=False,
            )
        self.build_helper()

    def attendees(self, cleaned: dict) -> list[Attendee]:
        found = []
        for seat in Seat.statutory():
            name = cleaned.get(f"{seat.value}_name", "").strip()
            position = cleaned.get(f"{seat.value}_position", "").strip()
            if name and not position:
                self.add_error(f"{seat.value}_position", _("Enter their position"))
            elif position and not name:
                self.add_error(f"{seat.value}_name", _("Enter their name"))
            elif name:
                found.append(Attendee(seat=seat.value, name=name, position=position))
        return found


class EventRecordForm(SeatAttendanceMixin, EngagementForm):
    submit_label = _("Record the event")

    held_on = GovukDateField(label=_("Date held"), help_text=_("For example, 27 3 2027."))
    people_attended = forms.IntegerField(
        label=_("People who took part (optional)"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
    raised = forms.CharField(
        label=_("What was raised"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=8),
        help_text=MARKDOWN_HINT,
        error_messages={"required": _("Say what was raised")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_seat_fields()

    def clean(self):
        cleaned = super().clean()
        return {
            "held_on": cleaned.get("held_on"),
            "people_attended": cleaned.get("people_attended"),
            "raised": cleaned.get("raised", ""),
            "attendees": self.attendees(cleaned),
        }
