from django.urls import path

from transfers import views

app_name = "transfers"
urlpatterns = [
    path("", views.TransferListView.as_view(), name="transfer_list"),
    path("box/", views.TransferBoxView.as_view(), name="transfer_box"),
    path("out/new/", views.TransferOutCreateView.as_view(), name="transfer_out_create"),
    path("in/new/", views.TransferInCreateView.as_view(), name="transfer_in_create"),
    path("<int:pk>/", views.TransferDetailView.as_view(), name="transfer_detail"),
    path("<int:pk>/edit/", views.TransferUpdateView.as_view(), name="transfer_update"),
    path("<int:pk>/receipt/", views.TransferReceiptView.as_view(), name="transfer_receipt"),
    path("<int:pk>/print/", views.TransferPrintView.as_view(), name="transfer_print"),
    path("<int:pk>/<slug:step>/", views.TransferStepView.as_view(), name="transfer_step"),
]
