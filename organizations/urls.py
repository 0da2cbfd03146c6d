from django.urls import path

from organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationTreeView.as_view(), name="organization_tree"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization_update"),
    path("<int:pk>/dissolve/", views.OrganizationDissolveView.as_view(), name="organization_dissolve"),
    path("stations/new/", views.StationCreateView.as_view(), name="station_create"),
    path("stations/<int:pk>/edit/", views.StationUpdateView.as_view(), name="station_update"),
]
