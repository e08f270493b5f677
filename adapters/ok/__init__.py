"""Odnoklassniki: the group's feed and comments through the REST API, replies as comments."""
