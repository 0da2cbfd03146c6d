"""The URLconf. Every page needs a signed-in user (LoginRequiredMiddleware) except the login page."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from lanshan_party import health, views

accounts_patterns = (
    [
        path("users/", views.UserListView.as_view(), name="user_list"),
        path("users/new/", views.UserCreateView.as_view(), name="user_create"),
        path("users/<int:pk>/", views.UserUpdateView.as_view(), name="user_update"),
        path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
        path("audit/", views.AuditLogView.as_view(), name="audit_log"),
    ],
    "accounts",
)

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("reminders/", views.NotificationListView.as_view(), name="notification_list"),
    path("reminders/read-all/", views.NotificationReadAllView.as_view(), name="notification_read_all"),
    path("reminders/<int:pk>/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("accounts/", include(accounts_patterns)),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("members/", include("members.urls")),
    path("organizations/", include("organizations.urls")),
    path("activities/", include("activities.urls")),
    path("services/", include("services.urls")),
    path("transfers/", include("transfers.urls")),
    path("certificates/", include("certificates.urls")),
    path("inflow/", include("inflow.urls")),
    path("yearly/", include("yearly.urls")),
    path("dues/", include("dues.urls")),
    path("ledgers/", include("lanshan_party.ledgers.urls")),
    path("api/", include("api.urls")),  # the token page, and the read-only API at /api/v1/ (token, not sign-in)
    path("", include("selfservice.urls")),  # a member's personal link (/m/…) and 党员找组织 (/find/), without sign-in
    path("admin/", admin.site.urls),
]

handler400 = "lanshan_party.views.bad_request"
handler403 = "lanshan_party.views.permission_denied"
handler404 = "lanshan_party.views.page_not_found"
handler500 = "lanshan_party.views.server_error"
