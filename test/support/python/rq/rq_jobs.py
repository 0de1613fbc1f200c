"""Jobs the RQ tests run on real workers (Debian's python3-rq 1.13)."""
import datetime
import time

from rq import get_current_job


def add(a, b):
    return a + b


def echo(*args, **kwargs):
    return {'args': list(args), 'kwargs': kwargs}


def fail(message):
    raise ValueError(message)


def sleep_for(seconds):
    time.sleep(seconds)
    return seconds


def flaky(key, failures):
    """Fails `failures` times (counted in Redis under `key`), then succeeds."""
    job = get_current_job()
    attempt = job.connection.incr(key)
    if attempt <= failures:
        raise RuntimeError(f'attempt {attempt} of {key} fails on purpose')
    return attempt


def when():
    return datetime.datetime(2020, 1, 2, 3, 4, 5)
