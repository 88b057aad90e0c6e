from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("courses/<str:code>/print/", views.print_center, name="print"),
    path("courses/<str:code>/print/report.pdf", views.report_pdf, name="report-pdf"),
    path("courses/<str:code>/print/report.xlsx", views.report_xlsx_view, name="report-xlsx"),
    path("courses/<str:code>/print/lecture-fees.pdf", views.lecture_fees_pdf, name="lecture-fees-pdf"),
    path("courses/<str:code>/print/lecture-fees.xlsx", views.lecture_fees_xlsx_view, name="lecture-fees-xlsx"),
    path("courses/<str:code>/print/evaluation-report.pdf", views.evaluation_report_pdf, name="evaluation-report-pdf"),
    path("courses/<str:code>/print/notice.pdf", views.notice_pdf, name="notice-pdf"),
    path("courses/<str:code>/print/timetable.pdf", views.timetable_pdf, name="timetable-pdf"),
    path("courses/<str:code>/print/badges.pdf", views.badges_pdf, name="badges-pdf"),
    path("courses/<str:code>/print/login-slips.pdf", views.login_slips_pdf, name="login-slips-pdf"),
    path("courses/<str:code>/print/desk-cards.pdf", views.desk_cards_pdf, name="desk-cards-pdf"),
    path("courses/<str:code>/print/rooms.pdf", views.rooms_sheet_pdf, name="rooms-pdf"),
    path("courses/<str:code>/print/door-labels.pdf", views.door_labels_pdf, name="door-labels-pdf"),
    path("courses/<str:code>/print/meals.pdf", views.meals_sheet_pdf, name="meals-pdf"),
    path("courses/<str:code>/print/arrivals.pdf", views.arrivals_sheet_pdf, name="arrivals-pdf"),
    path("courses/<str:code>/print/summary/", views.summary, name="summary"),
    path("courses/<str:code>/print/summary.pdf", views.summary_pdf, name="summary-pdf"),
    path("courses/<str:code>/print/appraisals.pdf", views.appraisals_pdf, name="appraisals-pdf"),
    path("courses/<str:code>/print/trainees/<int:pk>/appraisal.pdf", views.appraisal_pdf, name="appraisal-pdf"),
    path("courses/<str:code>/print/hours.xlsx", views.hours_xlsx_view, name="hours-xlsx"),
    path("courses/<str:code>/print/hours.csv", views.hours_csv_view, name="hours-csv"),
    path("courses/<str:code>/print/hours-proofs.pdf", views.hours_proofs_pdf, name="hours-proofs-pdf"),
    path("courses/<str:code>/print/trainees/<int:pk>/hours-proof.pdf", views.hours_proof_pdf, name="hours-proof-pdf"),
    path("courses/<str:code>/print/sessions/<int:pk>/sign-in.pdf", views.signin_pdf, name="signin-pdf"),
    path("courses/<str:code>/print/bulletins/<int:pk>/bulletin.pdf", views.bulletin_pdf, name="bulletin-pdf"),
    path("courses/<str:code>/dossier/", views.dossier, name="dossier"),
    path("courses/<str:code>/dossier/<int:pk>/", views.dossier_job, name="dossier-job"),
    path("courses/<str:code>/dossier/<int:pk>/dossier.zip", views.dossier_zip, name="dossier-zip"),
    path("courses/<str:code>/dossier/<int:pk>/dossier.pdf", views.dossier_pdf, name="dossier-pdf"),
]
