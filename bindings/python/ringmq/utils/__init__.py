"""pyzmq's zmq.utils: z85 and monitor."""
