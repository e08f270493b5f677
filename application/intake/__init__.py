"""Intake: posts and appeals from the channels become complaints, or are counted as screened out."""
