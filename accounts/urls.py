from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("two-factor/", views.TwoFactorVerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/set-up/", views.TwoFactorSetupView.as_view(), name="two_factor_setup"),
    path("two-factor/backup-codes/", views.BackupCodesView.as_view(), name="backup_codes"),
    path("", views.AccountView.as_view(), name="account"),
    path("language/", views.AccountLanguageView.as_view(), name="account_language"),
    path("language/choose/", views.LanguageView.as_view(), name="language"),
    path("keep-alive/", views.KeepAliveView.as_view(), name="keep_alive"),
    path("drafts/", views.TextDraftView.as_view(), name="text_draft"),
    path("drafts/discard/", views.TextDraftDiscardView.as_view(), name="text_draft_discard"),
    path("api-tokens/", views.ApiTokensView.as_view(), name="api_tokens"),
    path("api-tokens/new/", views.ApiTokenCreateView.as_view(), name="api_token_create"),
    path(
        "api-tokens/<int:token_id>/revoke/",
        views.ApiTokenRevokeView.as_view(),
        name="api_token_revoke",
    ),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
