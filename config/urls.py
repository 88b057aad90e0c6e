from django.contrib import admin
from django.urls import include, path

from training import views as training_views

admin.site.site_header = "工会干部培训班管理系统"
admin.site.site_title = "培训班管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", training_views.home, name="home"),
    path("healthz", training_views.healthz, name="healthz"),
    path("", include("training.urls")),
    path("", include("attendance.urls")),
    path("", include("materials.urls")),
    path("", include("registration.urls")),
    path("", include("assessment.urls")),
    path("", include("completion.urls")),
    path("", include("evaluation.urls")),
    path("", include("lodging.urls")),
    path("", include("notifications.urls")),
    path("", include("documents.urls")),
    path("admin/", admin.site.urls),
]
