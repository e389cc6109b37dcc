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

from .models import AgreementStatus, QuarterlyReturn, ReturnStatus, SharingAgreement
from .policies import KEEPING_ROLES, SUBMITTING_ROLES, AgreementPolicy, ReturnPolicy


@register
class AgreementReviewCycle(Cycle):
    kind = "infosharing_agreement_review"
    label = _("Review of an information sharing agreement")
    owing_roles = KEEPING_ROLES
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
        if not agreements:
            return []
        people: dict[int, set[int]] = defaultdict(set)
        for partnership_id, user_id in (
            AgreementPolicy.keepers({agreement.partnership_id for agreement in agreements})
            .order_by()
            .values_list("partnership_id", "user_id")
        ):
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


@register
class QuarterlyReturnCycle(Cycle):
    """A quarter's return is due from its organisation's people in the partnership (those who may
    submit it) by its due date, and chased by the sweep when late."""

    kind = "infosharing_quarterly_return"
    label = _("Quarterly return of depersonalised information")
    owing_roles = SUBMITTING_ROLES
    year_order = 70

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        returns = QuarterlyReturn.objects.filter(status=ReturnStatus.DUE)
        if partnership_ids is not None:
            returns = returns.filter(partnership_id__in=partnership_ids)
        returns = list(
            returns.select_related("partnership", "organisation__organisation").only(
                "pk",
                "year_start",
                "quarter",
                "due_date",
                "partnership_id",
                "partnership__name",
                "partnership__slug",
                "organisation__organisation_id",
                "organisation__organisation__name",
            )
        )
        if not returns:
            return []
        people: dict[tuple[int, int], set[int]] = defaultdict(set)
        for partnership_id, organisation_id, user_id in (
            ReturnPolicy.submitters({item.partnership_id for item in returns})
            .order_by()
            .values_list("partnership_id", "organisation_id", "user_id")
        ):
            people[(partnership_id, organisation_id)].add(user_id)
        return [
            DueItem(
                kind=self.kind,
                key=f"infosharing_return:{item.pk}",
                partnership_id=item.partnership_id,
                partnership_name=item.partnership.name,
                due_on=item.due_date,
                title=gettext("Quarterly return %(quarter)s: %(organisation)s")
                % {"quarter": str(item), "organisation": item.organisation.organisation.name},
                # The list of returns, where each member finds the ones they may open (their own
                # organisation's, or all for those who manage them): the partnership's year lists
                # the item to every member, and another organisation's return is not theirs.
                url=reverse(
                    "infosharing:returns", kwargs={"partnership_slug": item.partnership.slug}
                )
                + f"#return-{item.pk}",
                recipients=frozenset(
                    people.get((item.partnership_id, item.organisation.organisation_id), ())
                ),
            )
            for item in returns
        ]
