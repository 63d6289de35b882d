from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agreement import Agreement
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    loan_id: int,
    *,
    amount: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["amount"] = amount

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/loans/{loan_id}/agreement".format(
            loan_id=quote(str(loan_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Agreement | Error | None:
    if response.status_code == 200:
        response_200 = Agreement.from_dict(response.json())

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
) -> Response[Agreement | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    amount: str | Unset = UNSET,
) -> Response[Agreement | Error]:
    """The review step of accepting: the agreement to read and the final terms (the borrower).

    Args:
        loan_id (int):
        amount (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Agreement | Error]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        amount=amount,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    amount: str | Unset = UNSET,
) -> Agreement | Error | None:
    """The review step of accepting: the agreement to read and the final terms (the borrower).

    Args:
        loan_id (int):
        amount (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Agreement | Error
    """

    return sync_detailed(
        loan_id=loan_id,
        client=client,
        amount=amount,
    ).parsed


async def asyncio_detailed(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    amount: str | Unset = UNSET,
) -> Response[Agreement | Error]:
    """The review step of accepting: the agreement to read and the final terms (the borrower).

    Args:
        loan_id (int):
        amount (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Agreement | Error]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        amount=amount,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    amount: str | Unset = UNSET,
) -> Agreement | Error | None:
    """The review step of accepting: the agreement to read and the final terms (the borrower).

    Args:
        loan_id (int):
        amount (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Agreement | Error
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            client=client,
            amount=amount,
        )
    ).parsed
