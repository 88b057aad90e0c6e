# The discipline bulletin becomes a 公文: its 发文字号, issuing organ, 主送, opening and closing are
# stored with it. Added here empty (the number nullable); 0003 fills published rows, 0004 then
# makes the number required and unique per course. Three migrations, so that PostgreSQL never
# alters a table with updates of the same transaction pending.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('attendance', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='bulletin',
            name='number',
            field=models.PositiveIntegerField(help_text='本班通报按发布先后编号，从 1 开始', null=True, verbose_name='发文顺序号'),
        ),
        migrations.AddField(
            model_name='bulletin',
            name='doc_number',
            field=models.CharField(default='', help_text='如 县工培通〔2026〕3号', max_length=40, verbose_name='发文字号'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='bulletin',
            name='issuer',
            field=models.CharField(default='', max_length=100, verbose_name='发文机关'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='bulletin',
            name='recipients',
            field=models.CharField(default='', max_length=100, verbose_name='主送'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='bulletin',
            name='opening',
            field=models.TextField(default='', verbose_name='开头'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='bulletin',
            name='closing',
            field=models.TextField(default='', verbose_name='结尾'),
            preserve_default=False,
        ),
    ]
