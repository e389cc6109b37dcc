"""What falls due in the register of information sharing agreements: each agreement in force is
reviewed by its ``review_due``, by the partnership's coordinators (the sweep reminds them before
the date and chases them after). Recording the review sets the next date; ending the agreement
ends it."""

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.cycles import Cycle, DueItem, register

from .models import AgreementStatus, SharingAgreement
from .policies import AgreementPolicy


@register
class AgreementReviewCycle(Cycle):
    kind = "infosharing_agreement_review"
    label = _("Review of an information sharing agreement")
    year_order = 68

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        agreements = SharingAgreement.objects.filter(status=AgreementStatus.IN_FORCE)
        if partnership_ids is not None:
            agreements = agreements.filter(partnership_id__in=partnership_ids)
        agreements = list(
            agreements.select_related("partnership").only(
                "pk",
                "title",
                "review_due",
                "partnership_id",
                "partnership__name",
                "partnership__slug",
            )
        )
        people: dict[int, set[int]] = defaultdict(set)
        for partnership_id, user_id in AgreementPolicy.keepers(
            {agreement.partnership_id for agreement in agreements}
        ).values_list("partnership_id", "user_id"):
            people[partnership_id].add(user_id)
        return [
            DueItem(
                kind=self.kind,
                key=f"infosharing_agreement:{agreement.pk}",
                partnership_id=agreement.partnership_id,
                partnership_name=agreement.partnership.name,
                due_on=agreement.review_due,
                title=gettext("Review the information sharing agreement: %(title)s")
                % {"title": agreement.title},
                url=reverse(
                    "infosharing:agreement",
                    kwargs={
                        "partnership_slug": agreement.partnership.slug,
                        "agreement_id": agreement.pk,
                    },
                ),
                recipients=frozenset(people.get(agreement.partnership_id, ())),
            )
            for agreement in agreements
        ]
