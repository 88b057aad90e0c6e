from django.urls import path

from . import views

app_name = "completion"

urlpatterns = [
    path("courses/<str:code>/completion/", views.completion, name="completion"),
    path("courses/<str:code>/completion/<int:pk>/override/", views.completion_override, name="completion-override"),
    path("courses/<str:code>/appraisals/", views.appraisals, name="appraisals"),
    path("courses/<str:code>/appraisals/<int:pk>/", views.appraisal, name="appraisal"),
    path("courses/<str:code>/certificates/", views.certificate_list, name="certificates"),
    path("courses/<str:code>/certificates/print.pdf", views.certificates_print, name="certificates-print"),
    path("courses/<str:code>/certificates/jobs/<int:pk>/", views.certificate_job, name="certificate-job"),
    path(
        "courses/<str:code>/certificates/jobs/<int:pk>/download.zip",
        views.certificate_job_download,
        name="certificate-job-download",
    ),
    path("courses/<str:code>/certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate-pdf"),
    path("courses/<str:code>/certificates/<int:pk>/change/", views.certificate_change, name="certificate-change"),
    path("me/courses/<str:code>/assessment/", views.my_assessment, name="my-assessment"),
    path("me/certificates/<int:pk>/", views.my_certificate, name="my-certificate"),
    path("v/<str:token>/", views.verify, name="verify"),
    path("orgs/<int:pk>/certificate-sample.pdf", views.certificate_sample, name="sample"),
]
