"""The one clock every app reads: today's date and the present moment in the bureau's time zone.
Tests move it with time-machine (the `freeze_today` fixture), which every caller here follows."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate()
