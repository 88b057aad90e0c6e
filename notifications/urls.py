from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("courses/<str:code>/outbox/", views.outbox, name="outbox"),
    path("courses/<str:code>/outbox/alerts/", views.alerts, name="alerts"),
    path("courses/<str:code>/outbox/remind-evaluation/", views.evaluation_remind, name="evaluation-remind"),
    path("courses/<str:code>/outbox/remind-units/", views.units_remind, name="units-remind"),
    path("courses/<str:code>/outbox/<int:pk>/resend/", views.resend, name="resend"),
    path("courses/<str:code>/outbox/<int:pk>/cancel/", views.cancel, name="cancel"),
]
