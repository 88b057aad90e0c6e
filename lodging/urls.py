from django.urls import path

from . import views

app_name = "lodging"

urlpatterns = [
    path("me/courses/<str:code>/stay/", views.my_stay, name="my-stay"),
    path("me/courses/<str:code>/meals/", views.my_meal, name="my-meal"),
    path("courses/<str:code>/arrival/", views.desk, name="desk"),
    path("courses/<str:code>/arrival/stats/", views.desk_stats, name="desk-stats"),
    path("courses/<str:code>/rooms/", views.rooms, name="rooms"),
    path("courses/<str:code>/rooms/add/", views.rooms_add, name="rooms-add"),
    path("courses/<str:code>/rooms/assign/", views.rooms_assign, name="rooms-assign"),
    path("courses/<str:code>/rooms/move/", views.room_move, name="room-move"),
    path("courses/<str:code>/rooms/<int:pk>/", views.room_edit, name="room-edit"),
    path("courses/<str:code>/stays/<int:pk>/", views.stay_edit, name="stay-edit"),
    path("courses/<str:code>/meals/", views.meals, name="meals"),
    path("courses/<str:code>/meals/xlsx/", views.meals_xlsx, name="meals-xlsx"),
    path("courses/<str:code>/lodging/settings/", views.settings_edit, name="settings"),
]
