from django.urls import path

from services import views

app_name = "services"
urlpatterns = [
    path("", views.ServiceCaseListView.as_view(), name="servicecase_list"),
    path("new/", views.ServiceCaseCreateView.as_view(), name="servicecase_create"),
    path("<int:pk>/", views.ServiceCaseDetailView.as_view(), name="servicecase_detail"),
    path("<int:pk>/edit/", views.ServiceCaseUpdateView.as_view(), name="servicecase_update"),
    path("catalog/", views.ServiceItemListView.as_view(), name="serviceitem_list"),
    path("catalog/new/", views.ServiceItemCreateView.as_view(), name="serviceitem_create"),
    path("catalog/<int:pk>/edit/", views.ServiceItemUpdateView.as_view(), name="serviceitem_update"),
    path("recognitions/", views.RecognitionListView.as_view(), name="recognition_list"),
    path("recognitions/new/", views.RecognitionCreateView.as_view(), name="recognition_create"),
    path("recognitions/<int:pk>/edit/", views.RecognitionUpdateView.as_view(), name="recognition_update"),
    path("posts/", views.RepresentativePostListView.as_view(), name="representativepost_list"),
    path("posts/new/", views.RepresentativePostCreateView.as_view(), name="representativepost_create"),
    path("posts/<int:pk>/edit/", views.RepresentativePostUpdateView.as_view(), name="representativepost_update"),
    path("projects/", views.HometownProjectListView.as_view(), name="hometownproject_list"),
    path("projects/new/", views.HometownProjectCreateView.as_view(), name="hometownproject_create"),
    path("projects/<int:pk>/", views.HometownProjectDetailView.as_view(), name="hometownproject_detail"),
    path("projects/<int:pk>/edit/", views.HometownProjectUpdateView.as_view(), name="hometownproject_update"),
]
