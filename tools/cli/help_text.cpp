// The --help texts (see help_text.hpp). Kept in step with docs/ringmq.1 by hand.
#include "help_text.hpp"

namespace ringmq_cli {
namespace {

constexpr std::string_view overview = R"(NAME
    ringmq - send, receive, monitor and proxy ZeroMQ messages from the shell

SYNOPSIS
    ringmq cat  (--push|--pull|--pub|--sub|--req|--rep|--dealer|--router|--pair|-t TYPE)
                (--bind|--connect) ENDPOINT... [OPTIONS]
    ringmq send [-t TYPE] (--bind|--connect) ENDPOINT... [-d DATA|-f FILE]... [OPTIONS]
    ringmq recv [-t TYPE] (--bind|--connect) ENDPOINT... [OPTIONS]
    ringmq keygen [NAME [--dir DIR] [--meta KEY=VALUE]... [--force] | --show KEY|FILE]
    ringmq monitor [-t TYPE] ENDPOINT... [--bind ENDPOINT] [--event NAME]... [OPTIONS]
    ringmq proxy [--queue|--forwarder|--streamer] [--capture ENDPOINT] FRONTEND BACKEND
    ringmq bench [compare.py ARGUMENTS]
    ringmq --version
    ringmq help COMMAND | ringmq COMMAND --help

DESCRIPTION
    ringmq is a command-line peer for ZeroMQ sockets: ringmq's own, libzmq's, pyzmq's and
    any other ZMTP 3.x implementation. It speaks every socket pattern over tcp://, ipc://
    and inproc://, with CURVE encryption and PLAIN authentication.

    cat      send and receive on one socket, as its type allows (nngcat, zmqc)
    send     only send: messages from -d/-f arguments or stdin (default type PUSH)
    recv     only receive, printing each message on stdout (default type PULL)
    keygen   make a CURVE key pair, or czmq/pyzmq certificate files
    monitor  print a socket's connection events as they happen
    proxy    move messages between two sockets (ROUTER/DEALER, XSUB/XPUB, PULL/PUSH)
    bench    run the ringmq-vs-libzmq benchmark (perf/compare.py) of a build tree

    ringmq stats (live socket statistics) will come with the library's stats API.

EXIT STATUS
    0 success; 1 failure (bad endpoint, refused address, unreadable file); 2 bad usage
    (unknown option, missing value); 3 --timeout passed. Errors are one line on stderr.

EXAMPLES
    ringmq recv --pull --bind tcp://*:5555 --count 3
    printf 'a\nb\nc\n' | ringmq send --push --connect tcp://localhost:5555

    See 'ringmq cat --help' for the options of cat, send and recv.
)";

constexpr std::string_view cat_help = R"(NAME
    ringmq cat, ringmq send, ringmq recv - send and receive messages on one socket

SYNOPSIS
    ringmq cat  SOCKET-TYPE (--bind|--connect) ENDPOINT... [OPTIONS]
    ringmq send [SOCKET-TYPE] (--bind|--connect) ENDPOINT... [-d DATA|-f FILE]... [OPTIONS]
    ringmq recv [SOCKET-TYPE] (--bind|--connect) ENDPOINT... [OPTIONS]

DESCRIPTION
    Opens one socket, binds and connects it, then sends messages taken from the command
    line or stdin and writes the messages it receives to stdout, one per line.

    cat does what the socket type does: PUSH and PUB send; PULL and SUB receive; DEALER,
    ROUTER, PAIR, XPUB and XSUB do both at once; REQ sends each message and prints its
    reply; REP prints each request and answers it. send only sends (default PUSH) and
    recv only receives (default PULL); REQ and REP work in lock-step whatever the command
    (send prints nothing).

    Messages to send come from:
      -d DATA / -f FILE   one message whose parts are the DATA arguments and FILE contents,
                          in order (so -d alice -d hello is a two-part message). It is sent
                          once; --count N times when only sending (or on REQ); every
                          --interval until --count, or forever, with --interval. REP
                          answers every request with it.
      stdin               otherwise: each line is a message (see --separator for parts),
                          or length-framed messages with --length-framed; sending ends
                          at end of input. REP without -d/-f echoes each request instead.

    A ROUTER's messages start with the routing id of their peer, and a message it sends
    must start with one: -d PEER-ID -d DATA. Unroutable messages are an error.
    A SUB without --subscribe receives everything.

SOCKET OPTIONS
    --push --pull --pub --sub --req --rep --dealer --router --pair, -t, --type TYPE
                          the socket type (TYPE may also be xpub or xsub)
    -b, --bind ENDPOINT   bind (repeatable): tcp://*:5555, tcp://127.0.0.1:*, ipc:///path,
                          ipc://@abstract
    -c, --connect ENDPOINT
                          connect (repeatable); binds and connects happen in the order given
    -s, --subscribe TOPIC SUB: receive messages starting with TOPIC (repeatable)
    -i, --identity ID     the socket's routing id (as a ROUTER peer sees it)
    --hwm N               send and receive high-water marks (default 1000)
    -v, --verbose         print each resolved endpoint on stderr ("ringmq: bound tcp://...")

SECURITY
    A KEY is 40 Z85 characters or a certificate file (czmq's and pyzmq's format: a
    NAME.key file for a public key, NAME.key_secret for a secret key; see ringmq keygen).
    --curve-server SECRET-KEY
                          be a CURVE server with this secret key
    --curve-allow KEY|DIR only these client keys (repeatable; a DIR holds NAME.key files);
                          without it every client knowing the server's key gets in
    --curve-serverkey PUBLIC-KEY
                          be a CURVE client of the server with this public key
    --curve-client SECRET-KEY
                          the client's own key pair (default: a fresh one)
    --plain-user USER, --plain-password PASSWORD
                          PLAIN credentials of a client; with --plain-server, the only
                          credentials the server accepts

INPUT AND OUTPUT
    -d, --data DATA       a part of the message to send (repeatable)
    -f, --file FILE       a part read from FILE (repeatable; -f /dev/stdin for all of stdin)
    -L, --length-framed   stdin holds length-framed messages and stdout gets them so (each
                          part: a 4-byte big-endian length, its top bit set when another
                          part follows, then the bytes); binary-safe both ways
    --separator SEP       split stdin lines into parts at SEP; join printed parts with SEP
                          (default: lines are not split; printed parts are joined by a tab)
    --quoted              (default) print printable ASCII as is, \\ \t \n \r and \xNN
                          for other bytes
    --raw                 print the bytes as they are, each message then a newline
    --hex                 print each part in hexadecimal
    --json                print one JSON object per message: {"parts":[...]}; a part is a
                          string when it is UTF-8, else {"base64":"..."}; "user_id" holds
                          the peer's CURVE key or PLAIN user name when there is one

TIMING
    -n, --count N         stop after N messages: received ones when the command receives,
                          sent ones when it only sends, exchanges on REQ and REP
    --timeout SECONDS     fail (exit 3) when nothing could be sent or received for this
                          long, e.g. no peer to take a PUSH's message, or --count not
                          reached; waiting for --delay and --interval does not count.
                          A command that sends also waits this long at exit for its
                          messages to be delivered (without --timeout, as long as it
                          takes: a connecting socket holds them until its peer is there;
                          PUB and XPUB wait 1 s)
    --interval SECONDS    pause between sends
    --delay SECONDS       wait before the first send (say, for subscribers to join)

EXIT STATUS
    0 done; 1 failure; 2 bad usage; 3 timeout. Errors are one line on stderr.

EXAMPLES
    ringmq recv --sub --connect tcp://localhost:5556 --subscribe weather. --json
    ringmq send --pub --bind tcp://*:5556 --interval 1 -d 'weather.oslo 3C'
    ringmq cat --rep --bind ipc:///tmp/echo                          # an echo server
    ringmq cat --req --connect ipc:///tmp/echo -d ping --timeout 5   # prints ping
    ringmq cat --dealer --identity alice --connect tcp://localhost:5557
    ringmq recv --bind tcp://*:5555 --curve-server server.key_secret --curve-allow clients/
    ringmq send --connect tcp://host:5555 --curve-serverkey server.key \
                --curve-client alice.key_secret -f report.pdf
)";

constexpr std::string_view keygen_help = R"(NAME
    ringmq keygen - make CURVE keys and certificate files

SYNOPSIS
    ringmq keygen
    ringmq keygen NAME [--dir DIR] [--meta KEY=VALUE]... [--force]
    ringmq keygen --show KEY|FILE

DESCRIPTION
    Without NAME, prints a fresh key pair in Z85 (40 characters each):
        public: <public key>
        secret: <secret key>

    With NAME, writes DIR/NAME.key (the public key) and DIR/NAME.key_secret (both keys,
    mode 0600) in czmq's certificate format, as pyzmq's zmq.auth.create_certificates
    writes them and zmq.auth.load_certificate reads them, then prints the public key and
    the file names. Existing files are kept unless --force.

    --show prints the public key (and the secret key, if there is one) of a certificate
    file or of a secret key given in Z85.

OPTIONS
    --dir DIR             where the certificate files go (default: the current directory)
    --meta KEY=VALUE      a metadata entry of the certificates (repeatable)
    --force               replace existing certificate files
    --show KEY|FILE       print the keys of a certificate or secret key

EXAMPLES
    ringmq keygen server --dir certs
    ringmq cat --rep --bind tcp://*:5555 --curve-server certs/server.key_secret
    ringmq cat --req --connect tcp://localhost:5555 --curve-serverkey certs/server.key -d hi
)";

constexpr std::string_view monitor_help = R"(NAME
    ringmq monitor - print a socket's connection events

SYNOPSIS
    ringmq monitor [-t TYPE] ENDPOINT... [--bind ENDPOINT] [--event NAME]... [OPTIONS]

DESCRIPTION
    Opens a socket (DEALER unless -t says otherwise), connects it to each ENDPOINT (and
    binds each --bind), and prints its monitor events, one per line:
        2026-12-08T01:23:45.678Z CONNECTED tcp://127.0.0.1:5555 value=9
        2026-12-08T01:23:45.679Z HANDSHAKE_SUCCEEDED tcp://127.0.0.1:5555 value=0
    The time is UTC; value is the event's value as libzmq gives it (a descriptor, an
    errno, a reconnect interval in ms, a ZAP status). Messages the socket receives are
    dropped. A peer of an incompatible type shows as a failed handshake.

    Event names: CONNECTED CONNECT_DELAYED CONNECT_RETRIED LISTENING BIND_FAILED ACCEPTED
    ACCEPT_FAILED CLOSED CLOSE_FAILED DISCONNECTED MONITOR_STOPPED
    HANDSHAKE_FAILED_NO_DETAIL HANDSHAKE_SUCCEEDED HANDSHAKE_FAILED_PROTOCOL
    HANDSHAKE_FAILED_AUTH LIMIT_EXCEEDED

OPTIONS
    -t, --type TYPE       socket type (and --push, --sub, ... as for ringmq cat)
    -b, --bind ENDPOINT   bind as well (repeatable)
    -e, --event NAME      print only these events (repeatable; default all)
    -n, --count N         stop after N events
    --timeout SECONDS     fail (exit 3) when no event came for this long
    --json                one JSON object per event
    The security options of ringmq cat apply (a CURVE or PLAIN handshake to watch).

EXAMPLES
    ringmq monitor tcp://localhost:5555
    ringmq monitor --sub tcp://localhost:5556 --event HANDSHAKE_SUCCEEDED --count 1 --timeout 5
)";

constexpr std::string_view proxy_help = R"(NAME
    ringmq proxy - move messages between two sockets

SYNOPSIS
    ringmq proxy [--queue|--forwarder|--streamer|--frontend-type T --backend-type T]
                 [--capture ENDPOINT] FRONTEND BACKEND

DESCRIPTION
    Runs the library's proxy (libzmq's zmq_proxy): every message arriving on one socket
    goes out of the other, whole, in both directions. FRONTEND and BACKEND are endpoints:
    "@ENDPOINT" or a bare ENDPOINT binds, ">ENDPOINT" connects.

    On SIGINT, SIGTERM or SIGHUP the proxy stops and prints on stderr what it moved:
        ringmq proxy: stopped by SIGTERM; frontend in 3 msgs/15 B, out 0 msgs/0 B; ...

OPTIONS
    --queue               ROUTER frontend, DEALER backend (the default): a shared queue
                          between REQ clients and REP workers
    --forwarder           XSUB frontend, XPUB backend: publishers connect to FRONTEND,
                          subscribers to BACKEND
    --streamer            PULL frontend, PUSH backend: a pipeline stage
    --frontend-type T, --backend-type T
                          any other pair of types
    --capture ENDPOINT    a PUB socket bound there gets a copy of every part moved

EXAMPLES
    ringmq proxy --forwarder tcp://*:5559 tcp://*:5560
    ringmq proxy --queue @tcp://*:5555 '>tcp://workers.example:5556'
)";

constexpr std::string_view bench_help = R"(NAME
    ringmq bench - ringmq against libzmq and raw sockets, side by side

SYNOPSIS
    ringmq bench [--quick | --self-test] [compare.py ARGUMENTS]

DESCRIPTION
    Runs perf/compare.py of the source tree over the perf tools of the build tree this
    ringmq was built in (built with -DRINGMQ_BUILD_PERF=ON, target ringmq_perf), passing
    every argument through: latency and throughput over tcp, ipc and inproc, CURVE,
    PUB fan-out and memory per connection, with medians, ratios and the performance
    goals at the end, and a chart under the build tree's perf-results/. An installed
    ringmq has no perf tools and says so.

    Its arguments: /usr/bin/python3 perf/compare.py --help

EXAMPLES
    ringmq bench --quick
    ringmq bench --only latency,throughput --reps 7
)";

}  // namespace

std::string_view help_text(std::string_view command) noexcept {
  if (command.empty()) return overview;
  if (command == "cat" || command == "send" || command == "recv") return cat_help;
  if (command == "keygen") return keygen_help;
  if (command == "monitor") return monitor_help;
  if (command == "proxy") return proxy_help;
  if (command == "bench") return bench_help;
  return {};
}

}  // namespace ringmq_cli
