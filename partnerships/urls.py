from django.urls import include, path

from . import views

app_name = "partnerships"

tenant_patterns = [
    path("", views.PartnershipHomeView.as_view(), name="home"),
    path("about/", views.PartnershipAboutView.as_view(), name="about"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/invite/", views.InviteView.as_view(), name="invite"),
    path("people/<int:membership_id>/", views.MembershipEditView.as_view(), name="membership_edit"),
    path(
        "people/<int:membership_id>/remove/",
        views.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path(
        "invitations/<int:invitation_id>/withdraw/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path(
        "invitations/<int:invitation_id>/send-again/",
        views.InvitationResendView.as_view(),
        name="invitation_resend",
    ),
    path("organisations/add/", views.PartnerOrganisationAddView.as_view(), name="organisation_add"),
    path(
        "organisations/<int:partner_id>/remove/",
        views.PartnerOrganisationRemoveView.as_view(),
        name="organisation_remove",
    ),
    path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("identity/", views.IdentityView.as_view(), name="identity"),
    path("identity/logo/", views.LogoView.as_view(), name="logo"),
]

urlpatterns = [
    # The chooser of a signed-in person's partnerships; /partnerships/ is the public register.
    path("account/partnerships/", views.choose_partnership, name="choose"),
    # The link in an invitation email: under /account/, where a person's own pages are.
    path(
        "account/invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("p/<slug:partnership_slug>/", include(tenant_patterns)),
]
