from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("login/", views.trainee_login, name="login"),
    path("me/large-text/", views.large_text, name="large-text"),
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("courses/", views.course_list, name="course-list"),
    path("staff/", views.staff_home, name="staff-home"),
    path("orgs/<int:pk>/", views.organization_edit, name="organization"),
    path("orgs/<int:pk>/staff/", views.staff_list, name="staff"),
    path("orgs/<int:pk>/staff/<int:member_pk>/", views.staff_change, name="staff-change"),
    path("orgs/<int:pk>/lecturers/", views.lecturer_list, name="lecturers"),
    path("orgs/<int:pk>/lecturers/new/", views.lecturer_create, name="lecturer-create"),
    path("orgs/<int:pk>/lecturers/<int:lecturer_pk>/", views.lecturer_detail, name="lecturer"),
    path("orgs/<int:pk>/lecturers/<int:lecturer_pk>/edit/", views.lecturer_edit, name="lecturer-edit"),
    path("courses/new/", views.course_create, name="course-create"),
    path("courses/<str:code>/", views.course_dashboard, name="course-dashboard"),
    path("courses/<str:code>/edit/", views.course_edit, name="course-edit"),
    path("courses/<str:code>/timetable/", views.timetable, name="timetable"),
    path("courses/<str:code>/sessions/new/", views.session_create, name="session-create"),
    path("courses/<str:code>/sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("courses/<str:code>/sessions/<int:pk>/delete/", views.session_delete, name="session-delete"),
    path("courses/<str:code>/roster/", views.roster_page, name="roster"),
    path("courses/<str:code>/roster/export.xlsx", views.roster_export, name="roster-export"),
    path("courses/<str:code>/roster/import/", views.roster_import, name="roster-import"),
    path("courses/<str:code>/roster/import/confirm/", views.roster_import_confirm, name="roster-import-confirm"),
    path("courses/<str:code>/roster/add/", views.trainee_add, name="trainee-add"),
    path("courses/<str:code>/trainees/<int:pk>/", views.enrollment_detail, name="enrollment-detail"),
    path("courses/<str:code>/trainees/<int:pk>/edit/", views.enrollment_edit, name="enrollment-edit"),
    path("courses/<str:code>/trainees/<int:pk>/reset-code/", views.access_code_reset, name="access-code-reset"),
    path("courses/<str:code>/audit/", views.audit_log, name="audit"),
    path("courses/<str:code>/reopen/", views.course_reopen, name="course-reopen"),
]
