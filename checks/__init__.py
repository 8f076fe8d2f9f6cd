"""The checker of the "0x03. User authentication service" kata."""
