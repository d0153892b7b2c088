"""The replies of a tango.Group request: one GroupReply per device (ext/client/group.cpp), in
lists of their own kind, as PyTango has them."""

from ._tango import GroupAttrReply, GroupCmdReply, GroupReply

__all__ = ["GroupReply", "GroupCmdReply", "GroupAttrReply", "GroupReplyList", "GroupCmdReplyList",
           "GroupAttrReplyList"]


class GroupReplyList(list):
    """The replies to a group write_attribute, one per device."""

    def has_failed(self):
        """True when one of the devices failed."""
        return any(reply.has_failed() for reply in self)


class GroupCmdReplyList(GroupReplyList):
    """The replies to a group command, one per device."""


class GroupAttrReplyList(GroupReplyList):
    """The replies to a group read, one per device (and attribute)."""
