"""VKontakte: the Callback API, wall and newsfeed polling, and replies as wall comments."""
