"""The fetch layer: every remote call, paced, retried and cached on disk."""
