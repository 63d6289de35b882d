from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.recovery_request_request import RecoveryRequestRequest
from ...models.recovery_response import RecoveryResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    loan_id: int,
    *,
    body: RecoveryRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/loans/{loan_id}/recoveries".format(
            loan_id=quote(str(loan_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | RecoveryResponse | None:
    if response.status_code == 201:
        response_201 = RecoveryResponse.from_dict(response.json())

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
) -> Response[Error | RecoveryResponse]:
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
    body: RecoveryRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | RecoveryResponse]:
    """Staff record a recovery on a charged-off loan: {amount, source: borrower|debt_sale,
    receivedOn}; it is distributed to the charged-off notes at once.

    Args:
        loan_id (int):
        idempotency_key (str | Unset):
        body (RecoveryRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RecoveryResponse]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: RecoveryRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | RecoveryResponse | None:
    """Staff record a recovery on a charged-off loan: {amount, source: borrower|debt_sale,
    receivedOn}; it is distributed to the charged-off notes at once.

    Args:
        loan_id (int):
        idempotency_key (str | Unset):
        body (RecoveryRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RecoveryResponse
    """

    return sync_detailed(
        loan_id=loan_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: RecoveryRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | RecoveryResponse]:
    """Staff record a recovery on a charged-off loan: {amount, source: borrower|debt_sale,
    receivedOn}; it is distributed to the charged-off notes at once.

    Args:
        loan_id (int):
        idempotency_key (str | Unset):
        body (RecoveryRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | RecoveryResponse]
    """

    kwargs = _get_kwargs(
        loan_id=loan_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    loan_id: int,
    *,
    client: AuthenticatedClient,
    body: RecoveryRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | RecoveryResponse | None:
    """Staff record a recovery on a charged-off loan: {amount, source: borrower|debt_sale,
    receivedOn}; it is distributed to the charged-off notes at once.

    Args:
        loan_id (int):
        idempotency_key (str | Unset):
        body (RecoveryRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | RecoveryResponse
    """

    return (
        await asyncio_detailed(
            loan_id=loan_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
