# Lifecycle: removals (with cause), appeals against them, plan consent; one live appeal per object.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('screening', '0002_bundled_rules_and_threats'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='correctiveactionplan',
            name='consents_to_unannounced_visits',
            field=models.BooleanField(default=False),
        ),
        migrations.AlterField(
            model_name='correctiveactionplan',
            name='status',
            field=models.CharField(choices=[('submitted', 'Submitted, awaiting review'), ('accepted', 'Accepted'), ('rejected', 'Rejected')], default='submitted', max_length=10),
        ),
        migrations.AlterField(
            model_name='suspension',
            name='end_kind',
            field=models.CharField(blank=True, choices=[('reinstated', 'Reinstated'), ('removed', 'Removed'), ('overturned', 'Overturned on appeal'), ('withdrawn', 'Company withdrew')], max_length=12),
        ),
        migrations.CreateModel(
            name='Removal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cause', models.CharField(choices=[('security_incident', 'Security incident (e.g. a narcotics seizure)'), ('failed_validation', 'Failed validation'), ('missed_annual_review', 'Missed annual profile review'), ('false_information', 'False or misleading information'), ('criteria_not_met', 'No longer meets the minimum security criteria')], max_length=24)),
                ('reason', models.TextField(max_length=4000)),
                ('removed_at', models.DateTimeField()),
                ('appeal_due', models.DateField(blank=True, null=True)),
                ('overturned_at', models.DateTimeField(blank=True, null=True)),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='removals', to='partners.partner')),
                ('removed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('suspension', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='screening.suspension')),
            ],
            options={
                'ordering': ['-removed_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='appeal',
            name='removal',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='screening.removal'),
        ),
        migrations.AddConstraint(
            model_name='appeal',
            constraint=models.UniqueConstraint(condition=models.Q(('decision__isnull', False), models.Q(('status', 'withdrawn'), _negated=True)), fields=('decision',), name='one_live_appeal_per_decision'),
        ),
        migrations.AddConstraint(
            model_name='appeal',
            constraint=models.UniqueConstraint(condition=models.Q(('suspension__isnull', False), models.Q(('status', 'withdrawn'), _negated=True)), fields=('suspension',), name='one_live_appeal_per_suspension'),
        ),
        migrations.AddConstraint(
            model_name='appeal',
            constraint=models.UniqueConstraint(condition=models.Q(('removal__isnull', False), models.Q(('status', 'withdrawn'), _negated=True)), fields=('removal',), name='one_live_appeal_per_removal'),
        ),
    ]
