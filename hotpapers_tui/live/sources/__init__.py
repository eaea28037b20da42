"""Clients for the sources of attention: each turns one time window into normalised posts."""

from hotpapers_tui.live.sources.base import SocialPost, SourceResult, SourceSkipped, skip_reason

__all__ = ["SocialPost", "SourceResult", "SourceSkipped", "skip_reason"]
