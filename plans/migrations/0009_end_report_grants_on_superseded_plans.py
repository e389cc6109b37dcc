"""End the grants to report progress on actions of plan versions already superseded: from now
on plan_publish ends them as it supersedes a version (issue 17), and these were left behind."""

from django.db import migrations


def end_grants(apps, schema_editor):
    Permission = apps.get_model("plans", "PlanActionGroupObjectPermission")
    Permission.objects.filter(content_object__plan__status="superseded").delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_measure_series_and_priority_evidence")]

    operations = [migrations.RunPython(end_grants, migrations.RunPython.noop)]
