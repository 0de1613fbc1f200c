"""RQ's own view of a queue's lists, for the task-list and action tests (Debian's python3-rq 1.13).

Usage: rq_registries.py <redis url with db> <command> <json argument>
  ids      "<queue>"          → {waiting, scheduled, started, finished, failed, deferred: [ids as RQ lists them], count, failed_count}
  job      "<id>"             → {exists, status, origin, hash: {field: text}, ttl}
  requeue  ["<queue>", "<id>"] → RQ's own FailedJobRegistry.requeue, for a twin to compare with
"""
import json
import sys

from redis import Redis
from rq import Queue
from rq.job import Job


def ids(conn, name):
    q = Queue(name, connection=conn)
    return {
        'waiting': q.job_ids,
        'scheduled': q.scheduled_job_registry.get_job_ids(),
        'started': q.started_job_registry.get_job_ids(),
        'finished': q.finished_job_registry.get_job_ids(),
        'failed': q.failed_job_registry.get_job_ids(),
        'deferred': q.deferred_job_registry.get_job_ids(),
        'count': q.count,
        'failed_count': q.failed_job_registry.count,
    }


def job(conn, job_id):
    exists = Job.exists(job_id, connection=conn)
    raw = conn.hgetall(f'rq:job:{job_id}')
    text = {k.decode(): (v.decode('utf-8', 'replace') if k not in (b'data', b'exc_info', b'result', b'meta') else v.hex()) for k, v in raw.items()}
    status = None
    origin = None
    if exists:
        j = Job.fetch(job_id, connection=conn)
        status, origin = j.get_status(), j.origin
    return {'exists': exists, 'status': status, 'origin': origin, 'hash': text, 'ttl': conn.ttl(f'rq:job:{job_id}')}


def requeue(conn, arg):
    name, job_id = arg
    Queue(name, connection=conn).failed_job_registry.requeue(job_id)
    return True


if __name__ == '__main__':
    url, command, argument = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    connection = Redis.from_url(url)
    print(json.dumps({'ids': ids, 'job': job, 'requeue': requeue}[command](connection, argument), default=str))
