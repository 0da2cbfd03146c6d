from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.MemberListView.as_view(), name="member_list"),
    path("new/", views.MemberCreateView.as_view(), name="member_create"),
    path("find/", views.MemberSearchView.as_view(), name="member_search"),
    path("<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("<int:pk>/edit/", views.MemberUpdateView.as_view(), name="member_update"),
    path("<int:pk>/reveal/", views.MemberRevealView.as_view(), name="member_reveal"),
    path("<int:pk>/depart/", views.OutflowRegisterView.as_view(), name="outflow_create"),
    path("outflows/<int:pk>/edit/", views.OutflowUpdateView.as_view(), name="outflow_update"),
    path("outflows/<int:pk>/<slug:event>/", views.OutflowTransitionView.as_view(), name="outflow_transition"),
]
