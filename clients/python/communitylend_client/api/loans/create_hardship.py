from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.hardship_request_request import HardshipRequestRequest
from ...models.hardship_request_response import HardshipRequestResponse
from ...types import Response


def _get_kwargs(
    loan_id: int,
    *,
    body: HardshipRequestRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/loans/{loan_id}/hardship".format(
            loan_id=quote(str(loan_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | HardshipRequestResponse | None:
    if response.status_code == 201:
        response_201 = HardshipRequestResponse.from_dict(response.json())

        return response_201

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
) -> Response[Error | HardshipRequestResponse]:
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
    body: HardshipRequestRequest,
) -> Response[Error | HardshipRequestResponse]:
    """The borrower asks for a plan: {type: deferral|reduced, months, reason}; staff decide
    in the admin (two staff members).

    Args:
        loan_id (int):
        body (HardshipRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | HardshipRequestResponse]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: HardshipRequestRequest,
) -> Error | HardshipRequestResponse | None:
    """The borrower asks for a plan: {type: deferral|reduced, months, reason}; staff decide
    in the admin (two staff members).

    Args:
        loan_id (int):
        body (HardshipRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | HardshipRequestResponse
    """

    return sync_detailed(
        loan_id=loan_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: HardshipRequestRequest,
) -> Response[Error | HardshipRequestResponse]:
    """The borrower asks for a plan: {type: deferral|reduced, months, reason}; staff decide
    in the admin (two staff members).

    Args:
        loan_id (int):
        body (HardshipRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | HardshipRequestResponse]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: HardshipRequestRequest,
) -> Error | HardshipRequestResponse | None:
    """The borrower asks for a plan: {type: deferral|reduced, months, reason}; staff decide
    in the admin (two staff members).

    Args:
        loan_id (int):
        body (HardshipRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | HardshipRequestResponse
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            client=client,
            body=body,
        )
    ).parsed
