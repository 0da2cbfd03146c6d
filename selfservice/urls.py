"""Addresses of the self-service pages. The four public ones need no sign-in: lanshan_party.middleware.PUBLIC_URL_NAMES
lets exactly these through, and tests/test_urls.py ALLOWLIST holds the same names."""

from django.urls import path

from selfservice import views

app_name = "selfservice"
urlpatterns = [
    # Public: a member's personal link, and the "find your organization" page.
    path("m/done/", views.LinkDoneView.as_view(), name="link_done"),
    path("m/<str:token>/", views.LinkView.as_view(), name="link"),
    path("find/", views.FindView.as_view(), name="find"),
    path("find/thanks/", views.FindDoneView.as_view(), name="find_done"),
    # Signed in: the review queue and the send buttons.
    path("selfservice/reports/", views.ReportListView.as_view(), name="report_list"),
    path("selfservice/reports/<int:pk>/", views.ReportReviewView.as_view(), name="report_review"),
    path("selfservice/requests/", views.RequestListView.as_view(), name="request_list"),
    path("selfservice/requests/<int:pk>/", views.RequestHandleView.as_view(), name="request_handle"),
    path("selfservice/members/<int:pk>/send-link/", views.SendLinkView.as_view(), name="link_send"),
    path("selfservice/members/<int:pk>/links/", views.MemberLinksView.as_view(), name="member_links"),
    path("selfservice/links/<int:pk>/revoke/", views.RevokeLinkView.as_view(), name="link_revoke"),
    path("selfservice/census/<int:pk>/send-links/", views.CampaignLinksView.as_view(), name="campaign_links"),
]
