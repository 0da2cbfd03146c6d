from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.CertificateListView.as_view(), name="certificate_list"),
    path("print/", views.CertificatePrintView.as_view(), name="certificate_print"),
    path("issue/<int:outflow_pk>/", views.CertificateIssueView.as_view(), name="certificate_issue"),
    path("<int:pk>/", views.CertificateDetailView.as_view(), name="certificate_detail"),
    path("<int:pk>/check/", views.CertificateCheckView.as_view(), name="certificate_check"),
    path("<int:pk>/hand-back/", views.CertificateHandBackView.as_view(), name="certificate_hand_back"),
    path("<int:pk>/void/", views.CertificateVoidView.as_view(), name="certificate_void"),
]
