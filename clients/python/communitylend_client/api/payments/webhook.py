from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.webhook_gateway import WebhookGateway
from ...models.webhook_response import WebhookResponse
from ...types import Response


def _get_kwargs(
    gateway: WebhookGateway,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/payments/webhooks/{gateway}".format(
            gateway=quote(str(gateway), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | WebhookResponse | None:
    if response.status_code == 200:
        response_200 = WebhookResponse.from_dict(response.json())

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
) -> Response[Error | WebhookResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    gateway: WebhookGateway,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | WebhookResponse]:
    """Signed callbacks from payment gateways (HMAC-SHA256 of the raw body).

    Args:
        gateway (WebhookGateway):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | WebhookResponse]
    """

    kwargs = _get_kwargs(
        gateway=gateway,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    gateway: WebhookGateway,
    *,
    client: AuthenticatedClient | Client,
) -> Error | WebhookResponse | None:
    """Signed callbacks from payment gateways (HMAC-SHA256 of the raw body).

    Args:
        gateway (WebhookGateway):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | WebhookResponse
    """

    return sync_detailed(
        gateway=gateway,
        client=client,
    ).parsed


async def asyncio_detailed(
    gateway: WebhookGateway,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Error | WebhookResponse]:
    """Signed callbacks from payment gateways (HMAC-SHA256 of the raw body).

    Args:
        gateway (WebhookGateway):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | WebhookResponse]
    """

    kwargs = _get_kwargs(
        gateway=gateway,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    gateway: WebhookGateway,
    *,
    client: AuthenticatedClient | Client,
) -> Error | WebhookResponse | None:
    """Signed callbacks from payment gateways (HMAC-SHA256 of the raw body).

    Args:
        gateway (WebhookGateway):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | WebhookResponse
    """

    return (
        await asyncio_detailed(
            gateway=gateway,
            client=client,
        )
    ).parsed
