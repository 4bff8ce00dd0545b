from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

LOGINS = Path(settings.BASE_DIR) / "var" / "demo-logins.txt"


class Command(RunserverCommand):
    help = "runserver that prints the demo logins (written by load_demo_data --logins-file) after its own banner."

    def on_bind(self, server_port):
        super().on_bind(server_port)
        if LOGINS.exists():
            self.stdout.write(LOGINS.read_text(encoding="utf-8"))
