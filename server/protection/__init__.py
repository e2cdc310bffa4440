"""Protection both transports share: rate limits, outages, text and number rules, payload base, security headers, body timeout."""
