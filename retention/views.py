"""What the retention schedule will delete of the partnership's records, and when: for those who
read its audit log (the coordinator)."""

from django.utils import timezone
from django.views.generic import TemplateView

from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin

from .selectors import schedule_for_partnership

SOON_DAYS = 30


class RetentionScheduleView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_AUDIT
    template_name = "retention/schedule.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = schedule_for_partnership(
            partnership=self.partnership, now=timezone.now(), soon_days=SOON_DAYS
        )
        context.update(
            partnership_rows=[row for row in rows if row.kind.partnership_lookup],
            service_rows=[row for row in rows if not row.kind.partnership_lookup],
            soon_days=SOON_DAYS,
        )
        return context
