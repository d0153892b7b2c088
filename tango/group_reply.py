"""The replies of a tango.Group request: one GroupReply per device (ext/client/group.cpp), in
lists of their own kind, as PyTango has them."""

from ._tango import GroupAttrReply, GroupCmdReply, GroupReply

__all__ = ["GroupReply", "GroupCmdReply", "GroupAttrReply", "GroupReplyList", "GroupCmdReplyList",
           "GroupAttrReplyList"]


class GroupReplyList(list):
    """The replies to a group write_attribute, one per device."""

    _item_type = GroupReply  # what push_back takes

    def has_failed(self):
        """True when one of the devices failed."""
        return any(reply.has_failed() for reply in self)

    def push_back(self, reply):
        """Append a reply (of this list's kind: a GroupReply, GroupCmdReply or GroupAttrReply)."""
        if not isinstance(reply, self._item_type):
            raise TypeError(f"{type(self).__name__}.push_back takes a {self._item_type.__name__}, "
                            f"not {type(reply).__name__}")
        self.append(reply)

    def reset(self):
        """Remove every reply: the list is empty (and has_failed() False) again."""
        self.clear()

    def __str__(self):
        # PyTango's text of its reply lists: the replies' repr, in brackets
        return f"[{', '.join(map(repr, self))}]"


class GroupCmdReplyList(GroupReplyList):
    """The replies to a group command, one per device."""

    _item_type = GroupCmdReply


class GroupAttrReplyList(GroupReplyList):
    """The replies to a group read, one per device (and attribute)."""

    _item_type = GroupAttrReply
