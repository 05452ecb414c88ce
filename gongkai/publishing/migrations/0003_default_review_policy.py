"""动态要闻 needs two review steps (the drafting unit's, then the office's); every other kind
keeps the default of all three until the office says otherwise."""

from django.db import migrations

DEFAULTS = {"news": ["initial", "final"]}


def add_defaults(apps, schema_editor):
    ReviewPolicy = apps.get_model("publishing", "ReviewPolicy")
    for kind, stages in DEFAULTS.items():
        ReviewPolicy.objects.get_or_create(kind=kind, defaults={"stages": stages})


def remove_defaults(apps, schema_editor):
    ReviewPolicy = apps.get_model("publishing", "ReviewPolicy")
    for kind, stages in DEFAULTS.items():
        ReviewPolicy.objects.filter(kind=kind, stages=stages).delete()


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_document_round_and_interpretation_fields")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
