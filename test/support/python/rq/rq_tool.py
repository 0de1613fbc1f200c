"""What the RQ tests ask RQ itself: enqueue jobs, report counts and workers, show one job.

Usage: rq_tool.py <redis url with db> <command> <json argument>
  enqueue  [{queue, func, args?, kwargs?, at_front?, retry?: {max, interval}, enqueue_in?, job_id?,
             result_ttl?, description?, depends_on?, datetime_kwarg?}, ...]  → [job ids]
  report   [queue names]  → {queues: {name: counts}, workers: [...]}   (RQ's counts run its cleanup)
  job      "<id>"          → the job as RQ's API reads it
"""
import json
import sys
from datetime import datetime, timedelta

from redis import Redis
from rq import Queue, Retry, Worker
from rq.job import Job

import rq_jobs


def enqueue(conn, specs):
    ids = []
    for spec in specs:
        queue = Queue(spec['queue'], connection=conn)
        options = {k: spec[k] for k in ('at_front', 'job_id', 'result_ttl', 'description', 'depends_on') if k in spec}
        if 'retry' in spec:
            options['retry'] = Retry(max=spec['retry']['max'], interval=spec['retry'].get('interval', 0))
        func = getattr(rq_jobs, spec['func'])
        args, kwargs = spec.get('args', []), dict(spec.get('kwargs', {}))
        if 'datetime_kwarg' in spec:  # a value only a class can carry, for the undecodable case
            kwargs[spec['datetime_kwarg']] = datetime(2020, 1, 2, 3, 4, 5)
        if 'enqueue_in' in spec:
            job = queue.enqueue_in(timedelta(seconds=spec['enqueue_in']), func, *args, **kwargs, **options)
        else:
            job = queue.enqueue(func, *args, **kwargs, **options)
        ids.append(job.id)
    return ids


def report(conn, names):
    queues = {}
    for name in names:
        q = Queue(name, connection=conn)
        queues[name] = {
            'waiting': q.count,
            'scheduled': q.scheduled_job_registry.count,
            'failed': q.failed_job_registry.count,
            'running': q.started_job_registry.count,
            'finished': q.finished_job_registry.count,
            'deferred': q.deferred_job_registry.count,
        }
    workers = [{'name': w.name, 'state': w.get_state(), 'queues': w.queue_names(), 'current_job': w.get_current_job_id()}
               for w in Worker.all(connection=conn)]
    return {'queues': queues, 'workers': sorted(workers, key=lambda w: w['name'])}


def job(conn, job_id):
    j = Job.fetch(job_id, connection=conn)
    latest = j.latest_result()
    return {
        'status': j.get_status(), 'origin': j.origin, 'func_name': j.func_name, 'description': j.description,
        'args': list(j.args), 'kwargs': j.kwargs, 'worker_name': j.worker_name, 'retries_left': j.retries_left,
        'enqueued_at': j.enqueued_at.isoformat() if j.enqueued_at else None,
        'started_at': j.started_at.isoformat() if j.started_at else None,
        'ended_at': j.ended_at.isoformat() if j.ended_at else None,
        'result': j.return_value() if latest and latest.type == latest.Type.SUCCESSFUL else None,
        'exc_string': latest.exc_string if latest else None,
    }


if __name__ == '__main__':
    url, command, argument = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    connection = Redis.from_url(url)
    out = {'enqueue': enqueue, 'report': report, 'job': job}[command](connection, argument)
    print(json.dumps(out, default=str))
