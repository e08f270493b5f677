"""Replies: what the centre tells the author reaches them on the channel they wrote on."""
