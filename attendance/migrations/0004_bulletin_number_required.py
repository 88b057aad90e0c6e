from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('attendance', '0003_bulletin_document_values'),
    ]

    operations = [
        migrations.AlterField(
            model_name='bulletin',
            name='number',
            field=models.PositiveIntegerField(help_text='本班通报按发布先后编号，从 1 开始', verbose_name='发文顺序号'),
        ),
        migrations.AddConstraint(
            model_name='bulletin',
            constraint=models.UniqueConstraint(fields=('course', 'number'), name='bulletin_unique_number'),
        ),
    ]
