"""jiaoguan registry_snapshot   — keep today's figures of the registry (run daily, docs/deployment.md)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Keep today's statistical figures of the registry, so that summaries of this period quote them later."

    def handle(self, *args, **options):
        from jiaoguan.registry.snapshots import take

        snapshot = take()
        totals = snapshot.figures["totals"]
        self.stdout.write(f"{snapshot.day}: {totals['schools']} schools, {totals['students']} students, "
                          f"{totals['teachers']} teachers, {totals['classes']} classes")
