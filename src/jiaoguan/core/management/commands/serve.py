import os
import subprocess
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Jiaoguan with gunicorn on 127.0.0.1 and run the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--no-worker", action="store_true", help="do not start the background worker")

    def handle(self, *args, port, host, workers, no_worker, **options):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jiaoguan.config.settings"}
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "jiaoguan.manage", "worker"], env=env)
        self.stdout.write(f"Jiaoguan on http://{host}:{port}/ (Ctrl+C stops it)")
        try:
            subprocess.run([
                sys.executable, "-m", "gunicorn", "jiaoguan.config.wsgi", "--bind", f"{host}:{port}",
                "--workers", str(workers), "--threads", "4", "--access-logfile", "-", "--timeout", "120",
            ], env=env, check=False)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
