from django.urls import path

from activities import views

app_name = "activities"
urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("new/", views.ActivityFormView.as_view(), name="activity_create"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityFormView.as_view(), name="activity_update"),
    path("roster/", views.RosterView.as_view(), name="roster"),
    path("photos/<int:pk>/", views.ActivityPhotoView.as_view(), name="activity_photo"),
    path("warnings/", views.LifeWarningListView.as_view(), name="life_warning_list"),
    path("red-packages/", views.RedPackageListView.as_view(), name="redpackage_list"),
    path("red-packages/new/", views.RedPackageChooseMemberView.as_view(), name="redpackage_choose"),
    path("red-packages/new/<int:member_pk>/", views.RedPackageCreateView.as_view(), name="redpackage_create"),
    path("red-packages/<int:pk>/edit/", views.RedPackageUpdateView.as_view(), name="redpackage_update"),
]
