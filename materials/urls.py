from django.urls import path

from . import views

app_name = "materials"

urlpatterns = [
    path("me/materials/", views.my_materials, name="my-materials"),
    path("me/materials/<int:pk>/", views.my_material, name="my-material"),
    path("me/materials/<int:pk>/read/", views.my_material_read, name="my-material-read"),
    path("courses/<str:code>/materials/", views.material_list, name="list"),
    path("courses/<str:code>/materials/import/", views.material_import, name="import"),
    path("courses/<str:code>/materials/import/confirm/", views.material_import_confirm, name="import-confirm"),
    path("courses/<str:code>/materials/<int:pk>/", views.material_detail, name="detail"),
    path("courses/<str:code>/sessions/<int:pk>/reading/", views.session_reading, name="session-reading"),
    path("courses/<str:code>/materials/<int:pk>/edit/", views.material_edit, name="edit"),
    path("courses/<str:code>/materials/<int:pk>/delete/", views.material_delete, name="delete"),
]
