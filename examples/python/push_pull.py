"""Pipeline (PUSH/PULL): a ventilator hands out tasks, two workers square them, a sink
collects the results. PUSH deals messages round-robin to the connected PULLs; a PULL
fair-queues what its PUSH peers send. The workers are threads, so the sockets meet over
inproc; over tcp or ipc only the endpoints change (see req_rep.py).
"""
import sys
import threading

import ringmq as zmq

TASKS = 20


def worker(ctx: zmq.Context, ident: int, counts: dict) -> None:
    """Squares each task until b"stop", then notes how many it did in counts[ident]."""
    tasks = ctx.socket(zmq.PULL)
    results = ctx.socket(zmq.PUSH)
    tasks.connect("inproc://tasks")
    results.connect("inproc://results")
    # An inproc connect to a bound endpoint is complete when connect() returns, so once the
    # sink has this, the ventilator deals tasks to this worker too.
    results.send(b"ready")
    done = 0
    while (task := tasks.recv()) != b"stop":
        results.send_string(str(int(task) ** 2))
        done += 1
    counts[ident] = done
    tasks.close()
    results.close()


def main() -> int:
    ctx = zmq.Context()
    ventilator = ctx.socket(zmq.PUSH)
    sink = ctx.socket(zmq.PULL)
    ventilator.bind("inproc://tasks")
    sink.bind("inproc://results")

    counts = {}
    workers = [threading.Thread(target=worker, args=(ctx, i, counts)) for i in (1, 2)]
    for w in workers:
        w.start()
    for _ in workers:  # PUSH deals only to peers already connected: wait for both
        sink.recv()
    for n in range(1, TASKS + 1):
        ventilator.send_string(str(n))
    total = sum(int(sink.recv()) for _ in range(TASKS))
    for _ in workers:
        ventilator.send(b"stop")
    for w in workers:
        w.join()
    for ident, done in sorted(counts.items()):
        print(f"worker {ident}: squared {done} numbers")

    print(f"sink: {TASKS} results, sum of squares 1..{TASKS} = {total}")
    ventilator.close()
    sink.close()
    ctx.term()
    return 0 if total == sum(n * n for n in range(1, TASKS + 1)) else 1


if __name__ == "__main__":
    sys.exit(main())
