from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.get_statements_format import GetStatementsFormat
from ...models.get_statements_response_200 import GetStatementsResponse200
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: GetStatementsFormat | Unset = UNSET,
    year: int,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["year"] = year

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/statements",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | GetStatementsResponse200 | None:
    if response.status_code == 200:
        response_200 = GetStatementsResponse200.from_dict(response.json())

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
) -> Response[Error | GetStatementsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: GetStatementsFormat | Unset = UNSET,
    year: int,
) -> Response[Error | GetStatementsResponse200]:
    """The user's statement for ``year``: {year, lender: {...totals, notes}, borrower:
    {interest, fees}}; ``format=csv|pdf`` downloads it.

    Args:
        format_ (GetStatementsFormat | Unset):
        year (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | GetStatementsResponse200]
    """

    kwargs = _get_kwargs(
        format_=format_,
        year=year,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: GetStatementsFormat | Unset = UNSET,
    year: int,
) -> Error | GetStatementsResponse200 | None:
    """The user's statement for ``year``: {year, lender: {...totals, notes}, borrower:
    {interest, fees}}; ``format=csv|pdf`` downloads it.

    Args:
        format_ (GetStatementsFormat | Unset):
        year (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | GetStatementsResponse200
    """

    return sync_detailed(
        client=client,
        format_=format_,
        year=year,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: GetStatementsFormat | Unset = UNSET,
    year: int,
) -> Response[Error | GetStatementsResponse200]:
    """The user's statement for ``year``: {year, lender: {...totals, notes}, borrower:
    {interest, fees}}; ``format=csv|pdf`` downloads it.

    Args:
        format_ (GetStatementsFormat | Unset):
        year (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | GetStatementsResponse200]
    """

    kwargs = _get_kwargs(
        format_=format_,
        year=year,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: GetStatementsFormat | Unset = UNSET,
    year: int,
) -> Error | GetStatementsResponse200 | None:
    """The user's statement for ``year``: {year, lender: {...totals, notes}, borrower:
    {interest, fees}}; ``format=csv|pdf`` downloads it.

    Args:
        format_ (GetStatementsFormat | Unset):
        year (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | GetStatementsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            year=year,
        )
    ).parsed
