"""The types that print as PyTango's structs and lists, as PyTango's ``tango.pytango_pprint``
names them (``_STRUCT_TYPES``, ``_SEQUENCE_TYPES``).

The formats themselves are declared with each type (ext/convert/record.cpp for the structs and
records, ext/types/containers.cpp for the compiled lists); this module only lists the types.
"""

from . import _tango
from ._tango import (
    AttributeInfoList, AttributeInfoListEx, CommandInfoList, StdDoubleVector, StdLongVector, StdStringVector,
)
from .db import DbData, DbDevExportInfos, DbDevImportInfos, DbDevInfos, DbHistoryList

__all__ = ()

# every compiled type that prints as a struct, as the compiled module marked them
_STRUCT_TYPES = _tango._struct_types()

_SEQUENCE_TYPES = (
    StdStringVector, StdLongVector, StdDoubleVector, CommandInfoList, AttributeInfoList, AttributeInfoListEx,
    DbData, DbDevInfos, DbDevExportInfos, DbDevImportInfos, DbHistoryList,
)
