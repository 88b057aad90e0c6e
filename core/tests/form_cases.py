"""The invalid values core/tests/test_form_errors.py posts: per form class, the target (a page of
that test's TARGETS), the field where the error must appear, and the value."""

from django.core.files.uploadedfile import SimpleUploadedFile

import assessment.forms
import attendance.forms
import completion.forms
import documents.forms
import evaluation.forms
import lodging.forms
import materials.forms
import notifications.forms
import registration.forms
import training.forms

OVERFLOW = "9" * 25  # beyond any database integer
LONG = "长" * 1001
NUL, VT = "\x00", "\x0b"

# form class → [(target, field, invalid value), …]; the field is where the error must appear.
CASES = {
    training.forms.CourseForm: [
        ("course-create", "code", "青山2026"),
        ("course-create", "code", "QS" + NUL),
        ("course-create", "name", "班" * 61),
        ("course-create", "venue", LONG),
        ("course-create", "description", "说" + VT + "明"),
        ("course-create", "start_date", "2026-02-30"),
        ("course-create", "min_attendance_percent", "150"),
        ("course-create", "max_leave_percent", "-5"),
        ("course-create", "checkin_opens_minutes", OVERFLOW),
        ("course-create", "max_absences", OVERFLOW),
        ("course-create", "leave_advisor_max_hours", "-1"),
        ("course-create", "allowed_networks", "党校内网"),
        ("course-create", "allowed_networks", "10.20.0.0/33"),
        ("course-create", "bulletin_number_prefix", "县〔通〕"),
        ("course-create", "webhook_url", "这不是网址"),
        ("course-edit", "min_attendance_percent", "101"),
        ("course-edit", "allowed_networks", "党校内网"),
        ("course-edit", "grace_minutes", "61"),
        ("course-edit", "reminder_minutes", OVERFLOW),
        ("course-edit", "end_date", "2026-11-31"),
        ("course-edit", "name", "班" + NUL),
    ],
    training.forms.SessionForm: [
        ("session-create", "date", "2026-02-30"),
        ("session-create", "start_time", "25:99"),
        ("session-create", "credit_hours", "-1"),
        ("session-create", "credit_hours", "99999"),
        ("session-create", "title", LONG),
        ("session-create", "title", "讲座" + NUL),
        ("session-create", "kind", "音乐会"),
        ("session-create", "lecturers", OVERFLOW),
        ("session-create", "lecturers", "第一位"),
        ("session-create", "lecturers", "999999"),  # no such lecturer, or another organization's
        ("session-create", "new_lecturer_name", "王" + NUL),
        ("session-create", "new_lecturer_name", "王" * 41),
        ("session-create", "new_lecturer_name", "王建国2"),
        ("session-create", "new_lecturer_title", "职" * 61),
        ("session-create", "new_lecturer_unit", "单" + VT + "位"),
    ],
    training.forms.LecturerForm: [
        ("lecturer-create", "name", ""),
        ("lecturer-create", "name", "刘" + NUL),
        ("lecturer-create", "name", "刘" * 41),
        ("lecturer-create", "title", "职" * 61),
        ("lecturer-create", "unit", LONG),
        ("lecturer-create", "topics", "专" + VT + "题"),
        ("lecturer-create", "rank", "教授级"),
        ("lecturer-create", "fee_rate", "-1"),
        ("lecturer-create", "fee_rate", OVERFLOW),
        ("lecturer-create", "fee_rate", "五百"),
        ("lecturer-create", "fee_rate", "500.123"),
        ("lecturer-edit", "fee_rate", "-0.01"),
        ("lecturer-edit", "name", "刘文华"),  # already in the pool with this unit
    ],
    training.forms.RosterUploadForm: [
        ("roster-import", "file", None),
        ("roster-import", "file", SimpleUploadedFile("名单.exe", b"MZ\x00\x01")),
        ("roster-import", "file", SimpleUploadedFile("名单.csv", b"\x00\x01\x02\xff\xfe")),
    ],
    training.forms.TraineeAddForm: [
        ("trainee-add", "phone", "1380013800x"),
        ("trainee-add", "phone", "1" * 30),
        ("trainee-add", "name", "张" + NUL),
        ("trainee-add", "name", "张" * 101),
        ("trainee-add", "id_number", "12345"),
        ("trainee-add", "ethnicity", "族" * 21),
        ("trainee-add", "work_unit", LONG),
        ("trainee-add", "group", "组" * 21),
        ("trainee-add", "student_no", "学" + VT + "号"),
        ("trainee-add", "gender", "未知"),
    ],
    training.forms.TraineeForm: [
        ("enrollment-edit", "t-phone", "１３９"),
        ("enrollment-edit", "t-name", "张" + VT + "文"),
        ("enrollment-edit", "t-position", LONG),
    ],
    training.forms.EnrollmentForm: [
        ("enrollment-edit", "e-group", "组" + NUL),
        ("enrollment-edit", "e-student_no", "1" * 21),
        ("enrollment-edit", "e-status", "逃课"),
    ],
    training.forms.StaffAddForm: [
        ("staff-add", "username", "王海涛"),
        ("staff-add", "username", "organizer"),
        ("staff-add", "username", "x" * 31),
        ("staff-add", "name", "王" + NUL),
        ("staff-add", "name", ""),
        ("staff-add", "role", "超级管理员"),
    ],
    training.forms.OrganizationForm: [
        ("organization", "name", ""),
        ("organization", "name", "单" + VT + "位"),
        ("organization", "name", LONG),
        ("organization", "short_name", "简" * 21),
        ("organization", "seal", SimpleUploadedFile("印章.png", b"\x89PNG not really")),
        ("organization", "seal", SimpleUploadedFile("印章.jpg", b"\xff\xd8\xff\xe0JFIF")),
        ("organization", "fee_cap_deputy", "-1"),
        ("organization", "fee_cap_senior", OVERFLOW),
        ("organization", "fee_cap_other", "三百"),
        ("organization", "lecture_tax_rule", "随便"),
    ],
    training.forms.CourseReopenForm: [
        ("course-reopen", "reason", None),
        ("course-reopen", "reason", "补录" + NUL),
        ("course-reopen", "reason", LONG),
    ],
    training.forms.TraineeLoginForm: [
        ("trainee-login", "phone", "电话" + NUL),
        ("trainee-login", "phone", "１３９"),
        ("trainee-login", "access_code", "1" * 13),
    ],
    training.forms.StaffLoginForm: [
        ("staff-login", "username", "admin" + NUL),
        ("staff-login", "password", "密" + VT + "码"),
    ],
    attendance.forms.RollcallMarkForm: [
        ("rollcall-mark", "enrollment", OVERFLOW),
        ("rollcall-mark", "enrollment", "张丽华"),
        ("rollcall-mark", "action", "旷课"),
        ("rollcall-mark", "reason", "点名" + NUL),
        ("rollcall-mark", "reason", LONG),
    ],
    attendance.forms.ReasonForm: [
        ("rollcall-all", "reason", "点名" + NUL),
        ("rollcall-all", "reason", LONG),
        ("discipline-void", "reason", "原" + VT + "因"),
        ("discipline-void", "reason", LONG),
    ],
    attendance.forms.BadgeScanForm: [
        ("badge-scan", "code", "胸牌" + NUL),
        ("badge-scan", "code", LONG),
        ("badge-scan", "mode", "飞"),
    ],
    attendance.forms.LeaveRequestForm: [
        ("leave-new", "reason", "发" + VT + "烧"),
        ("leave-new", "reason", LONG),
        ("leave-new", "kind", "婚假"),
        ("leave-new", "sessions", OVERFLOW),
        ("leave-new", "sessions", "第一课"),
    ],
    attendance.forms.LeaveDecisionForm: [
        ("leave-decide", "approve", "也许"),
        ("leave-decide", "comment", "同意" + NUL),
        ("leave-decide", "comment", LONG),
    ],
    attendance.forms.DisciplineForm: [
        ("discipline", "points", "101"),
        ("discipline", "points", "-1"),
        ("discipline", "points", OVERFLOW),
        ("discipline", "minutes_out", "0"),
        ("discipline", "enrollment", OVERFLOW),
        ("discipline", "session", "上午"),
        ("discipline", "note", "说" + VT + "明"),
        ("discipline", "note", LONG),
    ],
    attendance.forms.BulletinForm: [
        ("bulletin", "day", "2026-02-30"),
        ("bulletin", "title", LONG),
        ("bulletin", "recipients", "："),
        ("bulletin", "opening", "开头" + NUL),
        ("bulletin", "closing", LONG),
    ],
    materials.forms.MaterialUploadForm: [
        ("material-import", "files", None),
        ("material-import", "files", [SimpleUploadedFile(f"{i}.txt", "讲话".encode()) for i in range(21)]),
    ],
    materials.forms.ImportSessionsForm: [
        ("material-import-confirm", "sessions", OVERFLOW),
        ("material-import-confirm", "sessions", "第一课"),
    ],
    materials.forms.MaterialForm: [
        ("material-edit", "title", LONG),
        ("material-edit", "title", "讲话" + NUL),
        ("material-edit", "speaker", "王" + VT + "文"),
        ("material-edit", "date", "2026-02-30"),
        ("material-edit", "release_at", "明天上午"),
        ("material-edit", "sessions", OVERFLOW),
    ],
    completion.forms.CompletionOverrideForm: [
        ("completion-override", "eligible", "也许"),
        ("completion-override", "reason", ""),
        ("completion-override", "reason", "补交" + NUL),
        ("completion-override", "reason", LONG),
    ],
    completion.forms.AppraisalForm: [
        ("appraisal", "advisor_text", ""),
        ("appraisal", "advisor_text", LONG),
        ("appraisal", "advisor_text", "学习认真" + NUL),
        ("appraisal", "organizer_opinion", "同意" + VT + "结业"),
        ("appraisal", "organizer_opinion", "意" * 301),
    ],
    completion.forms.AppraisalsDraftForm: [
        ("appraisals-draft", "opinion", "意" * 301),
        ("appraisals-draft", "opinion", "同意结业" + NUL),
    ],
    documents.forms.SummaryForm: [
        ("summary", "body", ""),
        ("summary", "body", "总结" + NUL),
        ("summary", "body", "长" * 20001),
    ],
    completion.forms.CertificateChangeForm: [
        ("certificate-change", "action", "烧毁"),
        ("certificate-change", "reason", "有误" + NUL),
        ("certificate-change", "reason", LONG),
    ],
    evaluation.forms.AnswerForm: [
        ("evaluation-answer", "s_targeted", "6"),
        ("evaluation-answer", "s_targeted", None),
        ("evaluation-answer", "c_comment", LONG),
        ("evaluation-answer", "c_comment", "好" + NUL),
    ],
    evaluation.forms.FormEditForm: [
        ("evaluation-form-edit", "scale", "7"),
        ("evaluation-form-edit", "title", LONG),
        ("evaluation-form-edit", "items", ""),
        ("evaluation-form-edit", "items", "甲\n甲"),
        ("evaluation-form-edit", "questions", "问" + VT + "题"),
    ],
    evaluation.forms.SettingsForm: [
        ("evaluation-settings", "close_hours", "0"),
        ("evaluation-settings", "close_hours", OVERFLOW),
        ("evaluation-settings", "comment_threshold", "1"),
        ("evaluation-settings", "opens_before_minutes", "-1"),
    ],
    notifications.forms.EvaluationRemindForm: [
        ("evaluation-remind", "session", "第一课"),
        ("evaluation-remind", "session", OVERFLOW),
        ("evaluation-remind", "back", "http://example.com/"),
    ],
    registration.forms.UnitForm: [
        ("unit-create", "name", ""),
        ("unit-create", "name", "单" * 101),
        ("unit-create", "name", "县医院工会"),  # the organization has it already
        ("unit-create", "contact", "刘" + NUL),
        ("unit-create", "phone", "0" * 31),
        ("unit-create", "email", "不是邮箱"),
    ],
    registration.forms.QuotaForm: [
        ("quotas", "deadline", "2026-02-30T17:00"),
        ("quotas", "deadline", "明天下午"),
    ],
    registration.forms.NomineeForm: [
        ("nominee", "phone", "1380013800x"),
        ("nominee", "phone", "1.38001E+10"),
        ("nominee", "phone", "13800138000"),  # put forward already
        ("nominee", "name", "张三3"),
        ("nominee", "name", "张" + NUL),
        ("nominee", "name", ""),
        ("nominee", "gender", "X"),
        ("nominee", "political_status", "黑帮"),
        ("nominee", "ethnicity", "族" * 21),
        ("nominee", "position", LONG),
        ("nominee", "id_number", "430121199001010010"),
        ("nominee", "diet", "荤素不忌"),
        ("nominee", "needs_room", "2"),
        ("nominee", "diet_note", "清" + VT + "真"),
    ],
    registration.forms.NoticeForm: [
        ("notice", "doc_number", "县工发2026年9号"),
        ("notice", "doc_number", "县工发〔2026〕第0号"),
        ("notice", "doc_number", "号" * 41),
        ("notice", "signed_on", "2026-02-30"),
        ("notice", "title", ""),
        ("notice", "title", "通" * 101),
        ("notice", "recipients", "各乡镇" + NUL),
        ("notice", "purpose", LONG),
        ("notice", "arrival", ""),
        ("notice", "contacts", "李" + VT + "娟"),
    ],
    registration.forms.ReturnForm: [
        ("nominee-return", "comment", ""),
        ("nominee-return", "comment", LONG),
        ("nominee-return", "comment", "请" + NUL),
    ],
    registration.forms.WithdrawForm: [
        ("nominee-withdraw", "comment", ""),
        ("nominee-withdraw", "comment", LONG),
        ("nominee-withdraw", "comment", "因" + NUL),
    ],
    registration.forms.ExtraForm: [
        ("quota-extra", "extra", "-1"),
        ("quota-extra", "extra", OVERFLOW),
        ("quota-extra", "extra", "五"),
    ],
    lodging.forms.ArrivalScanForm: [
        ("desk-scan", "code", ""),
        ("desk-scan", "code", "B1-FORGED"),
        ("desk-scan", "code", "B1" + NUL),
        ("desk-scan", "code", LONG),
    ],
    lodging.forms.ArrivalMarkForm: [
        ("desk-mark", "enrollment", "999999"),
        ("desk-mark", "enrollment", OVERFLOW),
        ("desk-mark", "enrollment", "张三"),
    ],
    lodging.forms.SettingsForm: [
        ("lodging-settings", "handout", "手" + VT + "册"),
        ("lodging-settings", "handout", LONG),
        ("lodging-settings", "cutoff_20261120_lunch", "2026-02-30T09:00"),
        ("lodging-settings", "cutoff_20261120_lunch", "2026-11-20T13:00"),  # after the meal
        ("lodging-settings", "canteen_email", "食堂@"),
        ("lodging-settings", "canteen_phone", "1" * 31),
        ("lodging-settings", "canteen_contact", "王" + NUL),
    ],
    lodging.forms.StayForm: [
        ("stay-edit", "diet", "火星餐"),
        ("stay-edit", "diet_note", "辣" * 61),
        ("stay-edit", "needs_room", "2"),
        ("stay-edit", "meals", "20991231_lunch"),
    ],
    lodging.forms.RoomsAddForm: [
        ("rooms-add", "lines", ""),
        ("rooms-add", "lines", "1号楼 2层 201-205 豪华套房"),
        ("rooms-add", "lines", "1号楼 2层 201 双人间"),  # exists already
        ("rooms-add", "lines", "1号楼" + NUL),
    ],
    lodging.forms.RoomForm: [
        ("room-edit", "beds", "9"),
        ("room-edit", "floor", OVERFLOW),
        ("room-edit", "gender", "X"),
        ("room-edit", "number", "号" * 11),
    ],
    lodging.forms.AutoAssignForm: [("rooms-assign", "keep", "everyone")],
    lodging.forms.RoomMoveForm: [
        ("room-move", "room", "999999"),
        ("room-move", "enrollment", OVERFLOW),
    ],
    lodging.forms.MyMealForm: [
        ("my-meal", "meal", "昨天_lunch"),
        ("my-meal", "meal", "20991231_lunch"),
        ("my-meal", "eats", "maybe"),
    ],
    assessment.forms.PlanForm: [
        ("assessment-plan", "pass_mark", "101"),
        ("assessment-plan", "pass_mark", OVERFLOW),
        ("assessment-plan", "weight_test", "-1"),
        ("assessment-plan", "weight_test", "九十"),
        ("assessment-plan", "weight_test", "50"),  # the weights add up to 110
        ("assessment-plan", "pass_essay", "60.55"),
        ("assessment-plan", "essay_due_at", "2026-02-30T17:00"),
    ],
    assessment.forms.ScoreGridForm: [
        ("assessment-scores", "s_001", "101"),
        ("assessment-scores", "s_001", "八十"),
        ("assessment-scores", "s_001", OVERFLOW),
        ("assessment-scores", "s_001", "-0.5"),
    ],
    assessment.forms.ScoreImportForm: [
        ("assessment-import", "file", None),
        ("assessment-import", "file", SimpleUploadedFile("成绩.exe", b"MZ\x00\x01")),
        ("assessment-import", "file", SimpleUploadedFile("成绩.csv", "学号,成绩\n001,优\n".encode())),
        ("assessment-import", "file", SimpleUploadedFile("成绩.csv", "学号,成绩\n999,80\n".encode())),
    ],
    assessment.forms.EssayGradeForm: [
        ("essay-grade", "score", "101"),
        ("essay-grade", "score", None),
        ("essay-grade", "score", OVERFLOW),
        ("essay-grade", "comment", "评" * 301),
        ("essay-grade", "comment", "好" + NUL),
    ],
    assessment.forms.DiscussionForm: [
        ("discussion", "group", "第九组"),
        ("discussion", "topic", LONG),
        ("discussion", "topic", "题" + VT + "目"),
        ("discussion", "recorder", OVERFLOW),
        ("discussion", "recorder", "999999"),
        ("discussion", "held_at", "2026-11-31T10:00"),
        ("discussion", "summary", "长" * 5001),
    ],
    assessment.forms.MyEssayForm: [
        ("my-essay", "title", "题" * 61),
        ("my-essay", "body", "心" + NUL + "得"),
        ("my-essay", "body", "心" * 20001),
        ("my-essay", "file", SimpleUploadedFile("心得.exe", b"MZ\x00\x01")),
        ("my-essay", "file", SimpleUploadedFile("心得.pdf", b"not a pdf")),
    ],
}
