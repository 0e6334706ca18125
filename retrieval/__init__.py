"""Reply-framing coach."""
