from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background jobs (large imports) as they arrive; --batch stops when the queue is empty."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="work off the queue, then stop")

    def handle(self, *args, batch, **options):
        arguments = ["--no-reload", "--interval", "1"]
        if batch:
            arguments += ["--batch", "--no-startup-delay"]
        call_command("db_worker", *arguments)
