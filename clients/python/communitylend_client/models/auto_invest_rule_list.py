from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.auto_invest_rule import AutoInvestRule


T = TypeVar("T", bound="AutoInvestRuleList")


@_attrs_define
class AutoInvestRuleList:
    """
    Attributes:
        success (bool):
        rules (list[AutoInvestRule]):
    """

    success: bool
    rules: list[AutoInvestRule]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        rules = []
        for rules_item_data in self.rules:
            rules_item = rules_item_data.to_dict()
            rules.append(rules_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "rules": rules,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.auto_invest_rule import AutoInvestRule  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        rules = []
        _rules = d.pop("rules")
        for rules_item_data in _rules:
            rules_item = AutoInvestRule.from_dict(rules_item_data)

            rules.append(rules_item)

        auto_invest_rule_list = cls(
            success=success,
            rules=rules,
        )

        auto_invest_rule_list.additional_properties = d
        return auto_invest_rule_list

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
