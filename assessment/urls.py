from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("courses/<str:code>/assessment/", views.overview, name="overview"),
    path("courses/<str:code>/assessment/settings/", views.plan, name="plan"),
    path("courses/<str:code>/assessment/scores/", views.scores, name="scores"),
    path("courses/<str:code>/assessment/scores/import/", views.scores_import, name="scores-import"),
    path("courses/<str:code>/assessment/essays/", views.essays, name="essays"),
    path("courses/<str:code>/assessment/essays/<int:pk>/", views.essay, name="essay"),
    path("courses/<str:code>/assessment/essays/<int:pk>/file/", views.essay_file, name="essay-file"),
    path("courses/<str:code>/assessment/discussions/", views.discussions, name="discussions"),
    path("me/courses/<str:code>/essay/", views.my_essay, name="my-essay"),
]
