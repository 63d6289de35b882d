from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.auto_invest_rule import AutoInvestRule


T = TypeVar("T", bound="AutoInvestRuleResponse")


@_attrs_define
class AutoInvestRuleResponse:
    """
    Attributes:
        success (bool):
        rule (AutoInvestRule): A rule as the API shows it (camelCase on the wire); percents are of the capital the rule
            works with: the user's cash and investments less the cash reserve.
    """

    success: bool
    rule: AutoInvestRule
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        rule = self.rule.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "rule": rule,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auto_invest_rule import AutoInvestRule  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        rule = AutoInvestRule.from_dict(d.pop("rule"))

        auto_invest_rule_response = cls(
            success=success,
            rule=rule,
        )

        auto_invest_rule_response.additional_properties = d
        return auto_invest_rule_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
