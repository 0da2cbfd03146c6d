from django.urls import path

from members import census_views, partner_views, views

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="member_list"),
    path("new/", views.MemberCreateView.as_view(), name="member_create"),
    path("find/", views.MemberSearchView.as_view(), name="member_search"),
    path("search/", views.SearchRedirectView.as_view(), name="search"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member_update"),
    path("<int:pk>/reveal/", views.MemberRevealView.as_view(), name="member_reveal"),
    path("<int:pk>/depart/", views.OutflowRegisterView.as_view(), name="outflow_create"),
    path("report-ins/", partner_views.PartnerDeskView.as_view(), name="partner_desk"),
    path("outflows/<int:pk>/accept/", partner_views.ReportInAcceptView.as_view(), name="report_in_accept"),
    path("outflows/<int:pk>/refuse/", partner_views.ReportInRefuseView.as_view(), name="report_in_refuse"),
    path("outflows/<int:pk>/hand-over/", partner_views.HandOverView.as_view(), name="outflow_hand_over"),
    path("<int:pk>/destination/<slug:record>/", partner_views.PartnerRecordView.as_view(), name="partner_record"),
    path("outflows/<int:pk>/edit/", views.OutflowUpdateView.as_view(), name="outflow_update"),
    path("outflows/<int:pk>/<slug:event>/", views.OutflowTransitionView.as_view(), name="outflow_transition"),
    path("census/", census_views.CampaignListView.as_view(), name="campaign_list"),
    path("census/new/", census_views.CampaignCreateView.as_view(), name="campaign_create"),
    path("census/window/", census_views.CampaignWindowView.as_view(), name="campaign_window"),
    path("census/<int:pk>/", census_views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("census/<int:pk>/edit/", census_views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("census/<int:pk>/<slug:step>/", census_views.CampaignStepView.as_view(), name="campaign_step"),
    path("census/tasks/", census_views.CensusTaskListView.as_view(), name="censustask_list"),
    path("census/tasks/<int:pk>/", census_views.CensusTaskAnswerView.as_view(), name="censustask_answer"),
    path("census/tasks/<int:pk>/call/", census_views.CensusCallView.as_view(), name="censustask_call"),
]
