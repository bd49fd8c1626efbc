import os
import signal
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
        children = []
        if not no_worker:
            children.append(subprocess.Popen([sys.executable, "-m", "jiaoguan.manage", "worker"], env=env))
        children.append(subprocess.Popen([
            sys.executable, "-m", "gunicorn", "jiaoguan.config.wsgi", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--threads", "4", "--access-logfile", "-", "--timeout", "120",
        ], env=env))

        def stop(signum, frame):
            raise KeyboardInterrupt

        # Stopping `jiaoguan serve` (Ctrl+C or a plain kill) stops the server and the worker with it.
        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Jiaoguan on http://{host}:{port}/ (Ctrl+C stops it)")
        try:
            children[-1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
