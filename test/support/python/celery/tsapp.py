"""A small Celery app for task-status's integration tests, configured by environment.

TS_BROKER_URL      broker URL (required), e.g. redis://127.0.0.1:6390/3
TS_BACKEND_URL     result backend URL (optional)
TS_KEYPREFIX       broker global_keyprefix (optional)
TS_PRIORITY_STEPS  comma list, e.g. 0,1,2,3,4,5,6,7,8,9 (optional)
TS_SEP             priority separator (optional)
TS_TRACK_STARTED   1 to set task_track_started
TS_RESULT_EXTENDED 1 to set result_extended
TS_SENT_EVENT      1 to set task_send_sent_event (producer side)
TS_SERIALIZER      json (default) or pickle, for tasks and results
TS_PROTOCOL        task protocol, 2 (default) or 1
TS_PREFETCH        worker_prefetch_multiplier (default 4)
TS_ACKS_LATE       1 to set task_acks_late
TS_FANOUT_PREFIX   0 to set the broker transport option fanout_prefix=False (events without /<db>.)
"""
import builtins
import os
import time

from celery import Celery


def _flag(name):
    return os.environ.get(name, '') == '1'


app = Celery('tsapp', broker=os.environ['TS_BROKER_URL'], backend=os.environ.get('TS_BACKEND_URL') or None)

transport = {}
if os.environ.get('TS_KEYPREFIX'):
    transport['global_keyprefix'] = os.environ['TS_KEYPREFIX']
if os.environ.get('TS_PRIORITY_STEPS'):
    transport['priority_steps'] = [int(s) for s in os.environ['TS_PRIORITY_STEPS'].split(',')]
if os.environ.get('TS_SEP'):
    transport['sep'] = os.environ['TS_SEP']
if os.environ.get('TS_FANOUT_PREFIX') == '0':
    transport['fanout_prefix'] = False

serializer = os.environ.get('TS_SERIALIZER', 'json')
app.conf.update(
    broker_transport_options=transport,
    task_track_started=_flag('TS_TRACK_STARTED'),
    result_extended=_flag('TS_RESULT_EXTENDED'),
    task_send_sent_event=_flag('TS_SENT_EVENT'),
    task_serializer=serializer,
    result_serializer=serializer,
    # Pickle only when asked: a worker that accepts pickle refuses to run as root without C_FORCE_ROOT.
    accept_content=['json', 'pickle'] if serializer == 'pickle' else ['json'],
    result_accept_content=['json', 'pickle'] if serializer == 'pickle' else ['json'],
    task_protocol=int(os.environ.get('TS_PROTOCOL', '2')),
    worker_prefetch_multiplier=int(os.environ.get('TS_PREFETCH', '4')),
    task_acks_late=_flag('TS_ACKS_LATE'),
    result_expires=3600,
    broker_connection_retry_on_startup=True,
)


@app.task
def add(x, y):
    return x + y


@app.task
def fail(message):
    raise ValueError(message)


@app.task
def sleep(seconds):
    time.sleep(seconds)
    return seconds


@app.task(bind=True, max_retries=5)
def flaky(self, failures, succeed=True, countdown=0.2, cause='RuntimeError'):
    """Retries `failures` times (`countdown` s apart), then succeeds, or fails when `succeed` is false.
    Each retry's cause is `<cause>('attempt <n>')` (RuntimeError, or KeyError as a KeyError prints its repr)."""
    if self.request.retries < failures:
        exc = (KeyError if cause == 'KeyError' else RuntimeError)(f'attempt {self.request.retries}')
        raise self.retry(exc=exc, countdown=countdown)
    if not succeed:
        raise RuntimeError('gave up')
    return self.request.retries


def exception_of(name, *args):
    """The exception `raise_exc` raises: a builtin by name, or one of this module's classes."""
    cls = _own.get(name) or getattr(builtins, name, None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        raise TypeError(f'not an exception class: {name}')
    return cls(*args)


class Outer:
    class Nested(Exception):
        """A nested exception class: Celery stores its __qualname__ (`Outer.Nested`)."""


class Shouted(Exception):
    """An exception whose str() is its own, not its arguments'."""

    def __str__(self):
        return f'{self.args[0]}!'.upper()


_own = {'Outer.Nested': Outer.Nested, 'Shouted': Shouted}


@app.task
def raise_exc(name, *args):
    """Raises `exception_of(name, *args)`."""
    raise exception_of(name, *args)
