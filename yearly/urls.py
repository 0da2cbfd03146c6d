from django.urls import path

from yearly import views

app_name = "yearly"
urlpatterns = [
    path("hours/", views.ShortfallListView.as_view(), name="shortfall_list"),
    path("study/", views.StudyRecordListView.as_view(), name="studyrecord_list"),
    path("study/new/<int:member_pk>/", views.StudyRecordCreateView.as_view(), name="studyrecord_create"),
    path("study/<int:pk>/edit/", views.StudyRecordUpdateView.as_view(), name="studyrecord_update"),
    path("committees/", views.CommitteeMemberListView.as_view(), name="committeemember_list"),
    path("committees/new/<int:member_pk>/", views.CommitteeMemberCreateView.as_view(), name="committeemember_create"),
    path("committees/<int:pk>/edit/", views.CommitteeMemberUpdateView.as_view(), name="committeemember_update"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("terms/", views.TermListView.as_view(), name="term_list"),
    path("terms/new/", views.TermCreateView.as_view(), name="term_create"),
    path("terms/<int:pk>/edit/", views.TermUpdateView.as_view(), name="term_update"),
]
