"""The `ringmq` command against itself and against pyzmq (Debian's python3-zmq over libzmq).

Every wait is for an event with a deadline: a process exiting (the CLI's --count and
--timeout), a pyzmq receive with RCVTIMEO, a line on the CLI's stderr. Run by ctest (one
entry per test function) with RINGMQ_CLI set to the built program.
"""
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time

import pytest
import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator

CLI = os.environ.get("RINGMQ_CLI", "ringmq")
DEADLINE = 20.0  # seconds any one step may take before the test fails (a ceiling, not a timing)


def run(*args, input=None, check_rc=0):
    """Runs the CLI to completion; returns (stdout bytes, stderr text)."""
    p = subprocess.run([CLI, *args], input=input, capture_output=True, timeout=DEADLINE * 2)
    if check_rc is not None:
        assert p.returncode == check_rc, (p.returncode, p.stderr.decode())
    return p.stdout, p.stderr.decode()


_started = []


def start(*args, stdin=subprocess.DEVNULL):
    p = subprocess.Popen([CLI, *args], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _started.append(p)
    return p


@pytest.fixture(autouse=True)
def kill_leftovers():
    """A failed test leaves no CLI process behind."""
    yield
    while _started:
        p = _started.pop()
        if p.poll() is None:
            p.kill()
            p.wait()


def finish(proc, rc=0):
    out, err = proc.communicate(timeout=DEADLINE * 2)
    assert proc.returncode == rc, (proc.returncode, err.decode())
    return out, err.decode()


def bound_endpoint(proc):
    """The endpoint a CLI run with --verbose reports having bound (its first stderr line)."""
    line = proc.stderr.readline().decode()
    m = re.match(r"ringmq: bound (\S+)", line)
    assert m, line
    return m.group(1)


@pytest.fixture
def tmp():
    with tempfile.TemporaryDirectory(prefix="ringmq-cli-") as d:
        yield d


@pytest.fixture
def ctx():
    c = zmq.Context()
    yield c
    c.destroy(linger=0)


def pyzmq_socket(ctx, kind, **opts):
    s = ctx.socket(kind)
    s.rcvtimeo = int(DEADLINE * 1000)
    s.sndtimeo = int(DEADLINE * 1000)
    s.linger = 1000
    for k, v in opts.items():
        setattr(s, k, v)
    return s


def feed_until_exit(writer, proc, data):
    """Writes `data` to proc's stdin again and again until `proc` exits (a publisher keeps
    publishing until its subscriber has what it wants)."""
    end = time.monotonic() + DEADLINE
    while proc.poll() is None:
        assert time.monotonic() < end, "the receiver did not finish"
        writer.stdin.write(data)
        writer.stdin.flush()
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            pass


# ---- ringmq against ringmq ----------------------------------------------------------------


def test_push_pull_lines(tmp):
    ep = f"ipc://{tmp}/pp"
    pull = start("recv", "--bind", ep, "--count", "3", "--timeout", str(DEADLINE))
    run("send", "--connect", ep, "--timeout", str(DEADLINE), input=b"one\ntwo words\nlast without newline")
    out, _ = finish(pull)
    assert out == b"one\ntwo words\nlast without newline\n"


def test_pub_sub_topics(tmp):
    ep = f"ipc://{tmp}/ps"
    sub = start("recv", "--sub", "--bind", ep, "--subscribe", "weather.", "--subscribe", "wind.",
                "--count", "4", "--timeout", str(DEADLINE))
    pub = start("send", "--pub", "--connect", ep, stdin=subprocess.PIPE)
    feed_until_exit(pub, sub, b"sports.goal 1-0\nweather.oslo 3C\nnews.x\nwind.bergen 10\n")
    out, _ = finish(sub)
    lines = out.decode().splitlines()
    assert len(lines) == 4
    assert all(l in ("weather.oslo 3C", "wind.bergen 10") for l in lines), lines
    pub.stdin.close()
    assert pub.wait(timeout=DEADLINE) == 0


def test_pub_exits_after_its_subscriber_left(tmp):
    # A connecting PUB keeps a queue for its departed subscriber; lingering on it until the
    # subscriber returns would never end.
    ep = f"ipc://{tmp}/gone"
    sub = start("recv", "--sub", "--bind", ep, "--count", "1", "--timeout", str(DEADLINE))
    pub = start("send", "--pub", "--connect", ep, stdin=subprocess.PIPE)
    feed_until_exit(pub, sub, b"hello\n")
    finish(sub)
    pub.stdin.write(b"to nobody\n")
    pub.stdin.close()
    assert pub.wait(timeout=DEADLINE) == 0


def test_req_rep_echo_and_data(tmp):
    ep = f"ipc://{tmp}/rr"
    rep = start("cat", "--rep", "--bind", ep, "--count", "2", "--timeout", str(DEADLINE))
    out, _ = run("cat", "--req", "--connect", ep, "-d", "ping", "-d", "two", "--count", "2",
                 "--timeout", str(DEADLINE))
    assert out == b"ping\ttwo\nping\ttwo\n"  # echoed: both parts, twice
    rep_out, _ = finish(rep)
    assert rep_out == b"ping\ttwo\nping\ttwo\n"

    rep = start("cat", "--rep", "--bind", ep + "2", "-d", "pong", "--count", "1", "--timeout", str(DEADLINE))
    out, _ = run("cat", "--req", "--connect", ep + "2", "-d", "ping", "--json", "--timeout", str(DEADLINE))
    assert json.loads(out) == {"parts": ["pong"]}
    finish(rep)


def test_dealer_to_router_multipart(tmp):
    ep = f"ipc://{tmp}/dr"
    router = start("recv", "--router", "--bind", ep, "--count", "1", "--json", "--timeout", str(DEADLINE))
    run("send", "--dealer", "--identity", "alice", "--connect", ep, "-d", "hello", "-f", "/dev/null",
        "--timeout", str(DEADLINE))
    out, _ = finish(router)
    assert json.loads(out) == {"parts": ["alice", "hello", ""]}


def test_length_framed_round_trip(tmp):
    def frame(parts):
        b = b""
        for i, p in enumerate(parts):
            word = len(p) | (0x80000000 if i + 1 < len(parts) else 0)
            b += word.to_bytes(4, "big") + p
        return b

    data = frame([b"head", bytes(range(256))]) + frame([b"\n\n"]) + frame([b""])
    ep = f"ipc://{tmp}/lf"
    pull = start("recv", "--bind", ep, "--count", "3", "--length-framed", "--timeout", str(DEADLINE))
    run("send", "--connect", ep, "-L", "--timeout", str(DEADLINE), input=data)
    out, _ = finish(pull)
    assert out == data


def test_stdin_separator_and_interval(tmp):
    ep = f"ipc://{tmp}/sep"
    pull = start("recv", "--bind", ep, "--count", "2", "--separator", "|", "--timeout", str(DEADLINE))
    run("send", "--connect", ep, "--separator", ",", "--interval", "0.01", input=b"a,b,c\nd\n")
    out, _ = finish(pull)
    assert out == b"a|b|c\nd\n"


# ---- ringmq against pyzmq (libzmq) --------------------------------------------------------


def test_pyzmq_push_to_cli_pull_tcp_formats(ctx):
    payload = [b"a\tb\\\n\x00\xff", "é".encode()]
    expected = {
        "--quoted": b"a\\tb\\\\\\n\\x00\\xff\t\\xc3\\xa9\n",
        "--hex": b"6109625c0a00ff\tc3a9\n",
        "--raw": b"a\tb\\\n\x00\xff\t\xc3\xa9\n",
    }
    for fmt, want in expected.items():
        pull = start("recv", "--bind", "tcp://127.0.0.1:*", "-v", fmt, "--count", "1", "--timeout", str(DEADLINE))
        push = pyzmq_socket(ctx, zmq.PUSH)
        push.connect(bound_endpoint(pull))
        push.send_multipart(payload)
        out, _ = finish(pull)
        assert out == want, fmt
        push.close()
    pull = start("recv", "--bind", "tcp://127.0.0.1:*", "-v", "--json", "--count", "1", "--timeout", str(DEADLINE))
    push = pyzmq_socket(ctx, zmq.PUSH)
    push.connect(bound_endpoint(pull))
    push.send_multipart(payload)
    out, _ = finish(pull)
    assert json.loads(out) == {"parts": [{"base64": "YQliXAoA/w=="}, "é"]}


def test_cli_push_to_pyzmq_pull(ctx):
    pull = pyzmq_socket(ctx, zmq.PULL)
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    run("send", "--connect", f"tcp://127.0.0.1:{port}", "-d", "x", "-d", "y", "--count", "2",
        "--timeout", str(DEADLINE))
    assert pull.recv_multipart() == [b"x", b"y"]
    assert pull.recv_multipart() == [b"x", b"y"]


def test_pyzmq_pub_to_cli_sub(ctx, tmp):
    pub = pyzmq_socket(ctx, zmq.PUB)
    ep = f"ipc://{tmp}/pub"
    pub.bind(ep)
    sub = start("recv", "--sub", "--connect", ep, "--subscribe", "a.", "--count", "3", "--timeout", str(DEADLINE))
    end = time.monotonic() + DEADLINE
    while sub.poll() is None:
        assert time.monotonic() < end
        pub.send(b"b.not this")
        pub.send_multipart([b"a.topic", b"body"])
        try:
            sub.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            pass
    out, _ = finish(sub)
    assert out.splitlines() == [b"a.topic\tbody"] * 3


def test_cli_pub_to_pyzmq_sub(ctx, tmp):
    ep = f"ipc://{tmp}/cpub"
    pub = start("send", "--pub", "--bind", ep, "-d", "topic.x", "-d", "body", "--interval", "0.02")
    try:
        sub = pyzmq_socket(ctx, zmq.SUB)
        sub.subscribe(b"topic.")
        sub.connect(ep)
        assert sub.recv_multipart() == [b"topic.x", b"body"]
    finally:
        pub.terminate()
        pub.wait(timeout=DEADLINE)


def test_cli_req_to_pyzmq_rep(ctx):
    rep = pyzmq_socket(ctx, zmq.REP)
    port = rep.bind_to_random_port("tcp://127.0.0.1")

    def serve():
        for _ in range(2):
            rep.send(rep.recv().upper())

    t = threading.Thread(target=serve)
    t.start()
    out, _ = run("cat", "--req", "--connect", f"tcp://127.0.0.1:{port}", "--timeout", str(DEADLINE),
                 input=b"hello\nworld\n")
    t.join(DEADLINE)
    assert out == b"HELLO\nWORLD\n"


def test_pyzmq_req_to_cli_rep(ctx, tmp):
    ep = f"ipc://{tmp}/rep"
    rep = start("cat", "--rep", "--bind", ep, "-d", "world", "--count", "1", "--timeout", str(DEADLINE))
    req = pyzmq_socket(ctx, zmq.REQ)
    req.connect(ep)
    req.send(b"hello")
    assert req.recv() == b"world"
    out, _ = finish(rep)
    assert out == b"hello\n"


def test_pyzmq_dealer_to_cli_router(ctx, tmp):
    ep = f"ipc://{tmp}/router"
    router = start("recv", "--router", "--bind", ep, "--count", "1", "--json", "--timeout", str(DEADLINE))
    dealer = pyzmq_socket(ctx, zmq.DEALER, routing_id=b"bob")
    dealer.connect(ep)
    dealer.send_multipart([b"", b"job"])
    out, _ = finish(router)
    assert json.loads(out) == {"parts": ["bob", "", "job"]}


def test_cli_dealer_both_ways_with_pyzmq_router(ctx):
    router = pyzmq_socket(ctx, zmq.ROUTER)
    port = router.bind_to_random_port("tcp://127.0.0.1")

    def serve():
        for _ in range(2):
            peer, body = router.recv_multipart()
            router.send_multipart([peer, b"re: " + body])

    t = threading.Thread(target=serve)
    t.start()
    # Two lines go out and two replies come back in one run of a two-way socket.
    out, _ = run("cat", "--dealer", "--connect", f"tcp://127.0.0.1:{port}", "--count", "2",
                 "--timeout", str(DEADLINE), input=b"a\nb\n")
    t.join(DEADLINE)
    assert out == b"re: a\nre: b\n"


# ---- security ------------------------------------------------------------------------------


def keygen(tmp, name):
    out, _ = run("keygen", name, "--dir", tmp)
    return out.decode().split()[1]  # "public: KEY"


def test_curve_exchange_with_allow_list(tmp):
    srv_pub = keygen(tmp, "server")
    cli_pub = keygen(tmp, "client")
    keygen(tmp, "stranger")
    os.mkdir(f"{tmp}/allowed")
    os.rename(f"{tmp}/client.key", f"{tmp}/allowed/client.key")
    ep = f"ipc://{tmp}/curve"
    rep = start("cat", "--rep", "--bind", ep, "--curve-server", f"{tmp}/server.key_secret",
                "--curve-allow", f"{tmp}/allowed", "--json", "--count", "1", "--timeout", str(DEADLINE))
    out, _ = run("cat", "--req", "--connect", ep, "--curve-serverkey", f"{tmp}/server.key",
                 "--curve-client", f"{tmp}/client.key_secret", "-d", "secret", "--timeout", str(DEADLINE))
    assert out == b"secret\n"
    rep_out, _ = finish(rep)
    assert json.loads(rep_out) == {"parts": ["secret"], "user_id": cli_pub}

    # A client the allow list does not hold is refused: its request is never answered.
    rep = start("cat", "--rep", "--bind", ep + "2", "--curve-server", f"{tmp}/server.key_secret",
                "--curve-allow", f"{tmp}/allowed", "--timeout", str(DEADLINE))
    _, err = run("cat", "--req", "--connect", ep + "2", "--curve-serverkey", srv_pub,
                 "--curve-client", f"{tmp}/stranger.key_secret", "-d", "x", "--timeout", "0.5", check_rc=3)
    assert err.startswith("ringmq cat: timeout") and err.count("\n") == 1
    rep.terminate()
    rep.wait(timeout=DEADLINE)


def test_curve_with_pyzmq_certificates_and_server(ctx, tmp):
    # pyzmq writes the certificates, pyzmq's authenticator checks the client key the CLI
    # took from pyzmq's secret certificate.
    srv_pub_file, srv_sec_file = zmq.auth.create_certificates(tmp, "server")
    os.mkdir(f"{tmp}/clients")
    cli_pub_file, cli_sec_file = zmq.auth.create_certificates(f"{tmp}/clients", "client")
    srv_pub, srv_sec = zmq.auth.load_certificate(srv_sec_file)
    cli_pub, _ = zmq.auth.load_certificate(cli_pub_file)
    auth = ThreadAuthenticator(ctx)
    auth.start()
    try:
        auth.configure_curve(domain="*", location=f"{tmp}/clients")
        rep = pyzmq_socket(ctx, zmq.REP, curve_server=True, curve_secretkey=srv_sec)
        port = rep.bind_to_random_port("tcp://127.0.0.1")
        received = {}

        def serve():
            frame = rep.recv(copy=False)
            received["user"] = frame.get("User-Id")
            rep.send(b"ok " + frame.bytes)

        t = threading.Thread(target=serve)
        t.start()
        out, _ = run("cat", "--req", "--connect", f"tcp://127.0.0.1:{port}", "--curve-serverkey", srv_pub_file,
                     "--curve-client", cli_sec_file, "-d", "hi", "--timeout", str(DEADLINE))
        t.join(DEADLINE)
        assert out == b"ok hi\n"
        assert received["user"] == cli_pub.decode()
    finally:
        auth.stop()


def test_cli_curve_server_with_pyzmq_client(ctx, tmp):
    srv_pub = keygen(tmp, "server")
    ep = f"ipc://{tmp}/cs"
    rep = start("cat", "--rep", "--bind", ep, "--curve-server", f"{tmp}/server.key_secret", "--count", "1",
                "--json", "--timeout", str(DEADLINE))
    pub, sec = zmq.curve_keypair()
    req = pyzmq_socket(ctx, zmq.REQ, curve_serverkey=srv_pub.encode(), curve_publickey=pub, curve_secretkey=sec)
    req.connect(ep)
    req.send(b"over curve")
    assert req.recv() == b"over curve"
    out, _ = finish(rep)
    assert json.loads(out)["parts"] == ["over curve"]


def test_keygen_certificates_interoperate_with_pyzmq(tmp):
    out, _ = run("keygen", "mine", "--dir", tmp, "--meta", "owner=test")
    pub = out.decode().split()[1]
    assert zmq.auth.load_certificate(f"{tmp}/mine.key") == (pub.encode(), None)
    p2, s2 = zmq.auth.load_certificate(f"{tmp}/mine.key_secret")
    assert p2 == pub.encode() and zmq.curve_public(s2) == p2
    assert os.stat(f"{tmp}/mine.key_secret").st_mode & 0o077 == 0
    # Existing certificates are kept unless --force.
    _, err = run("keygen", "mine", "--dir", tmp, check_rc=1)
    assert "exists" in err and err.count("\n") == 1
    run("keygen", "mine", "--dir", tmp, "--force")
    assert zmq.auth.load_certificate(f"{tmp}/mine.key")[0] != pub.encode()

    # pyzmq's certificates read by ringmq.
    pf, sf = zmq.auth.create_certificates(tmp, "theirs")
    ppub, psec = zmq.auth.load_certificate(sf)
    out, _ = run("keygen", "--show", sf)
    assert out.decode() == f"public: {ppub.decode()}\nsecret: {psec.decode()}\n"
    out, _ = run("keygen", "--show", pf)
    assert out.decode() == f"public: {ppub.decode()}\n"

    # A bare key pair: the public key is the secret key's.
    out, _ = run("keygen")
    lines = dict(l.split(": ") for l in out.decode().splitlines())
    assert zmq.curve_public(lines["secret"].encode()) == lines["public"].encode()


def test_plain_server_and_client(ctx, tmp):
    ep = f"ipc://{tmp}/plain"
    rep = start("cat", "--rep", "--bind", ep, "--plain-server", "--plain-user", "ann", "--plain-password", "pw",
                "--count", "1", "--json", "--timeout", str(DEADLINE))
    req = pyzmq_socket(ctx, zmq.REQ, plain_username=b"ann", plain_password=b"pw")
    req.connect(ep)
    req.send(b"let me in")
    assert req.recv() == b"let me in"
    out, _ = finish(rep)
    assert json.loads(out) == {"parts": ["let me in"], "user_id": "ann"}

    # The CLI as a PLAIN client: a wrong password gets no answer.
    rep = start("cat", "--rep", "--bind", ep + "2", "--plain-server", "--plain-user", "ann",
                "--plain-password", "pw", "--count", "1", "--timeout", str(DEADLINE))
    run("cat", "--req", "--connect", ep + "2", "--plain-user", "ann", "--plain-password", "nope", "-d", "x",
        "--timeout", "0.5", check_rc=3)
    out, _ = run("cat", "--req", "--connect", ep + "2", "--plain-user", "ann", "--plain-password", "pw",
                 "-d", "x", "--timeout", str(DEADLINE))
    assert out == b"x\n"
    finish(rep)


# ---- monitor, proxy ------------------------------------------------------------------------


def test_monitor_prints_events(ctx, tmp):
    router = pyzmq_socket(ctx, zmq.ROUTER)
    ep = f"ipc://{tmp}/mon"
    router.bind(ep)
    out, _ = run("monitor", ep, "--event", "CONNECTED", "--event", "handshake_succeeded", "--count", "2",
                 "--timeout", str(DEADLINE))
    lines = out.decode().splitlines()
    assert [l.split()[1] for l in lines] == ["CONNECTED", "HANDSHAKE_SUCCEEDED"]
    assert all(l.split()[2] == ep for l in lines)
    out, _ = run("monitor", ep, "--json", "--event", "HANDSHAKE_SUCCEEDED", "--count", "1",
                 "--timeout", str(DEADLINE))
    event = json.loads(out)
    assert event["event"] == "HANDSHAKE_SUCCEEDED" and event["endpoint"] == ep


def test_proxy_streamer_and_statistics(tmp):
    front, back = f"ipc://{tmp}/front", f"ipc://{tmp}/back"
    proxy = start("proxy", "--streamer", "@" + front, back)
    pull = start("recv", "--connect", back, "--count", "2", "--timeout", str(DEADLINE))
    run("send", "--connect", front, "--timeout", str(DEADLINE), input=b"x\nyz\n")
    out, _ = finish(pull)
    assert out == b"x\nyz\n"
    proxy.send_signal(signal.SIGTERM)
    _, err = finish(proxy)
    assert "frontend in 2 msgs/3 B" in err and "backend in 0 msgs/0 B, out 2 msgs/3 B" in err, err


# ---- usage and errors ----------------------------------------------------------------------


@pytest.mark.parametrize("args,rc,text", [
    (["nosuch"], 2, "unknown command 'nosuch'"),
    (["cat", "--pull", "--bind", "ipc://@x", "--bogus"], 2, "unknown option --bogus"),
    (["recv", "--count"], 2, "option --count needs a value"),
    (["recv", "--count", "x", "--bind", "ipc://@x"], 2, "not a positive count"),
    (["recv", "--timeout", "-1", "--bind", "ipc://@x"], 2, "not a number of seconds"),
    (["cat", "--bind", "ipc://@x"], 2, "choose a socket type"),
    (["recv", "--push", "--bind", "ipc://@x"], 2, "cannot receive"),
    (["send", "--sub", "--bind", "ipc://@x"], 2, "cannot send"),
    (["recv"], 2, "no endpoint"),
    (["recv", "-t", "banana", "--bind", "ipc://@x"], 2, "unknown socket type 'banana'"),
    (["send", "--connect", "ipc://@x", "--curve-client", "k"], 2, "needs --curve-serverkey"),
    (["recv", "--connect", "nope://x"], 1, "connect nope://x: unsupported transport"),
    (["recv", "--bind", "tcp://127.0.0.1:notaport"], 1, "bind tcp://127.0.0.1:notaport"),
    (["send", "--connect", "ipc://@x", "--curve-serverkey", "/nonexistent.key"], 1, "not a Z85 key"),
    (["send", "--connect", "ipc://@x", "-f", "/nonexistent"], 1, "-f /nonexistent"),
])
def test_errors_are_one_line(args, rc, text):
    out, err = run(*args, check_rc=rc)
    assert out == b""
    assert err.count("\n") == 1 and err.startswith("ringmq"), err
    assert text in err, err


def test_timeouts_exit_3(tmp):
    _, err = run("recv", "--bind", f"ipc://{tmp}/t", "--count", "2", "--timeout", "0.2", check_rc=3)
    assert err == "ringmq recv: timeout: nothing received for 0.2 s (0 of 2 messages)\n"
    # A PUSH bound with no peer has nowhere to send.
    _, err = run("send", "--bind", f"ipc://{tmp}/t2", "-d", "x", "--timeout", "0.2", check_rc=3)
    assert err == "ringmq send: timeout: could not send for 0.2 s (no peer ready to take it)\n"


def test_address_in_use(ctx):
    s = pyzmq_socket(ctx, zmq.PULL)
    port = s.bind_to_random_port("tcp://127.0.0.1")
    _, err = run("recv", "--bind", f"tcp://127.0.0.1:{port}", check_rc=1)
    assert "Address already in use" in err and err.count("\n") == 1


def test_help_reads_like_a_man_page():
    out, _ = run("--help")
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "EXAMPLES"):
        assert f"\n{section}\n" in "\n" + out.decode(), section
    for cmd in ("cat", "send", "recv", "keygen", "monitor", "proxy", "bench"):
        out, _ = run(cmd, "--help")
        assert out.decode().startswith("NAME\n    ringmq") and "SYNOPSIS" in out.decode(), cmd
        assert run("help", cmd)[0] == out
    out, _ = run("--version")
    assert re.fullmatch(rb"ringmq \d+\.\d+\.\d+\n", out)


def test_install_puts_program_and_man_page(tmp):
    build = os.environ.get("RINGMQ_BUILD_DIR")
    if not build:
        pytest.skip("RINGMQ_BUILD_DIR not set (run through ctest)")
    subprocess.run(["cmake", "--install", build, "--prefix", tmp, "--component", "Unspecified"], check=True,
                   capture_output=True, timeout=DEADLINE * 3)
    assert os.path.exists(f"{tmp}/share/man/man1/ringmq.1")
    # The installed program finds the installed library through its relative RUNPATH.
    p = subprocess.run([f"{tmp}/bin/ringmq", "keygen"], capture_output=True, timeout=DEADLINE,
                       env={"PATH": "/usr/bin:/bin"})
    assert p.returncode == 0 and p.stdout.startswith(b"public: "), p.stderr
    libs = subprocess.run(["ldd", f"{tmp}/bin/ringmq"], capture_output=True, text=True).stdout
    assert f"{tmp}/" in libs, libs


def test_bench_passes_arguments_to_compare_py():
    p = subprocess.run([CLI, "bench", "--no-such-compare-option"], capture_output=True, text=True, timeout=DEADLINE)
    if "needs the build tree's perf tools" in p.stderr:
        assert p.returncode == 1 and p.stderr.count("\n") == 1  # built without the perf tools
    else:
        assert p.returncode == 2 and "compare.py: error: unrecognized arguments: --no-such-compare-option" in p.stderr
