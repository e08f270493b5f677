"""VK objects (wall_wallpost, wall_wall_comment, see shapes.py) into intake posts, and VK references.

A post is ``wall{owner_id}_{post_id}``, a comment ``wall{owner_id}_{post_id}/{comment_id}``:
the form VK itself uses in links, so an operator can open the item from its reference.
"""

import re
from datetime import UTC, datetime

from adapters.vk.shapes import Comment, WallPost
from application.intake.source import Post
from domain.complaint import Channel

_REF = re.compile(r"^wall(-?\d+)_(\d+)(?:/(\d+))?$")
# Scheduled posts are the community's own; reposts repeat someone else's words.
_SKIPPED_POST_TYPES = frozenset({"postpone", "copy"})


def post_ref(owner_id: int, post_id: int) -> str:
    return f"wall{owner_id}_{post_id}"


def comment_ref(owner_id: int, post_id: int, comment_id: int) -> str:
    return f"{post_ref(owner_id, post_id)}/{comment_id}"


def parse_ref(ref: str) -> tuple[int, int, int | None]:
    """(owner_id, post_id, comment_id or None) of a reference made by this module."""
    match = _REF.match(ref)
    if match is None:
        raise ValueError(f"not a VK wall reference: {ref!r}")
    owner, post, comment = match.groups()
    return int(owner), int(post), int(comment) if comment else None


def is_citizens_post(post: WallPost, *, own_posts_are_complaints: bool) -> bool:
    """Whether a wall post is a resident's words: written by a person (a positive id), or by
    the wall's own community where its posts relay residents' (``own_posts_are_complaints``).

    Any other post of a community is the administration's or a public's own announcement;
    scheduled posts are the community's own too, and reposts repeat someone else's words.
    """
    if post.post_type in _SKIPPED_POST_TYPES:
        return False
    return post.from_id > 0 or (own_posts_are_complaints and post.from_id == post.owner_id)


def is_citizens_comment(comment: Comment) -> bool:
    """A comment by a person. A community's comment (a negative ``from_id``) is never a resident's:
    the wall's own community answering, or ours answering in a city public's thread."""
    return comment.from_id > 0


def author_of(post: WallPost) -> int:
    """Who wrote a post: the person who signed a community's post (VK's ``signer_id``: a resident
    whose suggested post a public published under their name), else whoever posted it."""
    return post.signer_id if post.from_id < 0 and post.signer_id else post.from_id


def from_wall_post(post: WallPost, *, own_posts_are_complaints: bool = False) -> Post | None:
    """A citizen's post, or None for what is not one (the community's own, reposts, no text).

    ``own_posts_are_complaints``: in the big city publics the community itself relays the
    residents' complaints, so there its posts are read too.
    """
    text = post.text.strip()
    if not text or post.is_deleted or not is_citizens_post(post, own_posts_are_complaints=own_posts_are_complaints):
        return None
    return Post(
        channel=Channel.VK,
        source_ref=post_ref(post.owner_id, post.id),
        author_ref=f"vk:id{author_of(post)}",
        text=text,
        published_at=_time(post.date),
    )


def from_comment(comment: Comment, *, owner_id: int, post_id: int) -> Post | None:
    """A citizen's comment, with the post and the comments it answers; None for ours or deleted."""
    text = comment.text.strip()
    if not text or comment.deleted or not is_citizens_comment(comment):
        return None
    answered = [post_ref(owner_id, post_id)]
    thread = [*comment.parents_stack, comment.reply_to_comment]
    answered += [comment_ref(owner_id, post_id, parent) for parent in thread if parent]
    return Post(
        channel=Channel.VK,
        source_ref=comment_ref(owner_id, post_id, comment.id),
        author_ref=f"vk:id{comment.from_id}",
        text=text,
        published_at=_time(comment.date),
        reply_to=tuple(dict.fromkeys(answered)),
    )


def _time(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, UTC)
