from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    # The classroom QR leads here: short, since it is drawn on a projector across the room.
    path("a/<int:session_pk>/<str:token>/", views.scan, name="scan"),
    # A printed badge's QR: short, since it is printed 30 mm wide.
    path("b/<str:badge_code>/", views.badge, name="badge"),
    path("me/", views.me, name="me"),
    path("courses/<str:code>/today/", views.course_today, name="today"),
    path("me/attendance/", views.my_attendance, name="my-attendance"),
    path("me/courses/<str:code>/leave/new/", views.my_leave_new, name="my-leave-new"),
    path("me/leave/<int:pk>/withdraw/", views.my_leave_withdraw, name="my-leave-withdraw"),
    path("me/leave/<int:pk>/resume/", views.my_leave_resume, name="my-leave-resume"),
    path("me/bulletins/<int:pk>/", views.my_bulletin, name="my-bulletin"),
    path("courses/<str:code>/attendance/", views.grid, name="grid"),
    path("courses/<str:code>/attendance/trainees/<int:pk>/", views.trainee_record, name="trainee"),
    path("courses/<str:code>/sessions/<int:pk>/screen/", views.screen, name="screen"),
    path("courses/<str:code>/sessions/<int:pk>/screen/live/", views.screen_live, name="screen-live"),
    path("courses/<str:code>/sessions/<int:pk>/rollcall/", views.rollcall, name="rollcall"),
    path("courses/<str:code>/sessions/<int:pk>/rollcall/mark/", views.rollcall_mark, name="rollcall-mark"),
    path("courses/<str:code>/sessions/<int:pk>/rollcall/all/", views.rollcall_all, name="rollcall-all"),
    path("courses/<str:code>/sessions/<int:pk>/badge/", views.badge_scan, name="badge-scan"),
    path("courses/<str:code>/leave/", views.leave_list, name="leave-list"),
    path("courses/<str:code>/leave/<int:pk>/", views.leave_detail, name="leave-detail"),
    path("courses/<str:code>/discipline/", views.discipline, name="discipline"),
    path("courses/<str:code>/discipline/<int:pk>/void/", views.discipline_void, name="discipline-void"),
    path("courses/<str:code>/bulletin/", views.bulletin, name="bulletin"),
    path("courses/<str:code>/bulletin/<int:pk>/", views.bulletin_detail, name="bulletin-detail"),
]
