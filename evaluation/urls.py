from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("me/evaluations/", views.mine, name="mine"),
    path("me/evaluations/thanks/", views.thanks, name="thanks"),
    path("me/evaluations/sessions/<int:session_pk>/", views.answer_session, name="answer-session"),
    path("me/courses/<str:code>/evaluations/", views.my_waiting, name="my-waiting"),
    path("me/courses/<str:code>/evaluations/course/", views.answer_course, name="answer-course"),
    path("orgs/<int:pk>/lecturers/<int:lecturer_pk>/evaluation/", views.lecturer_means, name="lecturer"),
    path("courses/<str:code>/evaluation/", views.results, name="results"),
    path("courses/<str:code>/evaluation/live/", views.live, name="live"),
    path("courses/<str:code>/evaluation/sessions/<int:pk>/screen/", views.screen, name="screen"),
    path("courses/<str:code>/evaluation/settings/", views.settings_edit, name="settings"),
    path("courses/<str:code>/evaluation/forms/<str:kind>/", views.form_edit, name="form-edit"),
]
