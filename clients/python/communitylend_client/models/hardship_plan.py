from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.hardship_plan_status_enum import HardshipPlanStatusEnum
from ..types import UNSET, Unset

T = TypeVar("T", bound="HardshipPlan")


@_attrs_define
class HardshipPlan:
    """
    Attributes:
        id (int):
        loan_id (int):
        type_ (str):
        months (int):
        reason (str):
        created_at (datetime.datetime):
        status (HardshipPlanStatusEnum | Unset): * `requested` - Requested
            * `awaiting_confirmation` - Decided, awaiting a second staff member
            * `active` - Active
            * `rejected` - Rejected
            * `completed` - Completed
        starts_on (datetime.date | None | Unset):
        ends_on (datetime.date | None | Unset):
        capitalized (str | Unset): Interest added to the principal: the arrears' on approval, the plan's own at its end
    """

    id: int
    loan_id: int
    type_: str
    months: int
    reason: str
    created_at: datetime.datetime
    status: HardshipPlanStatusEnum | Unset = UNSET
    starts_on: datetime.date | None | Unset = UNSET
    ends_on: datetime.date | None | Unset = UNSET
    capitalized: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        loan_id = self.loan_id

        type_ = self.type_

        months = self.months

        reason = self.reason

        created_at = self.created_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        starts_on: None | str | Unset
        if isinstance(self.starts_on, Unset):
            starts_on = UNSET
        elif isinstance(self.starts_on, datetime.date):
            starts_on = self.starts_on.isoformat()
        else:
            starts_on = self.starts_on

        ends_on: None | str | Unset
        if isinstance(self.ends_on, Unset):
            ends_on = UNSET
        elif isinstance(self.ends_on, datetime.date):
            ends_on = self.ends_on.isoformat()
        else:
            ends_on = self.ends_on

        capitalized = self.capitalized

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "loanId": loan_id,
                "type": type_,
                "months": months,
                "reason": reason,
                "createdAt": created_at,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if starts_on is not UNSET:
            field_dict["startsOn"] = starts_on
        if ends_on is not UNSET:
            field_dict["endsOn"] = ends_on
        if capitalized is not UNSET:
            field_dict["capitalized"] = capitalized

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        loan_id = d.pop("loanId")

        type_ = d.pop("type")

        months = d.pop("months")

        reason = d.pop("reason")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        _status = d.pop("status", UNSET)
        status: HardshipPlanStatusEnum | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = HardshipPlanStatusEnum(_status)

        def _parse_starts_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_on_type_0 = datetime.date.fromisoformat(data)

                return starts_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        starts_on = _parse_starts_on(d.pop("startsOn", UNSET))

        def _parse_ends_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_on_type_0 = datetime.date.fromisoformat(data)

                return ends_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        ends_on = _parse_ends_on(d.pop("endsOn", UNSET))

        capitalized = d.pop("capitalized", UNSET)

        hardship_plan = cls(
            id=id,
            loan_id=loan_id,
            type_=type_,
            months=months,
            reason=reason,
            created_at=created_at,
            status=status,
            starts_on=starts_on,
            ends_on=ends_on,
            capitalized=capitalized,
        )

        hardship_plan.additional_properties = d
        return hardship_plan

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
