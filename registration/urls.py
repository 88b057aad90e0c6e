from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("orgs/<int:pk>/units/", views.unit_list, name="units"),
    path("orgs/<int:pk>/units/new/", views.unit_create, name="unit-create"),
    path("orgs/<int:pk>/units/<int:unit_pk>/edit/", views.unit_edit, name="unit-edit"),
    path("courses/<str:code>/registration/", views.progress, name="progress"),
    path("courses/<str:code>/registration/live/", views.progress_live, name="progress-live"),
    path("courses/<str:code>/registration/quotas/", views.quotas_edit, name="quotas"),
    path("courses/<str:code>/registration/notice/", views.notice, name="notice"),
    path("courses/<str:code>/registration/receipt.xlsx", views.receipt_xlsx, name="receipt-xlsx"),
    path("courses/<str:code>/registration/lock/", views.lock, name="lock"),
    path("courses/<str:code>/registration/approve/", views.approve_all, name="approve-all"),
    path("courses/<str:code>/registration/nominees/<int:pk>/approve/", views.approve, name="approve"),
    path("courses/<str:code>/registration/nominees/<int:pk>/return/", views.return_nominee, name="return"),
    path("courses/<str:code>/registration/nominees/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("courses/<str:code>/registration/quotas/<int:pk>/extra/", views.extra, name="extra"),
    path("courses/<str:code>/registration/quotas/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("r/<str:link>/", views.unit_home, name="unit-home"),
    path("r/<str:link>/receipt.xlsx", views.unit_receipt_xlsx, name="unit-receipt"),
    path("r/<str:link>/nominees/<int:pk>/", views.unit_nominee_edit, name="unit-nominee"),
    path("r/<str:link>/nominees/<int:pk>/replace/", views.unit_nominee_replace, name="unit-replace"),
]
