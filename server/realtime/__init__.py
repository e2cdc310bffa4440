"""Socket.IO transport: parse, authorise, call a service, broadcast, ack."""
