"""CURVE security with an authenticator (pyzmq's "ironhouse"): the server encrypts every
connection (CurveZMQ, rfc 26) and the authenticator lets in only the clients whose
certificates are in a directory of trusted public keys (ZAP, rfc 27).

A trusted client gets its reply, and the server sees the client's key as the message's
User-Id. An intruder that knows the server's public key, but whose own key is not trusted,
is refused: its monitor reports EVENT_HANDSHAKE_FAILED_AUTH with ZAP status 400.
"""
import os
import shutil
import sys
import tempfile

import ringmq as zmq
import ringmq.auth
from ringmq.auth.thread import ThreadAuthenticator
from ringmq.utils.monitor import recv_monitor_message


def main() -> int:
    keys_dir = tempfile.mkdtemp(prefix="ringmq-curve-")
    trusted_dir = os.path.join(keys_dir, "trusted")
    os.mkdir(trusted_dir)
    client_public_file, client_secret_file = zmq.auth.create_certificates(keys_dir, "client")
    shutil.copy(client_public_file, trusted_dir)  # trust the client: its public key only
    client_public, client_secret = zmq.auth.load_certificate(client_secret_file)

    ctx = zmq.Context()
    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.configure_curve(domain="*", location=trusted_dir)  # "*": servers without a ZAP domain

    server_public, server_secret = zmq.curve_keypair()
    server = ctx.socket(zmq.REP)
    server.curve_secretkey = server_secret
    server.curve_server = True
    server.bind("tcp://127.0.0.1:*")  # "*": the kernel picks a free port
    endpoint = server.getsockopt_string(zmq.LAST_ENDPOINT)

    def curve_client(public: bytes, secret: bytes) -> zmq.Socket:
        """A CURVE client knows the server's public key and has a key pair of its own."""
        client = ctx.socket(zmq.REQ)
        client.curve_serverkey = server_public
        client.curve_publickey = public
        client.curve_secretkey = secret
        return client

    client = curve_client(client_public, client_secret)
    client.connect(endpoint)
    client.send(b"hello, securely")
    request = server.recv(copy=False)
    user_id = request.get("User-Id")
    print(f"server: {request.bytes.decode()!r} from the client with key {user_id}")
    server.send(b"welcome")
    reply = client.recv()
    print(f"client: {reply.decode()!r}")

    intruder = curve_client(*zmq.curve_keypair())
    events = intruder.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH)
    events.rcvtimeo = 10_000
    intruder.connect(endpoint)
    refused = recv_monitor_message(events)
    print(f"intruder: {zmq.Event(refused['event']).name} (ZAP status {refused['value']})")

    auth.stop()
    ctx.destroy(linger=0)
    shutil.rmtree(keys_dir)
    ok = reply == b"welcome" and user_id == client_public.decode() and refused["value"] == 400
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
