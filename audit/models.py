from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What each recorded action means, for people reading the log. An action missing here is shown
# by its code, so a new service never hides its events.
ACTION_LABELS = {
    "partnership.create": _("Partnership created"),
    "partnership.merge": _("Partnership merged"),
    "partnership.update_from_ons": _("Partnership updated from the ONS lookup"),
    "partnership.identity_update": _("Public name, logo or accent colour changed"),
    "organisation.create": _("Organisation created"),
    "local_policing_body.record": _("Local policing body recorded for a police force area"),
    "local_policing_body.succeed": _("A new local policing body took the commissioner's functions"),
    "seat.add": _("Organisation added to the partnership"),
    "seat.remove": _("Organisation removed from the partnership"),
    "membership.create": _("Person joined"),
    "membership.update": _("Role or organisation changed"),
    "membership.remove": _("Person removed"),
    "invitation.create": _("Invitation sent"),
    "invitation.revoke": _("Invitation withdrawn"),
    "invitation.resend": _("Invitation sent again"),
    "user.create": _("Account created"),
    "user.password_changed": _("Password changed"),
    "user.password_reset": _("Password reset"),
    "two_factor.enable": _("Two-factor authentication turned on"),
    "two_factor.replace": _("Two-factor authentication replaced with a new authenticator app"),
    "two_factor.backup_codes_replace": _("New backup codes made"),
    "api_token.create": _("API token created"),
    "api_token.revoke": _("API token revoked"),
    "recorded_crime.import": _("Police recorded crime imported"),
    "recorded_crime.population_import": _("Population estimates imported"),
    "recorded_crime.similar_areas_import": _("Similar areas imported"),
    "plan.measure_actual_import": _("Measure filled from an imported release"),
    "assessment.start": _("Strategic assessment started"),
    "assessment.section_update": _("Assessment section changed"),
    "assessment.priority_save": _("Recommended priority saved"),
    "assessment.priority_remove": _("Recommended priority removed"),
    "assessment.priority_cite": _("Evidence cited for a recommended priority"),
    "assessment.priority_uncite": _("Evidence withdrawn from a recommended priority"),
    "assessment.open_contributions": _("Assessment opened for contributions"),
    "assessment.submit_for_review": _("Assessment sent to the strategy group"),
    "assessment.return": _("Assessment returned for changes"),
    "assessment.approve": _("Assessment approved"),
    "assessment.new_version": _("New assessment version started"),
    "contribution.request": _("Contribution requested"),
    "contribution.save": _("Contribution draft saved"),
    "contribution.submit": _("Contribution submitted"),
    "contribution.accept": _("Contribution accepted"),
    "contribution.return": _("Contribution returned"),
    "contribution.withdraw": _("Contribution request withdrawn"),
    "contribution.document_add": _("Document attached to a contribution"),
    "contribution.document_remove": _("Document removed from a contribution"),
    "plan.start": _("Partnership plan started"),
    "plan.refresh": _("Annual refresh of the plan started"),
    "plan.section_update": _("Plan section changed"),
    "plan.priority_save": _("Plan priority saved"),
    "plan.priority_remove": _("Plan priority removed"),
    "plan.action_save": _("Plan action saved"),
    "plan.action_remove": _("Plan action removed"),
    "plan.measure_save": _("Measure saved"),
    "plan.measure_remove": _("Measure removed"),
    "plan.approval_rule_update": _("Plan sign-off rule changed"),
    "plan.consultation": _("Plan opened for consultation"),
    "plan.redraft": _("Plan returned to draft"),
    "plan.sign_off": _("Plan signed off for a seat"),
    "plan.approve": _("Plan approved"),
    "plan.publish": _("Plan published"),
    "plan.supersede": _("Plan superseded"),
    "plan.progress_report": _("Progress reported on an action"),
    "plan.document_request": _("Plan PDF requested"),
    "plan.progress_report_issue": _("Progress report issued"),
    "review.notify": _("Death notified: review case opened"),
    "review.advance": _("Review moved to its next step"),
    "review.hold": _("Review put on hold"),
    "review.resume": _("Review resumed"),
    "review.legal_hold": _("Legal hold placed on a review"),
    "review.legal_hold_lifted": _("Legal hold on a review lifted"),
    "retention.applied": _("Records past their retention period deleted"),
    "review.access_grant": _("Access to a review given"),
    "review.access_revoke": _("Access to a review removed"),
    "review.access_end": _("Access to a review ended: its holder left or changed role"),
    "review.settings_update": _("Review decision-maker changed"),
    "review.agency_request": _("Chronology or IMR requested from an agency"),
    "review.chronology_entry_add": _("Chronology entry added"),
    "review.document_add": _("Document attached to a review"),
    "review.agency_request_submit": _("Agency's chronology or IMR submitted"),
    "review.recommendation_add": _("Recommendation added to the action plan"),
    "review.recommendation_update": _("Action plan line updated"),
    "pcc_priority.add": _("Police and crime plan priority added"),
    "pcc_priority.update": _("Police and crime plan priority changed"),
    "pcc_priority.retire": _("Police and crime plan priority retired"),
    "pcc_priority.move": _("Police and crime plan priorities reordered"),
    "report_request.create": _("Report requested by the PCC"),
    "report_request.answer": _("Report request answered"),
    "report_request.more": _("PCC asked for more on a report request"),
    "report_request.close": _("Report request closed"),
    "report_request.withdraw": _("Report request withdrawn"),
    "combination.approve": _("Combination of partnerships approved by the PCC"),
}


class AuditEvent(models.Model):
    """One state change: who did what to which record, when, in which partnership.

    ``changes`` maps each field that matters to ``[before, after]``. Rows are written by services
    and never updated (but for marking, once, the rows written before ``need_to_know`` was).
    """

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who"), max_length=254, blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("record type"), max_length=64)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The need-to-know record the row is about (a domestic homicide review), if any: only those
    # who may see that record see the row (audit.need_to_know).
    need_to_know = models.CharField(max_length=32, blank=True, default="")
    need_to_know_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
