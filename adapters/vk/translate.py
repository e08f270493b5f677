"""VK objects (wall_wallpost, wall_wall_comment, see shapes.py) into intake posts, and VK references.

A post is ``wall{owner_id}_{post_id}``, a comment ``wall{owner_id}_{post_id}/{comment_id}``:
the form VK itself uses in links, so an operator can open the item from its reference.
"""

import re
from dataclasses import replace
from datetime import UTC, datetime

from adapters.vk.shapes import Attachment, Comment, CommentDeletion, WallPost
from application.commands import AttachmentRef
from application.intake.source import Change, Post, Removal
from domain.complaint import Channel

_REF = re.compile(r"^wall(-?\d+)_(\d+)(?:/(\d+))?$")
# Scheduled posts are the community's own; reposts repeat someone else's words. A suggested
# post ("suggest") is a resident's, offered to the community's editors: it is taken.
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
        attachments=attachments_of(post.attachments),
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
        attachments=attachments_of(comment.attachments),
    )


def from_comment_change(comment: Comment, change: Change, *, owner_id: int, post_id: int, event_id: str) -> Post | None:
    """A comment as its author edited it (wall_reply_edit) or as it is back (wall_reply_restore).
    VK gives no time of the change; its event id tells one change from another."""
    post = from_comment(comment, owner_id=owner_id, post_id=post_id)
    return replace(post, change=change, revision=event_id) if post is not None else None


def from_comment_deletion(deletion: CommentDeletion, *, event_id: str) -> Removal:
    deleter = deletion.deleter_id if deletion.deleter_id is not None else deletion.user_id
    return Removal(
        channel=Channel.VK,
        source_ref=comment_ref(deletion.owner_id, deletion.post_id, deletion.id),
        # A community deleting as itself has a negative id: its reference is the community's.
        deleter_ref=f"vk:id{deleter}" if deleter is not None else None,
        revision=event_id,
    )


def attachments_of(attachments: list[Attachment]) -> tuple[AttachmentRef, ...]:
    """Photos and documents as VK names them (``photo{owner}_{id}``, ``doc{owner}_{id}``), each
    with its address: a photo's largest size, a document's own link."""
    found = []
    for attachment in attachments:
        if attachment.type == "photo" and attachment.photo is not None:
            photo = attachment.photo
            sized = [size for size in photo.sizes if size.url]
            largest = max(sized, key=lambda size: size.width * size.height, default=None)
            found.append(AttachmentRef("photo", f"photo{photo.owner_id}_{photo.id}", largest.url if largest else None))
        elif attachment.type == "doc" and attachment.doc is not None:
            doc = attachment.doc
            found.append(AttachmentRef("document", f"doc{doc.owner_id}_{doc.id}", doc.url))
    return tuple(found)


def _time(unix: int) -> datetime:
    return datetime.fromtimestamp(unix, UTC)
