from django.core.management.base import BaseCommand

from demo import loader
from training import demo


class Command(BaseCommand):
    help = "载入演示数据：青山县总工会在县委党校举办的三天培训班（课表、48名学员、学习材料、第一天的考勤记录、组织者和班主任账户）。重复运行不做改动。"

    def handle(self, *args, **options):
        result = loader.load()
        course = result.course
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"已载入演示培训班 {course.code}“{course.name}”。"))
        else:
            self.stdout.write(f"演示培训班 {course.code} 已存在，未做改动。")
        self.stdout.write(
            f"  {course.venue}，{course.start_date:%Y-%m-%d} 至 {course.end_date:%Y-%m-%d}，"
            f"{course.sessions.count()} 个课次，{course.enrollments.count()} 名学员，{course.materials.count()} 份学习材料。\n"
            "演示账户：\n"
            f"  组织者     用户名 organizer  密码 {demo.PASSWORD}   （工作人员登录 /staff/login/）\n"
            f"  班主任     用户名 advisor    密码 {demo.PASSWORD}\n"
            f"  系统管理员 用户名 admin      密码 {demo.PASSWORD}   （管理后台 /admin/）"
        )
        if result.trainee:
            self.stdout.write(
                f"  学员       {result.trainee.name}  手机号 {result.trainee.phone}  登录码 {result.trainee.access_code}"
                "   （学员登录 /login/）"
            )
