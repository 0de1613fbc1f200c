"""Sends tasks through tsapp and prints one task id per line.

Usage: python3 send.py '<json list>' where each item is
{"task": "add", "args": [...], "kwargs": {...}, "queue": "q", "priority": 5,
 "countdown": 60, "id": "..."}; "count" repeats an item.
"""
import json
import sys

from tsapp import app

for item in json.loads(sys.argv[1]):
    options = {k: item[k] for k in ('queue', 'priority', 'countdown', 'task_id') if k in item}
    if 'id' in item:
        options['task_id'] = item['id']
    for _ in range(int(item.get('count', 1))):
        result = app.send_task('tsapp.' + item['task'], args=item.get('args', []),
                               kwargs=item.get('kwargs', {}), **options)
        print(result.id, flush=True)
