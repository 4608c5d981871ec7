"""Progress lines while the bench runs, stamped with the time of day so that slow steps show."""

import time


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)
