"""Authentication (pyzmq's zmq.auth): a ZAP handler for CURVE, PLAIN and NULL servers, and
CURVE certificate files.

    auth = ThreadAuthenticator(ctx)
    auth.start()
    auth.allow("127.0.0.1")
    auth.configure_curve(domain="*", location=CURVE_ALLOW_ANY)  # or a directory of *.key files
"""

from ringmq.auth.base import CURVE_ALLOW_ANY, Authenticator
from ringmq.auth.certs import create_certificates, load_certificate, load_certificates
from ringmq.auth.thread import ThreadAuthenticator

__all__ = [
    "CURVE_ALLOW_ANY",
    "Authenticator",
    "ThreadAuthenticator",
    "create_certificates",
    "load_certificate",
    "load_certificates",
]
