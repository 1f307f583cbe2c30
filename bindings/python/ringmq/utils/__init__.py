"""pyzmq's zmq.utils: jsonapi, z85, monitor, win32 and strtypes."""
