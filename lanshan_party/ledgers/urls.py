from django.urls import path

from lanshan_party.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("exports/", views.ExportListView.as_view(), name="export_list"),
    path("exports/<int:pk>/", views.ExportDetailView.as_view(), name="export_detail"),
    path("exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
    path("exports/<int:pk>/retry/", views.ExportRetryView.as_view(), name="export_retry"),
    path("imports/", views.ImportListView.as_view(), name="import_list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import_create"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("imports/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("imports/<int:pk>/discard/", views.ImportDiscardView.as_view(), name="import_discard"),
    path("imports/<int:pk>/retry/", views.ImportRetryView.as_view(), name="import_retry"),
    path("imports/<int:pk>/marked/", views.ImportMarkedView.as_view(), name="import_marked"),
    path("templates/<slug:ledger>/", views.ImportTemplateView.as_view(), name="import_template"),
]
