from django.contrib import admin, messages

from . import services
from .models import Course, Enrollment, Lecturer, LoginLock, Membership, Organization, Session, Trainee


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "created_at"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__first_name", "organization__name"]
    autocomplete_fields = ["user", "organization"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ["kind", "title", "lecturer", "room", "starts_at", "ends_at", "credit_hours"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "organization", "venue", "start_date", "end_date", "status"]
    list_filter = ["status", "organization", "start_date"]
    search_fields = ["code", "name", "venue"]
    date_hierarchy = "start_date"
    filter_horizontal = ["advisors"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "kind", "lecturer", "room", "starts_at", "ends_at", "credit_hours"]
    list_filter = ["kind", "course"]
    search_fields = ["title", "lecturer", "course__code", "course__name"]
    list_select_related = ["course"]
    date_hierarchy = "starts_at"


@admin.register(Trainee)
class TraineeAdmin(admin.ModelAdmin):
    """The ID number is never shown in full, not even here; it is set by import or the edit page."""

    list_display = ["name", "gender", "phone", "work_unit", "position", "political_status", "id_number_masked"]
    list_filter = ["gender", "political_status", "ethnicity"]
    search_fields = ["name", "phone", "work_unit"]
    exclude = ["id_number", "access_code", "user"]
    readonly_fields = ["id_number_masked", "created_at", "updated_at"]
    actions = ["reset_access_codes"]

    @admin.display(description="身份证号码")
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.action(description="重置所选学员的登录码")
    def reset_access_codes(self, request, queryset):
        done = 0
        for trainee in queryset:
            latest = trainee.enrollments.select_related("course").order_by("-course__start_date").first()
            course = latest.course if latest else None  # whose audit log shows the reset
            try:
                services.trainee_access_code_reset(trainee=trainee, by=request.user, course=course)
            except services.DomainError as error:  # the course is archived
                messages.error(request, f"{trainee.name}：{error.message}")
            else:
                done += 1
        messages.success(request, f"已重置 {done} 位学员的登录码。")


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student_no", "trainee", "course", "group", "status", "created_at"]
    list_filter = ["status", "course", "group"]
    search_fields = ["student_no", "trainee__name", "trainee__phone", "course__code"]
    list_select_related = ["trainee", "course"]
    raw_id_fields = ["trainee"]


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    list_display = ["key", "failures", "last_failure_at", "locked_until"]
    search_fields = ["key"]
    readonly_fields = ["key", "failures", "last_failure_at"]


@admin.register(Lecturer)
class LecturerAdmin(admin.ModelAdmin):
    """Read here; organizers keep the 师资库 on its own pages (/orgs/<pk>/lecturers/)."""

    list_display = ["name", "title", "unit", "rank", "fee_rate", "organization", "is_active"]
    list_filter = ["organization", "rank", "is_active"]
    search_fields = ["name", "unit", "title"]
