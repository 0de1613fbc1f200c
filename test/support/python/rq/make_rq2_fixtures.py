"""Writes test/fixtures/redis/rq/2.10-*.json: RQ 2.10 layouts built from its source, not recorded.

RQ 2.x is not packaged for Debian 12, so these layouts follow rq 2.10.0's code (registry.py,
executions.py, intermediate_queue.py, results.py, worker/base.py, job.py): StartedJobRegistry
members are `<job id>:<execution id>`, each execution has an `rq:execution:<job>:<execution>`
hash with float-second times and an `rq:executions:<job>` zset, the intermediate list holds
popped-not-started jobs, results entries carry worker_name/execution data and type 4 = retried.
Each fixture's `expect` is what RQ 2.10's API would report at `recordedAt`: Queue.count = LLEN,
registry counts after their cleanup (entries whose expiry ≤ now dropped), the intermediate list
length, and worker liveness from the connections named in `clients`.

Usage: /usr/bin/python3 make_rq2_fixtures.py <output dir>
"""
import base64
import json
import pickle
import sys
import zlib
from datetime import datetime, timezone

T = 1796300000  # 2026-12-03T10:13:20Z, the fixtures' "now" in seconds
ISO = '%Y-%m-%dT%H:%M:%S.%fZ'


def iso(seconds):
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime(ISO)


def value(v):
    if isinstance(v, bytes):
        try:
            return v.decode('utf-8')
        except UnicodeDecodeError:
            return {'b64': base64.b64encode(v).decode()}
    return str(v)


def job(job_id, func, args, status, origin='default', enqueued=None, started=None, ended=None, worker='', **extra):
    fields = {
        'created_at': iso((enqueued or T) - 1), 'data': zlib.compress(pickle.dumps((func, None, tuple(args), {}), protocol=5)),
        'description': f"{func}({', '.join(map(repr, args))})", 'origin': origin, 'status': status,
        'enqueued_at': iso(enqueued) if enqueued else '', 'started_at': iso(started) if started else '',
        'ended_at': iso(ended) if ended else '', 'last_heartbeat': iso(started) if started else '',
        'worker_name': worker, 'timeout': '180', 'success_callback_name': '', 'failure_callback_name': '',
        'stopped_callback_name': '', 'group_id': '', 'number_of_retries': '0',
    }
    fields.update({k: str(v) for k, v in extra.items()})
    return {'key': f'rq:job:{job_id}', 'type': 'hash', 'fields': [[k, value(v)] for k, v in fields.items()]}


def worker(name, queues, state, current_job=None, pttl=480000):
    fields = {'birth': iso(T - 600), 'last_heartbeat': iso(T - 20), 'queues': ','.join(queues), 'pid': '4242',
              'hostname': 'rq2-host', 'ip_address': '10.0.0.2:50000', 'version': '2.10.0',
              'python_version': '3.12.3', 'state': state, 'successful_job_count': '3', 'failed_job_count': '2',
              'total_working_time': '1.25'}
    if current_job:
        fields['current_job'] = current_job
    return {'key': f'rq:worker:{name}', 'type': 'hash', 'fields': [[k, v] for k, v in fields.items()], 'pttl': pttl}


def result(job_id, entry_ms, type_, worker_name, execution_id, return_value=None, exc=None):
    fields = {'type': str(type_), 'worker_name': worker_name, 'execution_id': execution_id,
              'execution_started_at': f'{entry_ms / 1000 - 0.5:.6f}'}
    if return_value is not None:
        fields['return_value'] = base64.b64encode(pickle.dumps(return_value, protocol=5)).decode()
    if exc is not None:
        fields['exc_string'] = base64.b64encode(zlib.compress(exc.encode())).decode()
    flat = [x for kv in fields.items() for x in kv]
    return {'key': f'rq:results:{job_id}', 'type': 'stream', 'entries': [[f'{entry_ms}-0', flat]]}


def zset(key, members, pttl=None):
    out = {'key': key, 'type': 'zset', 'members': [[m, str(s)] for m, s in members]}
    if pttl:
        out['pttl'] = pttl
    return out


def executions_fixture():
    e1, e2 = 'a' * 31 + '1', 'b' * 31 + '2'
    trace = 'Traceback (most recent call last):\n  File "jobs.py", line 3, in flaky\n    raise RuntimeError("nope")\nRuntimeError: nope\n'
    keys = [
        {'key': 'rq:queues', 'type': 'set', 'members': ['rq:queue:default', 'rq:queue:reports']},
        {'key': 'rq:queue:default', 'type': 'list', 'items': ['j-w1', 'j-w2']},
        {'key': 'rq:queue:default:intermediate', 'type': 'list', 'items': ['j-r1']},
        job('j-w1', 'jobs.add', [1, 2], 'queued', enqueued=T - 30),
        job('j-w2', 'jobs.add', [3, 4], 'queued', enqueued=T - 20),
        job('j-r1', 'jobs.add', [5, 6], 'queued', enqueued=T - 40),
        job('j-run', 'jobs.sleep_for', [60], 'started', enqueued=T - 50, started=T - 35, worker='w2a'),
        job('j-lost', 'jobs.sleep_for', [60], 'started', enqueued=T - 400, started=T - 390, worker='w2b'),
        zset('rq:wip:default', [(f'j-run:{e1}', T + 55), (f'j-lost:{e2}', T - 30)]),
        {'key': f'rq:execution:j-run:{e1}', 'type': 'hash', 'pttl': 55000, 'fields': [
            ['id', e1], ['job_id', 'j-run'], ['created_at', f'{T - 35:.6f}'], ['last_heartbeat', f'{T - 5:.6f}'], ['worker_name', 'w2a']]},
        zset('rq:executions:j-run', [(e1, T + 115)], pttl=115000),
        job('j-f1', 'jobs.fail', ['boom'], 'failed', enqueued=T - 300, started=T - 299, ended=T - 298, worker='w2a'),
        job('j-fold', 'jobs.fail', ['old'], 'failed', enqueued=T - 9000, started=T - 8999, ended=T - 8998, worker='w2a'),
        zset('rq:failed:default', [('j-f1', T - 298 + 31536000), ('j-fold', T - 1)]),
        result('j-f1', (T - 298) * 1000, 2, 'w2a', 'c' * 32, exc=trace.replace('nope', 'boom').replace('RuntimeError', 'ValueError')),
        job('j-ok', 'jobs.add', [2, 5], 'finished', enqueued=T - 110, started=T - 100, ended=T - 99, worker='w2a'),
        zset('rq:finished:default', [('j-ok', T - 99 + 500)]),
        result('j-ok', (T - 99) * 1000, 1, 'w2a', 'd' * 32, return_value=7),
        job('j-s1', 'jobs.add', [7, 7], 'scheduled'),
        job('j-retry', 'jobs.flaky', ['k', 3], 'scheduled', enqueued=T - 60, started=T - 58, ended=T - 57, worker='w2a',
            number_of_retries=1, retries_left=2, retry_intervals='[30]'),
        zset('rq:scheduled:default', [('j-s1', T + 3600), ('j-retry', T + 27)]),
        result('j-retry', (T - 57) * 1000, 4, 'w2a', 'e' * 32, exc=trace),
        {'key': 'rq:workers', 'type': 'set', 'members': ['rq:worker:w2a', 'rq:worker:w2b']},
        {'key': 'rq:workers:default', 'type': 'set', 'members': ['rq:worker:w2a', 'rq:worker:w2b']},
        worker('w2a', ['default'], 'busy', current_job='j-run'),
        worker('w2b', ['default'], 'idle', pttl=300000),
    ]
    expect = {
        'default': {'waiting': 2, 'scheduled': 2, 'reserved': 1, 'running': 1, 'failed': 1, 'dead': None, 'retrying': None,
                    'oldestWaitingAt': (T - 30) * 1000, 'workers.online': 1, 'workers.busy': 1, 'workers.offline': 1},
        'reports': {'waiting': 0, 'scheduled': 0, 'reserved': 0, 'running': 0, 'failed': 0, 'dead': None, 'retrying': None,
                    'oldestWaitingAt': None, 'workers.online': 0, 'workers.busy': 0, 'workers.offline': 0},
    }
    return {
        'scenario': 'executions',
        'description': 'From rq 2.10 source: default has 2 waiting, 1 popped into the intermediate list by w2b (then SIGKILLed: '
                       'hash left, connection gone), 1 running on w2a as an execution, 1 abandoned execution past its expiry, '
                       '1 failed + 1 expired failed entry, 1 finished, 1 scheduled + 1 waiting for its retry; reports is empty',
        'clients': ['w2a'], 'keys': keys, 'expect': expect,
    }


def idle_fixture():
    keys = [
        {'key': 'rq:queues', 'type': 'set', 'members': ['rq:queue:default']},
        job('j-done', 'jobs.add', [1, 1], 'finished', enqueued=T - 50, started=T - 49, ended=T - 48, worker='w-idle'),
        zset('rq:finished:default', [('j-done', T - 48 + 500)]),
        result('j-done', (T - 48) * 1000, 1, 'w-idle', 'f' * 32, return_value=2),
        {'key': 'rq:workers', 'type': 'set', 'members': ['rq:worker:w-idle']},
        {'key': 'rq:workers:default', 'type': 'set', 'members': ['rq:worker:w-idle']},
        worker('w-idle', ['default'], 'idle'),
    ]
    expect = {'default': {'waiting': 0, 'scheduled': 0, 'reserved': 0, 'running': 0, 'failed': 0, 'dead': None, 'retrying': None,
                          'oldestWaitingAt': None, 'workers.online': 1, 'workers.busy': 0, 'workers.offline': 0}}
    return {'scenario': 'idle', 'description': 'From rq 2.10 source: one idle worker (version 2.10.0, connected) on an empty '
            'queue whose only job finished; no intermediate list exists, and 2.10 has the notion, so reserved is 0',
            'clients': ['w-idle'], 'keys': keys, 'expect': expect}


if __name__ == '__main__':
    for make in (executions_fixture, idle_fixture):
        fixture = make()
        out = {'framework': 'rq', 'version': '2.10', 'scenario': fixture['scenario'], 'description': fixture['description'],
               'recordedAt': T * 1000, 'db': 0, 'clients': fixture['clients'],
               'keys': sorted(fixture['keys'], key=lambda k: json.dumps(k['key'])), 'expect': fixture['expect']}
        with open(f"{sys.argv[1]}/2.10-{fixture['scenario']}.json", 'w') as f:
            f.write(json.dumps(out, indent=1, ensure_ascii=False) + '\n')
