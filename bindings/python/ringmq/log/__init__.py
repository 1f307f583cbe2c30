"""pyzmq's zmq.log: logging over PUB sockets (see ringmq.log.handlers)."""
