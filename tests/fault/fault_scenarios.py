"""The proxy, kill and close scenarios of the fault suite (see fault_cases.py for the cases).

Each function takes a Run, drives its processes and returns the Run's verdict (an exit code).
Accounting per pattern, from the tally files:
  pushpull, pubsub   messages: client's sequence numbers taken vs server's unique receipts
  dealer_router,     requests as above; replies: server's echoes per producer vs the
  reqrep             client's unique receipts of them
  pair               each side is a producer (0 and 1) and checks the other
"""
import os
import time

from fault_procs import Hang, Tally
from fault_run import EXIT_FAIL

FAULTS_ALL = "cut,reset,split,coalesce,delay"
FAULTS_BYTES = "split,coalesce,delay"
PURE_SENDERS = ("push", "pub")

# Peers are told about their part in the pattern by these arguments.
CLIENT_ARGS = {
    "push": ["--send"],
    "pub": ["--send", "--nodrop"],
    "dealer": ["--send", "--window", "200", "--reply-timeout", "300"],
    "req": ["--send", "--reply-timeout", "200"],
    "pair": ["--send"],
}
SERVER_ARGS = {"pull": [], "sub": [], "router": ["--echo"], "rep": ["--echo"],
               "pair": ["--send", "--producer", "1"]}


def client_args(case):
    args = list(CLIENT_ARGS[case.client.kind])
    if case.client.kind == "dealer" and not loss_allowed(case):
        # Without a disconnect every echo comes back: never write the window off.
        args += ["--reply-timeout", "600000"]
    if case.client.kind == "req" and case.variant == "reconnect":
        args += ["--req-mode", "reconnect"]
    return args + ["--linger", "2000"]


def loss_allowed(case):
    return case.family in ("chaos.cuts", "kill", "netns.partition", "netns.reset", "soak")


def server_args(case):
    args = list(SERVER_ARGS[case.server.kind]) + ["--linger", "2000"]
    if case.variant == "slow":
        # A slow consumer: its pipe fills, so it stops reading a connection while the sender
        # reconnects after a cut and goes on over the new one.
        args += ["--recv-rate", "20000"]
    return args


def bind_endpoint(run, name):
    if run.case.transport == "tcp":
        return "tcp://127.0.0.1:*"
    return "ipc://" + os.path.join(run.dir, name + ".sock")


def flows_of(case, tc, ts):
    """[(label, sent, received)] from the client's and the server's tally snapshots."""
    c, s = tc.snapshot()["producers"], ts.snapshot()["producers"]
    if case.pattern == "pair":
        return [("client->server", c[0]["reserved"], s[0]["unique"]),
                ("server->client", s[1]["reserved"], c[1]["unique"])]
    if case.pattern in ("dealer_router", "reqrep"):
        return [("requests", c[0]["reserved"], s[0]["unique"]),
                ("replies", s[0]["echoed"], c[0]["unique"])]
    sent = c[0]["reserved"]
    if case.pattern == "pubsub" and s[0]["first_received"]:
        # A publisher drops what it sends before the subscription reached it (rfc 29): count
        # from the first message the subscriber got.
        sent -= s[0]["first_received"] - 1
    return [("messages", sent, s[0]["unique"])]


def start_pair(run, case, connect_to=None, netns=(None, None), bind_at=None, extra=None):
    """Starts the binding then the connecting peer; the connecting one dials `connect_to`
    (the proxy) or the binder itself. Returns {"client": Proc, "server": Proc}, endpoint."""
    procs = {}
    binder_is_client = case.client.role == "bind"
    b_role = "client" if binder_is_client else "server"
    c_role = "server" if binder_is_client else "client"
    b_side, c_side = case.binder, case.connecter
    args = {"client": client_args(case), "server": server_args(case)}
    for role, more in (extra or {}).items():
        args[role] = args[role] + list(more)
    procs[b_role], endpoint = run.peer(b_role, b_side, bind=bind_at or bind_endpoint(run, "bind"),
                                       args=args[b_role], netns=netns[0])
    target = connect_to(endpoint) if connect_to else endpoint
    procs[c_role], _ = run.peer(c_role, c_side, connect=target, args=args[c_role], netns=netns[1])
    return procs, endpoint


def senders_and_others(case, procs):
    senders = [p for role, p in procs.items() if getattr(case, role).kind in PURE_SENDERS]
    others = [p for role, p in procs.items() if getattr(case, role).kind not in PURE_SENDERS]
    return senders, others


def wait_for_progress(run, tally, key, above, timeout, what):
    """Waits (polling the tally file, with a deadline) until tally's unique count of
    producer 0 exceeds `above`."""
    deadline = time.monotonic() + timeout
    while True:
        value = tally.p(0, key)
        if value > above:
            return value
        if time.monotonic() >= deadline:
            raise Hang(f"no progress within {timeout:g} s: {what} (still {value})")
        run.any_ended.wait(0.02)


# ----------------------------------------------------------------------------- chaos proxy

def run_chaos(run):
    case = run.case
    faults = FAULTS_ALL if case.family == "chaos.cuts" else FAULTS_BYTES
    proxy_listen = "tcp://127.0.0.1:0" if case.transport == "tcp" else \
        "ipc://" + os.path.join(run.dir, "proxy.sock")
    holder = {}
    # Request/reply carries a few thousand messages a second: cut it sooner, so that a short
    # run still sees its connections cut.
    cut_range = ["--cut", "2048,131072"] if case.pattern in ("reqrep", "dealer_router") else []

    def via_proxy(endpoint):
        holder["proxy"], listen = run.proxy(proxy_listen, endpoint, faults, extra=cut_range)
        return listen

    procs, _ = start_pair(run, case, connect_to=via_proxy)
    proxy = holder["proxy"]
    tc, ts = Tally(run.tally_path("client")), Tally(run.tally_path("server"))
    run.hold(run.seconds)
    if case.family == "chaos.cuts":
        # A loaded machine may carry too little for 3 cuts in the time given: go on until
        # they happened (a deadline, not a wait of fixed length).
        deadline = time.monotonic() + 20
        while True:
            stats = run.proxy_stats(proxy)
            if stats["cuts_close"] + stats["cuts_reset"] >= 3 or time.monotonic() >= deadline:
                break
            run.hold(0.2)
    proxy.send("calm")
    senders, others = senders_and_others(case, procs)
    run.finish(senders, others)
    stats = run.proxy_stats(proxy)
    proxy.send("exit")
    proxy.wait_exit(10)
    cuts = stats["cuts_close"] + stats["cuts_reset"]
    run.notes.append(f"proxy: {stats['links']} connections, {stats['cuts_close']} cuts (FIN), "
                     f"{stats['cuts_reset']} cuts (RST), {stats['split_events']} split ranges "
                     f"({stats['split_writes']} tiny writes), {stats['coalesce_events']} coalesced, "
                     f"{stats['stalls']} stalls, {stats['bytes_c2s'] + stats['bytes_s2c']} bytes")
    run.figures["proxy"] = stats
    # A case whose faults did not happen proves nothing.
    if case.family == "chaos.cuts" and cuts < 3:
        run.failures.append(f"only {cuts} cuts happened: the case tested nothing")
    if stats["split_events"] + stats["coalesce_events"] + stats["stalls"] < 3:
        run.failures.append("fewer than 3 byte-level faults happened: the case tested nothing")
    flows = flows_of(case, tc, ts)
    for label, sent, received in flows:
        if received == 0:
            run.failures.append(f"{label}: nothing arrived")
    rate = sum(r for _, _, r in flows) / run.seconds
    run.notes.append(f"throughput {rate:,.0f} msg/s received (all flows)")
    run.figures["rate"] = rate
    return run.verdict(flows, {"client": tc, "server": ts}, loss_allowed=loss_allowed(case))


# ----------------------------------------------------------------------------- kill -9

def run_kill(run, kills=None, outage=0.8, phase=0.6):
    """SIGKILLs the victim (client or server) `kills` times, each time after `phase` s of
    traffic, and restarts it after `outage` s. While a receiver is gone its sender keeps
    trying: it must stall at its high-water mark (no message accepted in the second half of
    the outage) with bounded memory, and resume once the receiver is back."""
    case = run.case
    if kills is None:
        kills = max(3, int(run.seconds / (outage + phase)))
    # No write-off window: a DEALER must stall at its high-water mark on its own.
    extra = {"client": ["--window", "0"] if case.client.kind == "dealer" else [], "server": []}
    procs, endpoint = start_pair(run, case, extra=extra)
    tc, ts = Tally(run.tally_path("client")), Tally(run.tally_path("server"))
    victim_role = case.victim
    victim_side = getattr(case, victim_role)
    survivor = procs["server" if victim_role == "client" else "client"]
    args = (client_args(case) + extra["client"]) if victim_role == "client" else server_args(case)
    wait_for_progress(run, ts, "unique", 0, 10, "the first messages")
    stalled_sends = 0
    rss_growth = []
    queued = []
    for i in range(kills):
        before = ts.p(0, "unique")
        run.hold(phase)
        wait_for_progress(run, ts, "unique", before, 10, f"receiving before kill {i + 1}")
        victim = procs[victim_role]
        rss_before = survivor.rss_kib()
        accepted_at_kill = tc.p(0, "accepted")
        victim.kill()
        run.procs.remove(victim)
        run.hold(outage / 2, watch=[survivor])
        if victim_role == "server":
            mid = tc.p(0, "accepted")
            run.hold(outage / 2, watch=[survivor])
            end = tc.p(0, "accepted")
            stalled_sends += end - mid
            queued.append(end - accepted_at_kill)
            rss_growth.append((survivor.rss_kib() or 0) - (rss_before or 0))
        else:
            run.hold(outage / 2, watch=[survivor])
        # The successor binds where the victim was bound, or connects where it connected.
        kw = {"args": args}
        if victim_side.role == "bind":
            kw["bind"] = endpoint
        else:
            kw["connect"] = endpoint
        procs[victim_role], _ = run.peer(victim_role, victim_side, **kw)
        before = ts.p(0, "unique")
        wait_for_progress(run, ts, "unique", before, 10, f"resuming after restart {i + 1}")
    run.hold(phase)
    senders, others = senders_and_others(case, procs)
    run.finish(senders, others)
    flows = flows_of(case, tc, ts)
    lost = sum(max(s - r, 0) for _, s, r in flows)
    run.notes.append(f"{kills} kills of the {victim_role} ({victim_side.kind}, {victim_side.role}); "
                     f"lost per kill {lost / kills:,.0f}")
    run.figures.update({"kills": kills, "lost_per_kill": lost / kills})
    if victim_role == "server":
        run.notes.append(f"sender while the receiver was gone: accepted {queued} after each kill "
                         f"(then stalled: {stalled_sends} accepted in the outages' second halves); "
                         f"RSS growth {rss_growth} KiB")
        run.figures.update({"queued_during_outage": queued, "rss_growth_kib": rss_growth})
        if stalled_sends:
            run.failures.append(f"the sender kept going while its receiver was gone: {stalled_sends} "
                                f"messages accepted in the outages' second halves")
        # What a sender may hold for an absent peer: its SNDHWM (1000), the I/O thread's batch
        # and what the kernel took before the RST; 16 MiB of RSS is far above that.
        if max(rss_growth, default=0) > 16 * 1024 and not run.sanitized:
            run.failures.append(f"the sender's RSS grew by {max(rss_growth)} KiB during an outage")
    return run.verdict(flows, {"client": tc, "server": ts}, loss_allowed=True)


# ----------------------------------------------------------------------------- close

def run_close_drain(run, count=20000):
    """A PUSH sends `count` messages and closes at once (default LINGER of its library); its
    process then ends. The PULL must have every one of them."""
    case = run.case
    tiny = case.variant == "tiny"
    shape = ["--tiny"] if tiny else []
    server, endpoint = run.peer("server", case.server, bind=bind_endpoint(run, "bind"), args=shape)
    args = ["--send", "--count", str(count), "--exit-when-sent"] + shape
    client, _ = run.peer("client", case.client, connect=endpoint, args=args)
    status = client.wait_exit(60)
    if status != 0:
        run.failures.append(f"the sender exited with status {status}: {client.tail()}")
    closed = int(client.wait_line("closed ", 5).split()[1])
    exited = int(client.wait_line("exited ", 5).split()[1])
    server.send("finish 1000")
    run.expect_clean_exit(server, 30)
    tc, ts = Tally(run.tally_path("client")), Tally(run.tally_path("server"))
    received = ts.g("tiny_received") if tiny else ts.p(0, "unique")
    linger_ms = (exited - closed) / 1e6
    run.notes.append(f"close to context end took {linger_ms:.1f} ms")
    run.figures["close_ms"] = linger_ms
    return run.verdict([("messages", tc.p(0, "accepted"), received)],
                       {"client": tc, "server": ts}, loss_allowed=False)


def run_close_unread(run, trials=None):
    """A ROUTER echoes the first requests of a DEALER, then closes with later requests unread.
    Every echo the ROUTER accepted must reach the DEALER. Repeated `trials` times with fresh
    processes. Variants:
      stream  the DEALER keeps sending small requests; the ROUTER echoes 100. The DEALER's
              sends fail once the ROUTER is gone: it must still read the echoes its kernel holds.
      burst   the DEALER sends 1000 requests of up to 2 x 16 KiB and waits; the ROUTER echoes
              500. Its echoes are still in its kernel's send buffer when it closes: a close
              that resets the connection (unread input) throws them away."""
    case = run.case
    if case.variant == "burst":
        limit, shape = 500, ["--count", "1000", "--extra", "16000", "--parts", "1,2"]
    else:
        limit, shape = 100, []
    if trials is None:
        trials = max(10, int(run.seconds * 5))
    sent = received = 0
    bad_trials = 0
    tallies = {}
    for t in range(trials):
        s_name, c_name = f"server{t}", f"client{t}"
        server, endpoint = run.peer(s_name, case.server, bind=bind_endpoint(run, s_name),
                                    args=["--echo", "--echo-limit", str(limit)])
        client, _ = run.peer(c_name, case.client, connect=endpoint, args=["--send", "--linger", "0"] + shape)
        status = server.wait_exit(30)
        if status != 0:
            run.failures.append(f"trial {t}: the ROUTER exited with status {status}: {server.tail()}")
        client.send("finish 300")
        run.expect_clean_exit(client, 30)
        ts, tc = Tally(run.tally_path(s_name)), Tally(run.tally_path(c_name))
        tallies[s_name], tallies[c_name] = ts, tc
        echoed, got = ts.g("echoed"), tc.p(0, "unique")
        if echoed != limit:
            run.failures.append(f"trial {t}: the ROUTER echoed {echoed}, not {limit}")
        sent += echoed
        received += got
        bad_trials += echoed != got
        run.procs.remove(server)
        run.procs.remove(client)
        server.kill()
        client.kill()
    run.notes.append(f"{trials} trials, {bad_trials} with replies lost")
    run.figures.update({"trials": trials, "trials_with_loss": bad_trials})
    return run.verdict([("replies", sent, received)], tallies, loss_allowed=False)


def dispatch(run):
    family = run.case.family
    if family.startswith("chaos."):
        return run_chaos(run)
    if family == "kill":
        return run_kill(run)
    if family == "close.drain":
        return run_close_drain(run)
    if family == "close.unread":
        return run_close_unread(run)
    return EXIT_FAIL
