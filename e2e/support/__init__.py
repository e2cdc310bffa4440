"""What the browser tests share besides the pages: links, the room over sockets, the network, server state, artifacts."""
