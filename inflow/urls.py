from django.urls import path

from inflow import views

app_name = "inflow"
urlpatterns = [
    path("", views.InflowMemberListView.as_view(), name="inflowmember_list"),
    path("new/", views.InflowMemberCreateView.as_view(), name="inflowmember_create"),
    path("warnings/", views.InflowLifeWarningListView.as_view(), name="life_warning_list"),
    path("<int:pk>/", views.InflowMemberDetailView.as_view(), name="inflowmember_detail"),
    path("<int:pk>/edit/", views.InflowMemberUpdateView.as_view(), name="inflowmember_update"),
    path("<int:pk>/reveal/", views.InflowMemberRevealView.as_view(), name="inflowmember_reveal"),
    path("<int:pk>/report-in/", views.ReportInView.as_view(), name="report_in"),
    path("<int:pk>/report-back/", views.ReportBackView.as_view(), name="report_back"),
    path("<int:pk>/end/", views.EndView.as_view(), name="end"),
    path("activities/<int:pk>/attendance/", views.ActivityInflowAttendanceView.as_view(), name="activity_attendance"),
]
