from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.get_loan_list_purpose import GetLoanListPurpose
from ...models.get_loan_list_sort_by import GetLoanListSortBy
from ...models.get_loan_list_sort_order import GetLoanListSortOrder
from ...models.get_loan_list_status import GetLoanListStatus
from ...models.get_loan_list_term_months import GetLoanListTermMonths
from ...models.loan_list_response import LoanListResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: float | str | Unset = UNSET,
    min_amount: float | str | Unset = UNSET,
    page: int | Unset = 1,
    purpose: GetLoanListPurpose | Unset = UNSET,
    risk_grade: str | Unset = UNSET,
    sort_by: GetLoanListSortBy | Unset = GetLoanListSortBy.CREATEDAT,
    sort_order: GetLoanListSortOrder | Unset = GetLoanListSortOrder.DESC,
    status: GetLoanListStatus | Unset = UNSET,
    term_months: GetLoanListTermMonths | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    json_max_amount: float | str | Unset
    if isinstance(max_amount, Unset):
        json_max_amount = UNSET
    else:
        json_max_amount = max_amount
    params["maxAmount"] = json_max_amount

    json_min_amount: float | str | Unset
    if isinstance(min_amount, Unset):
        json_min_amount = UNSET
    else:
        json_min_amount = min_amount
    params["minAmount"] = json_min_amount

    params["page"] = page

    json_purpose: str | Unset = UNSET
    if not isinstance(purpose, Unset):
        json_purpose = purpose.value

    params["purpose"] = json_purpose

    params["riskGrade"] = risk_grade

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by.value

    params["sortBy"] = json_sort_by

    json_sort_order: str | Unset = UNSET
    if not isinstance(sort_order, Unset):
        json_sort_order = sort_order.value

    params["sortOrder"] = json_sort_order

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_term_months: int | Unset = UNSET
    if not isinstance(term_months, Unset):
        json_term_months = term_months.value

    params["termMonths"] = json_term_months

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/loans",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | LoanListResponse | None:
    if response.status_code == 200:
        response_200 = LoanListResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | LoanListResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: float | str | Unset = UNSET,
    min_amount: float | str | Unset = UNSET,
    page: int | Unset = 1,
    purpose: GetLoanListPurpose | Unset = UNSET,
    risk_grade: str | Unset = UNSET,
    sort_by: GetLoanListSortBy | Unset = GetLoanListSortBy.CREATEDAT,
    sort_order: GetLoanListSortOrder | Unset = GetLoanListSortOrder.DESC,
    status: GetLoanListStatus | Unset = UNSET,
    term_months: GetLoanListTermMonths | Unset = UNSET,
) -> Response[Error | LoanListResponse]:
    """
    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (float | str | Unset):  Example: 100.00.
        min_amount (float | str | Unset):  Example: 100.00.
        page (int | Unset):  Default: 1.
        purpose (GetLoanListPurpose | Unset):
        risk_grade (str | Unset):
        sort_by (GetLoanListSortBy | Unset):  Default: GetLoanListSortBy.CREATEDAT.
        sort_order (GetLoanListSortOrder | Unset):  Default: GetLoanListSortOrder.DESC.
        status (GetLoanListStatus | Unset):
        term_months (GetLoanListTermMonths | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanListResponse]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        max_amount=max_amount,
        min_amount=min_amount,
        page=page,
        purpose=purpose,
        risk_grade=risk_grade,
        sort_by=sort_by,
        sort_order=sort_order,
        status=status,
        term_months=term_months,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: float | str | Unset = UNSET,
    min_amount: float | str | Unset = UNSET,
    page: int | Unset = 1,
    purpose: GetLoanListPurpose | Unset = UNSET,
    risk_grade: str | Unset = UNSET,
    sort_by: GetLoanListSortBy | Unset = GetLoanListSortBy.CREATEDAT,
    sort_order: GetLoanListSortOrder | Unset = GetLoanListSortOrder.DESC,
    status: GetLoanListStatus | Unset = UNSET,
    term_months: GetLoanListTermMonths | Unset = UNSET,
) -> Error | LoanListResponse | None:
    """
    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (float | str | Unset):  Example: 100.00.
        min_amount (float | str | Unset):  Example: 100.00.
        page (int | Unset):  Default: 1.
        purpose (GetLoanListPurpose | Unset):
        risk_grade (str | Unset):
        sort_by (GetLoanListSortBy | Unset):  Default: GetLoanListSortBy.CREATEDAT.
        sort_order (GetLoanListSortOrder | Unset):  Default: GetLoanListSortOrder.DESC.
        status (GetLoanListStatus | Unset):
        term_months (GetLoanListTermMonths | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanListResponse
    """

    return sync_detailed(
        client=client,
        after=after,
        limit=limit,
        max_amount=max_amount,
        min_amount=min_amount,
        page=page,
        purpose=purpose,
        risk_grade=risk_grade,
        sort_by=sort_by,
        sort_order=sort_order,
        status=status,
        term_months=term_months,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: float | str | Unset = UNSET,
    min_amount: float | str | Unset = UNSET,
    page: int | Unset = 1,
    purpose: GetLoanListPurpose | Unset = UNSET,
    risk_grade: str | Unset = UNSET,
    sort_by: GetLoanListSortBy | Unset = GetLoanListSortBy.CREATEDAT,
    sort_order: GetLoanListSortOrder | Unset = GetLoanListSortOrder.DESC,
    status: GetLoanListStatus | Unset = UNSET,
    term_months: GetLoanListTermMonths | Unset = UNSET,
) -> Response[Error | LoanListResponse]:
    """
    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (float | str | Unset):  Example: 100.00.
        min_amount (float | str | Unset):  Example: 100.00.
        page (int | Unset):  Default: 1.
        purpose (GetLoanListPurpose | Unset):
        risk_grade (str | Unset):
        sort_by (GetLoanListSortBy | Unset):  Default: GetLoanListSortBy.CREATEDAT.
        sort_order (GetLoanListSortOrder | Unset):  Default: GetLoanListSortOrder.DESC.
        status (GetLoanListStatus | Unset):
        term_months (GetLoanListTermMonths | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | LoanListResponse]
    """

    kwargs = _get_kwargs(
        after=after,
        limit=limit,
        max_amount=max_amount,
        min_amount=min_amount,
        page=page,
        purpose=purpose,
        risk_grade=risk_grade,
        sort_by=sort_by,
        sort_order=sort_order,
        status=status,
        term_months=term_months,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: str | Unset = UNSET,
    limit: int | Unset = 20,
    max_amount: float | str | Unset = UNSET,
    min_amount: float | str | Unset = UNSET,
    page: int | Unset = 1,
    purpose: GetLoanListPurpose | Unset = UNSET,
    risk_grade: str | Unset = UNSET,
    sort_by: GetLoanListSortBy | Unset = GetLoanListSortBy.CREATEDAT,
    sort_order: GetLoanListSortOrder | Unset = GetLoanListSortOrder.DESC,
    status: GetLoanListStatus | Unset = UNSET,
    term_months: GetLoanListTermMonths | Unset = UNSET,
) -> Error | LoanListResponse | None:
    """
    Args:
        after (str | Unset):
        limit (int | Unset):  Default: 20.
        max_amount (float | str | Unset):  Example: 100.00.
        min_amount (float | str | Unset):  Example: 100.00.
        page (int | Unset):  Default: 1.
        purpose (GetLoanListPurpose | Unset):
        risk_grade (str | Unset):
        sort_by (GetLoanListSortBy | Unset):  Default: GetLoanListSortBy.CREATEDAT.
        sort_order (GetLoanListSortOrder | Unset):  Default: GetLoanListSortOrder.DESC.
        status (GetLoanListStatus | Unset):
        term_months (GetLoanListTermMonths | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | LoanListResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            limit=limit,
            max_amount=max_amount,
            min_amount=min_amount,
            page=page,
            purpose=purpose,
            risk_grade=risk_grade,
            sort_by=sort_by,
            sort_order=sort_order,
            status=status,
            term_months=term_months,
        )
    ).parsed
