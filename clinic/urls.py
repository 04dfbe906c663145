"""URL configuration. Every view declares its access policy (see clinic/access.py)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clinic import account, inbox, views
from clinic.access import signed_in

urlpatterns = [
    path("", views.home, name="home"),
    path("account/not-linked/", views.account_not_linked, name="account_not_linked"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("theme/", views.theme_toggle, name="theme_toggle"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/read/", inbox.inbox_mark_read, name="inbox_mark_read"),
    path("accounts/login/", account.login, name="login"),
    path("accounts/logout/", account.logout, name="logout"),
    path("accounts/keep-alive/", account.keep_alive, name="keep_alive"),
    path("accounts/password/", account.password_change, name="password_change"),
    path(
        "accounts/password/done/",
        signed_in(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("accounts/password/reset/", account.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        account.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/done/",
        account.password_reset_complete,
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        account.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("accounts/two-factor/", account.two_factor_status, name="two_factor_status"),
    path("accounts/two-factor/setup/", account.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", account.two_factor_verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/recovery-codes/",
        account.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("accounts/two-factor/off/", account.two_factor_disable, name="two_factor_disable"),
    # The two-factor middleware covers the admin too; unlock a lockout under "Axes".
    path("admin/", admin.site.urls),
    path("", include("patients.urls")),
    path("", include("treatments.urls")),
]
