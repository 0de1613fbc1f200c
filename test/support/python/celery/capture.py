"""Celery's own view of the events, for tests to compare with: celery.events.state.State (the
state keeper Flower uses) fed by app.events.Receiver. Prints `ready` after the first event,
then one JSON snapshot per line read on stdin; exits when stdin closes."""
import json
import sys
import threading
import time

from celery.events.state import State

from tsapp import app

state = State()
lock = threading.Lock()
first = threading.Event()


def on_event(event):
    with lock:
        state.event(event)
    first.set()


def receive():
    with app.connection_for_read() as conn:
        app.events.Receiver(conn, handlers={'*': on_event}).capture(limit=None, timeout=None, wakeup=False)


def snapshot():
    with lock:
        workers = {
            name: {'alive': w.alive, 'active': w.active, 'processed': w.processed, 'freq': w.freq}
            for name, w in state.workers.items()
        }
        tasks = {
            uuid: {
                'state': t.state, 'name': t.name, 'sent': t.sent, 'received': t.received, 'started': t.started,
                'succeeded': t.succeeded, 'failed': t.failed, 'retried': t.retried, 'runtime': t.runtime,
                'worker': t.worker.hostname if t.worker else None, 'routing_key': t.routing_key,
                'retries': t.retries, 'exception': t.exception,
            }
            for uuid, t in state.tasks.items()
        }
    return {'at': time.time(), 'workers': workers, 'tasks': tasks}


threading.Thread(target=receive, daemon=True).start()
first.wait()
print('ready', flush=True)
for _ in sys.stdin:
    print(json.dumps(snapshot()), flush=True)
