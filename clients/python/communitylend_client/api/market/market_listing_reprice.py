from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.market_listing_changed import MarketListingChanged
from ...models.patched_price_request import PatchedPriceRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    listing_id: int,
    *,
    body: PatchedPriceRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/market/listings/{listing_id}".format(
            listing_id=quote(str(listing_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | MarketListingChanged | None:
    if response.status_code == 200:
        response_200 = MarketListingChanged.from_dict(response.json())

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
) -> Response[Error | MarketListingChanged]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    listing_id: int,
    *,
    client: AuthenticatedClient,
    body: PatchedPriceRequest | Unset = UNSET,
) -> Response[Error | MarketListingChanged]:
    """
    Args:
        listing_id (int):
        body (PatchedPriceRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MarketListingChanged]
    """

    kwargs = _get_kwargs(
        listing_id=listing_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    listing_id: int,
    *,
    client: AuthenticatedClient,
    body: PatchedPriceRequest | Unset = UNSET,
) -> Error | MarketListingChanged | None:
    """
    Args:
        listing_id (int):
        body (PatchedPriceRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MarketListingChanged
    """

    return sync_detailed(
        listing_id=listing_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    listing_id: int,
    *,
    client: AuthenticatedClient,
    body: PatchedPriceRequest | Unset = UNSET,
) -> Response[Error | MarketListingChanged]:
    """
    Args:
        listing_id (int):
        body (PatchedPriceRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | MarketListingChanged]
    """

    kwargs = _get_kwargs(
        listing_id=listing_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    listing_id: int,
    *,
    client: AuthenticatedClient,
    body: PatchedPriceRequest | Unset = UNSET,
) -> Error | MarketListingChanged | None:
    """
    Args:
        listing_id (int):
        body (PatchedPriceRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | MarketListingChanged
    """

    return (
        await asyncio_detailed(
            listing_id=listing_id,
            client=client,
            body=body,
        )
    ).parsed
