"""Logging handlers that publish records on a PUB socket (pyzmq's zmq.log.handlers).

PUBHandler sends each record as two frames, [topic, text], both UTF-8. The topic is
``<root_topic>.<LEVELNAME>.<subtopic>`` without the empty parts, where the subtopic is what a
message written as ``"sub.topic::the text"`` has before ``::`` (the record keeps the text after
it). A SUB socket subscribes to a prefix of those topics::

    handler = PUBHandler("tcp://127.0.0.1:5555", root_topic="app")
    logging.getLogger("app").addHandler(handler)
    logging.getLogger("app").warning("db::connection lost")   # topic b"app.WARNING.db"
"""

import logging
from typing import Any, Dict, Optional, Union

from ringmq.constants import PUB
from ringmq.context import Context
from ringmq.socket import Socket

# What separates the subtopic from the text of a message (pyzmq's delimiter).
TOPIC_DELIM = "::"

_LOCATED = "%(levelname)s %(filename)s:%(lineno)d - %(message)s\n"


class PUBHandler(logging.Handler):
    """Publishes log records on a PUB socket: one given, or one bound to an endpoint given
    (in `context`, or a new Context)."""

    ctx: Context
    socket: Socket

    def __init__(self, interface_or_socket: Union[str, Socket], context: Optional[Context] = None,
                 root_topic: str = "") -> None:
        super().__init__()
        self.root_topic = root_topic
        # One formatter per level; setFormatter replaces one or all of them.
        self.formatters: Dict[int, logging.Formatter] = {
            logging.DEBUG: logging.Formatter(_LOCATED),
            logging.INFO: logging.Formatter("%(message)s\n"),
            logging.WARNING: logging.Formatter(_LOCATED),
            logging.ERROR: logging.Formatter(
                "%(levelname)s %(filename)s:%(lineno)d - %(message)s - %(exc_info)s\n"),
            logging.CRITICAL: logging.Formatter(_LOCATED),
        }
        if isinstance(interface_or_socket, Socket):
            self.socket = interface_or_socket
            self.ctx = self.socket.context
        else:
            self.ctx = context or Context()
            self.socket = self.ctx.socket(PUB)
            self.socket.bind(interface_or_socket)

    @property
    def root_topic(self) -> str:
        return self._root_topic

    @root_topic.setter
    def root_topic(self, value: Union[str, bytes]) -> None:
        self.setRootTopic(value)

    def setRootTopic(self, root_topic: Union[str, bytes]) -> None:  # noqa: N802 - pyzmq's name
        """The first part of every topic ('' leaves it out: topics start with the level)."""
        self._root_topic = root_topic.decode("utf8") if isinstance(root_topic, bytes) else root_topic

    def setFormatter(self, fmt: Optional[logging.Formatter], level: int = logging.NOTSET) -> None:  # noqa: N802
        """The formatter of records of `level`, or of every level (NOTSET)."""
        if fmt is None:
            fmt = logging.Formatter("%(message)s\n")
        if level == logging.NOTSET:
            for known in list(self.formatters):
                self.formatters[known] = fmt
        else:
            self.formatters[level] = fmt

    def format(self, record: logging.LogRecord) -> str:
        formatter = self.formatters.get(record.levelno)
        return (formatter or logging.Formatter("%(message)s\n")).format(record)

    def emit(self, record: logging.LogRecord) -> None:
        subtopic = ""
        if isinstance(record.msg, str) and TOPIC_DELIM in record.msg:
            subtopic, record.msg = record.msg.split(TOPIC_DELIM, 1)
        try:
            text = self.format(record).encode("utf8")
        except Exception:  # logging's contract: a bad record is reported, not raised
            self.handleError(record)
            return
        parts = [p for p in (self.root_topic, record.levelname, subtopic) if p]
        self.socket.send_multipart([".".join(parts).encode("utf8"), text])


class TopicLogger(logging.Logger):
    """A Logger whose methods take a topic before the message: ``log.info("db.pool", "full")``
    logs "db.pool::full", which a PUBHandler publishes under that subtopic. (pyzmq documents
    these methods so; its generated ones do not work.)"""

    def _topic_log(self, level: int, topic: str, msg: str, args: Any, kwargs: Dict[str, Any]) -> None:
        # stacklevel 3: the record names the caller of debug()/log(), not this module.
        kwargs.setdefault("stacklevel", 3)
        super().log(level, f"{topic}{TOPIC_DELIM}{msg}", *args, **kwargs)

    def log(self, level: int, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(level, topic, msg, args, kwargs)

    def debug(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.DEBUG, topic, msg, args, kwargs)

    def info(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.INFO, topic, msg, args, kwargs)

    def warning(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.WARNING, topic, msg, args, kwargs)

    warn = warning  # type: ignore[assignment]

    def error(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.ERROR, topic, msg, args, kwargs)

    def critical(self, topic: str, msg: str, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self._topic_log(logging.CRITICAL, topic, msg, args, kwargs)

    fatal = critical  # type: ignore[assignment]


__all__ = ["PUBHandler", "TopicLogger", "TOPIC_DELIM"]
