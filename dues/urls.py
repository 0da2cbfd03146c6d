from django.urls import path

from dues import grid_views, views

app_name = "dues"
urlpatterns = [
    path("", grid_views.GridView.as_view(), name="grid"),
    path("month/<int:org_pk>/<int:year>/<int:month>/", grid_views.MonthView.as_view(), name="month"),
    path("standards/", views.DuesStandardListView.as_view(), name="standard_list"),
    path("standards/new/<int:member_pk>/", views.StandardFormView.as_view(), name="standard_create"),
    path("standards/<int:pk>/edit/", views.StandardFormView.as_view(), name="standard_update"),
    path("standards/<int:pk>/confirm/", views.StandardConfirmView.as_view(), name="standard_confirm"),
    path("payments/", views.DuesPaymentListView.as_view(), name="payment_list"),
    path("payments/new/<int:member_pk>/", views.PaymentCreateView.as_view(), name="payment_create"),
    path("arrears/", views.ArrearsListView.as_view(), name="arrears_list"),
    path("reliefs/", views.DuesReliefListView.as_view(), name="relief_list"),
    path("reliefs/new/<int:member_pk>/", views.ReliefCreateView.as_view(), name="relief_create"),
    path("reliefs/<int:pk>/", views.ReliefDecideView.as_view(), name="relief_decide"),
    path("members/<int:member_pk>/", views.MemberDuesView.as_view(), name="member_dues"),
    path("summary/", views.SummaryView.as_view(), name="summary"),
]
