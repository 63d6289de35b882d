from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.payment_schedule_response import PaymentScheduleResponse
from ...models.schedule_request_request import ScheduleRequestRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ScheduleRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/payments/schedule",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | PaymentScheduleResponse | None:
    if response.status_code == 200:
        response_200 = PaymentScheduleResponse.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = PaymentScheduleResponse.from_dict(response.json())

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
) -> Response[Error | PaymentScheduleResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ScheduleRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | PaymentScheduleResponse]:
    """201 with the payment; the same idempotency key again answers 200 with the original
    (a different amount, date or applyTo under that key is a 400).

    Args:
        idempotency_key (str | Unset):
        body (ScheduleRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaymentScheduleResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ScheduleRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | PaymentScheduleResponse | None:
    """201 with the payment; the same idempotency key again answers 200 with the original
    (a different amount, date or applyTo under that key is a 400).

    Args:
        idempotency_key (str | Unset):
        body (ScheduleRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaymentScheduleResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ScheduleRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[Error | PaymentScheduleResponse]:
    """201 with the payment; the same idempotency key again answers 200 with the original
    (a different amount, date or applyTo under that key is a 400).

    Args:
        idempotency_key (str | Unset):
        body (ScheduleRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | PaymentScheduleResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ScheduleRequestRequest,
    idempotency_key: str | Unset = UNSET,
) -> Error | PaymentScheduleResponse | None:
    """201 with the payment; the same idempotency key again answers 200 with the original
    (a different amount, date or applyTo under that key is a 400).

    Args:
        idempotency_key (str | Unset):
        body (ScheduleRequestRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | PaymentScheduleResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
