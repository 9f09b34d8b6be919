"""What the local SES's CloudFormation resources share: the type, the property that names one,
and the attributes ``Fn::GetAtt`` may read, as class attributes; moto asks for them through
:class:`~moto.core.common_models.CloudFormationModel`'s methods."""

from __future__ import annotations

from typing import ClassVar

from moto.core.common_models import CloudFormationModel


class SesResource(CloudFormationModel):
    """A local SES resource: ``TYPE`` (``AWS::SES::...``), ``NAME_TYPE`` (the property that
    names it, ``""`` for none) and ``ATTRIBUTES`` (what ``Fn::GetAtt`` reads: each is
    :meth:`get_cfn_attribute`). ``Ref`` is the physical ID."""

    TYPE: ClassVar[str]
    NAME_TYPE: ClassVar[str] = ""
    ATTRIBUTES: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def cloudformation_name_type(cls) -> str:
        return cls.NAME_TYPE

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr in cls.ATTRIBUTES
