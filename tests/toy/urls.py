from django.urls import include, path

from tests.toy import views

toy_patterns = ([path("visits/", views.VisitListView.as_view(), name="visit_list")], "toy")

urlpatterns = [
    path("toy/", include(toy_patterns)),
    path("", include("lanshan_party.urls")),
]
