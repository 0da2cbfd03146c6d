from django.urls import path

from members import views

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
    path("outflows/<int:pk>/edit/", views.OutflowUpdateView.as_view(), name="outflow_update"),
    path("outflows/<int:pk>/<slug:event>/", views.OutflowTransitionView.as_view(), name="outflow_transition"),
    path("census/", views.CampaignListView.as_view(), name="campaign_list"),
    path("census/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("census/window/", views.CampaignWindowView.as_view(), name="campaign_window"),
    path("census/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("census/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("census/<int:pk>/<slug:step>/", views.CampaignStepView.as_view(), name="campaign_step"),
    path("census/tasks/", views.CensusTaskListView.as_view(), name="censustask_list"),
    path("census/tasks/<int:pk>/", views.CensusTaskAnswerView.as_view(), name="censustask_answer"),
]
