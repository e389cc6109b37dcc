"""Two repairs for what was written before grants followed their reason and their membership:

* audit rows about a review are marked as the review's (audit.need_to_know), so the partnership's
  audit log shows them only to those who may see the review;
* grants whose holder has since left the review's partnership, or holds a role there that may not
  hold DHR material, end as they would now (audited, their reminders withdrawn): coming back must
  need a new grant.
"""

from django.db import migrations
from django.db.models import BigIntegerField, Exists, OuterRef
from django.db.models.functions import Cast

REVIEW = "reviews.domestichomicidereview"
NEVER_ROLES = ("scrutiny", "pcc_office")


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AccessGrant = apps.get_model("reviews", "AccessGrant")
    Membership = apps.get_model("partnerships", "Membership")
    Notification = apps.get_model("reminders", "Notification")
    Permission = apps.get_model("reviews", "ReviewUserObjectPermission")

    AuditEvent.objects.filter(object_type=REVIEW, need_to_know="").update(
        need_to_know=REVIEW, need_to_know_id=Cast("object_id", BigIntegerField())
    )

    holding = Membership.objects.filter(
        user_id=OuterRef("user_id"), partnership_id=OuterRef("review__partnership_id")
    ).exclude(role__in=NEVER_ROLES)
    stale = (
        AccessGrant.objects.filter(~Exists(holding))
        .select_related("review", "user")
        .order_by("pk")
    )
    for grant in stale:
        review, user = grant.review, grant.user
        Permission.objects.filter(user_id=user.pk, content_object_id=review.pk).delete()
        Notification.objects.filter(
            user_id=user.pk, item_key__startswith=f"dhr:{review.pk}:"
        ).delete()
        AuditEvent.objects.create(
            actor=None,
            actor_label="system",
            partnership_id=review.partnership_id,
            action="review.access_end",
            object_type=REVIEW,
            object_id=str(review.pk),
            object_repr=f"{review.reference} ({review.victim_pseudonym})"[:255],
            changes={"access": [f"{user.email} ({grant.reason})", None]},
            need_to_know=REVIEW,
            need_to_know_id=review.pk,
        )
        grant.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("audit", "0003_auditevent_need_to_know"),
        ("partnerships", "0001_initial"),
        ("reminders", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
