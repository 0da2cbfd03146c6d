from django.urls import path

from api import v1, views

app_name = "api"

urlpatterns = [
    path("tokens/", views.TokenListView.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("v1/", v1.api.urls),
]
